from enum import StrEnum


class AssignmentUserType(StrEnum):
    ASSIGNMENT_USERS = "assignment_users"

    def __str__(self) -> str:
        return str(self.value)
