from enum import StrEnum


class PersonType(StrEnum):
    PEOPLE = "people"

    def __str__(self) -> str:
        return str(self.value)
