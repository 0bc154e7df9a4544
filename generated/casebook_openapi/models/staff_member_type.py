from enum import StrEnum


class StaffMemberType(StrEnum):
    STAFF = "staff"

    def __str__(self) -> str:
        return str(self.value)
