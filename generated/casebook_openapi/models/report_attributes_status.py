from enum import StrEnum


class ReportAttributesStatus(StrEnum):
    DRAFT = "draft"
    SCREENED_IN = "screened_in"
    SCREENED_OUT = "screened_out"
    SUBMITTED = "submitted"

    def __str__(self) -> str:
        return str(self.value)
