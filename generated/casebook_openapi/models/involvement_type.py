from enum import StrEnum


class InvolvementType(StrEnum):
    INVOLVEMENTS = "involvements"

    def __str__(self) -> str:
        return str(self.value)
