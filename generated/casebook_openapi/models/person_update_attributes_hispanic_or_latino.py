from enum import StrEnum


class PersonUpdateAttributesHispanicOrLatino(StrEnum):
    YES = "yes"
    NO = "no"
    UNABLE_TO_DETERMINE = "unable to determine"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return str(self.value)
