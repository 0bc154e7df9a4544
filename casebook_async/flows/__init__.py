"""Multi-step flows on top of the facade: attachment upload, provider with location, work assignment.

Each is one awaitable call taking a ``Casebook`` client; each failure midway is a typed error that says
exactly which records exist.
"""

from .assignments import assign_unit_of_work
from .attachments import upload_attachment
from .errors import FileTooLargeError, FlowError, OrphanedAttachmentError, PartialFlowError, UploadFailedError
from .providers import ProviderWithLocation, create_provider_with_location
from .s3 import PresignedPutError
from .sources import MAX_ATTACHMENT_BYTES

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "FileTooLargeError",
    "FlowError",
    "OrphanedAttachmentError",
    "PartialFlowError",
    "PresignedPutError",
    "ProviderWithLocation",
    "UploadFailedError",
    "assign_unit_of_work",
    "create_provider_with_location",
    "upload_attachment",
]
