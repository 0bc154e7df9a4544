from enum import StrEnum


class AttachmentAttributesUploadStatus(StrEnum):
    PENDING = "pending"
    UPLOADED = "uploaded"

    def __str__(self) -> str:
        return str(self.value)
