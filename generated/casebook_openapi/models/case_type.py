from enum import StrEnum


class CaseType(StrEnum):
    CASES = "cases"

    def __str__(self) -> str:
        return str(self.value)
