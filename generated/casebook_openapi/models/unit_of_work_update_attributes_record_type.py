from enum import StrEnum


class UnitOfWorkUpdateAttributesRecordType(StrEnum):
    CASES = "cases"
    PEOPLE = "people"
    PROVIDERS = "providers"
    REPORTS = "reports"

    def __str__(self) -> str:
        return str(self.value)
