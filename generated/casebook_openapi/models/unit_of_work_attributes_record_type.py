from enum import StrEnum


class UnitOfWorkAttributesRecordType(StrEnum):
    PEOPLE = "people"
    REPORTS = "reports"
    CASES = "cases"
    PROVIDERS = "providers"

    def __str__(self) -> str:
        return str(self.value)
