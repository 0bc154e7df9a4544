from enum import StrEnum


class UnitOfWorkType(StrEnum):
    UNITS_OF_WORK = "units_of_work"

    def __str__(self) -> str:
        return str(self.value)
