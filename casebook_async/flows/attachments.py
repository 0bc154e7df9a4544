"""Upload a file as a Casebook attachment in one call: create the record, PUT the bytes, confirm.

    attachment = await upload_attachment(
        cb, pathlib.Path("report.pdf"), filename="report.pdf", content_type="application/pdf",
        record=("people", person_id),
    )

The size limit is checked before any request. If the bytes cannot be stored, the attachment record is
deleted again (UploadFailedError) or, if that fails too, the error names the orphan
(OrphanedAttachmentError).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, NoReturn

import anyio
import httpx

from casebook_openapi.models import Attachment, AttachmentCreateAttributesRecordType
from casebook_openapi.types import Unset

from ..errors import CasebookError, InvalidInputError
from ..http import credential_free_client
from ..observability import logger  # the facade's one logger: its filter redacts every record
from ..retry import RetryPolicy
from ..tracing import client_of, operation
from .errors import OrphanedAttachmentError, UploadFailedError
from .s3 import DEFAULT_UPLOAD_TIMEOUT, PresignedPutError, PresignedUploader
from .sources import MAX_ATTACHMENT_BYTES, Source, read_source

if TYPE_CHECKING:
    from ..client import Casebook

CLEANUP_TIMEOUT: Final = 30.0  # seconds a shielded cleanup may take when the upload was cancelled
RECORD_TYPES: Final = tuple(t.value for t in AttachmentCreateAttributesRecordType)


def _target(
    record: tuple[str, str] | None, record_type: str | None, record_id: str | None
) -> tuple[str, str]:
    if record is not None:
        if record_type is not None or record_id is not None:
            raise InvalidInputError("pass record=(type, id) or record_type=/record_id=, not both")
        if not isinstance(record, tuple) or len(record) != 2:
            raise InvalidInputError(f"record must be a (record_type, record_id) tuple, got {record!r}")
        record_type, record_id = record
    if record_type not in RECORD_TYPES:
        raise InvalidInputError(f"record_type must be one of {', '.join(RECORD_TYPES)}, got {record_type!r}")
    if not isinstance(record_id, str) or not record_id.strip():
        raise InvalidInputError(f"record_id must be a non-empty string, got {record_id!r}")
    return record_type, record_id


def _text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"{name} must be a non-empty string, got {value!r}")
    return value


async def _discard(cb: Casebook, attachment_id: str, reason: str, cause: BaseException | None) -> NoReturn:
    """Delete the record whose bytes never arrived, then raise the error that says so."""
    try:
        # Shielded: a cancelled upload must still not leave an orphan behind (bounded by a timeout).
        with anyio.CancelScope(shield=True), anyio.fail_after(CLEANUP_TIMEOUT):
            await cb.attachments.delete(attachment_id)
    except (CasebookError, TimeoutError) as delete_error:
        raise OrphanedAttachmentError(
            attachment_id=attachment_id, reason=reason, cause=cause, delete_error=delete_error
        ) from cause
    raise UploadFailedError(attachment_id=attachment_id, reason=reason, cause=cause) from cause


@operation("upload_attachment", client_of)
async def upload_attachment(
    cb: Casebook,
    data: Source,
    *,
    filename: str,
    content_type: str,
    record: tuple[str, str] | None = None,
    record_type: str | None = None,
    record_id: str | None = None,
    description: str | None = None,
    retry: RetryPolicy | None = None,
    s3_transport: httpx.AsyncBaseTransport | None = None,
    upload_timeout: float = DEFAULT_UPLOAD_TIMEOUT,
) -> Attachment:
    """Attach ``data`` (bytes, a path, or an async iterable of bytes) to a person, case, provider or report.

    Returns the attachment as re-read after the upload (upload_status "uploaded").
    ``retry`` governs the storage PUT (default: the client's policy); ``s3_transport`` replaces the
    transport of the separate storage client (which never sends the Casebook token).
    Raises FileTooLargeError (nothing sent), UploadFailedError / OrphanedAttachmentError, or the
    facade's errors for the create request. After an OutcomeUnknownError from the create (or a
    cancellation while it was in flight) a record may exist with upload_status "pending" and no bytes;
    its id never reached us, so look it up by record and file_name before trying again.
    """
    target_type, target_id = _target(record, record_type, record_id)
    attributes: dict[str, object] = {
        "file_name": _text("filename", filename),
        "content_type": _text("content_type", content_type),
        "record_type": target_type,
        "record_id": target_id,
    }
    if description is not None:
        attributes["description"] = description
    content = await read_source(data, MAX_ATTACHMENT_BYTES)  # refuses oversize input before any request
    if s3_transport is None:
        return await _upload(
            cb, attributes, content, content_type, await cb.storage_client(), retry, upload_timeout
        )
    async with credential_free_client(s3_transport) as storage:
        return await _upload(cb, attributes, content, content_type, storage, retry, upload_timeout)


async def _upload(
    cb: Casebook,
    attributes: dict[str, object],
    content: bytes,
    content_type: str,
    storage: httpx.AsyncClient,
    retry: RetryPolicy | None,
    upload_timeout: float,
) -> Attachment:
    uploader = PresignedUploader(
        client=storage,
        retry=retry if retry is not None else cb.http.retry,
        timeout=upload_timeout,
        hooks=cb.http.hooks,
    )
    created = await cb.attachments.create({**attributes, "file_size": len(content)})
    upload_url = created.attributes.upload_url
    if isinstance(upload_url, Unset) or not upload_url:
        await _discard(cb, created.id, "the server returned no upload_url", None)
    try:
        await uploader.put(upload_url, content, content_type)
    except (PresignedPutError, InvalidInputError) as exc:
        await _discard(cb, created.id, str(exc), exc)
    except anyio.get_cancelled_exc_class():
        await _discard_on_cancel(cb, created.id)
        raise

    try:
        return await cb.attachments.get(created.id)
    except CasebookError as exc:  # the bytes are stored; a failed confirmation must not look like a failure
        logger.warning("attachment %s uploaded, but re-reading it failed: %s", created.id, exc)
        return created


async def _discard_on_cancel(cb: Casebook, attachment_id: str) -> None:
    try:
        await _discard(cb, attachment_id, "cancelled", None)
    except UploadFailedError as exc:
        logger.warning("%s", exc)  # the cancellation propagates; the log keeps the account
