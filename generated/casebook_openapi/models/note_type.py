from enum import StrEnum


class NoteType(StrEnum):
    NOTES = "notes"

    def __str__(self) -> str:
        return str(self.value)
