from enum import StrEnum


class ReportType(StrEnum):
    REPORTS = "reports"

    def __str__(self) -> str:
        return str(self.value)
