from enum import StrEnum


class GoalAttributesStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    ABANDONED = "abandoned"

    def __str__(self) -> str:
        return str(self.value)
