from enum import StrEnum


class GoalType(StrEnum):
    GOALS = "goals"

    def __str__(self) -> str:
        return str(self.value)
