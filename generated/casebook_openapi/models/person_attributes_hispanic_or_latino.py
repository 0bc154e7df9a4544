from enum import StrEnum


class PersonAttributesHispanicOrLatino(StrEnum):
    NO = "no"
    UNABLE_TO_DETERMINE = "unable to determine"
    UNKNOWN = "unknown"
    YES = "yes"

    def __str__(self) -> str:
        return str(self.value)
