from enum import StrEnum


class AttachmentType(StrEnum):
    ATTACHMENTS = "attachments"

    def __str__(self) -> str:
        return str(self.value)
