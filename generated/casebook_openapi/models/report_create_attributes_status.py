from enum import StrEnum


class ReportCreateAttributesStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SCREENED_IN = "screened_in"
    SCREENED_OUT = "screened_out"

    def __str__(self) -> str:
        return str(self.value)
