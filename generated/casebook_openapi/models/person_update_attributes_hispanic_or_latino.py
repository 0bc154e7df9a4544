from enum import StrEnum


class PersonUpdateAttributesHispanicOrLatino(StrEnum):
    NO = "no"
    UNABLE_TO_DETERMINE = "unable to determine"
    UNKNOWN = "unknown"
    YES = "yes"

    def __str__(self) -> str:
        return str(self.value)
