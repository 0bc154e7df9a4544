from enum import StrEnum


class CaseAttributesStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"

    def __str__(self) -> str:
        return str(self.value)
