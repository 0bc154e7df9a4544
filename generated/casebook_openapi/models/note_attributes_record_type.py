from enum import StrEnum


class NoteAttributesRecordType(StrEnum):
    CASES = "cases"
    PEOPLE = "people"
    PROVIDERS = "providers"
    REPORTS = "reports"

    def __str__(self) -> str:
        return str(self.value)
