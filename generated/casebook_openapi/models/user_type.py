from enum import StrEnum


class UserType(StrEnum):
    USERS = "users"

    def __str__(self) -> str:
        return str(self.value)
