"""Errors of the multi-step flows. Each one says exactly which records exist after a failure."""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import CasebookError, InvalidInputError


def _records(created: Mapping[str, str]) -> str:
    return ", ".join(f"{type_}/{id_}" for type_, id_ in created.items()) or "none"


class FileTooLargeError(InvalidInputError):
    """The file exceeds the attachment size limit; refused before any request was sent."""

    def __init__(self, *, size: int | None, limit: int) -> None:
        what = f"{size} bytes" if size is not None else "more than the limit"
        super().__init__(f"attachment is {what}; the maximum is {limit} bytes (nothing was sent)")
        self.size = size
        self.limit = limit


class UploadFailedError(CasebookError):
    """The bytes never reached storage. The attachment record created for them was deleted again.

    ``attachment_id`` names the (now deleted) record; ``cause`` is the last upload failure.
    """

    def __init__(self, *, attachment_id: str, reason: str, cause: BaseException | None = None) -> None:
        super().__init__(
            f"upload of attachment {attachment_id} failed ({reason}); "
            f"the attachment record {attachment_id} was deleted, nothing is left behind"
        )
        self.attachment_id = attachment_id
        self.reason = reason
        self.cause = cause


class OrphanedAttachmentError(UploadFailedError):
    """The upload failed AND deleting the attachment record failed: record ``attachment_id`` is orphaned
    (it exists with upload_status "pending"); delete it yourself. ``delete_error`` says why it stayed."""

    def __init__(
        self,
        *,
        attachment_id: str,
        reason: str,
        cause: BaseException | None = None,
        delete_error: BaseException,
    ) -> None:
        CasebookError.__init__(
            self,
            f"upload of attachment {attachment_id} failed ({reason}), and deleting the record failed too "
            f"({type(delete_error).__name__}: {delete_error}): attachment {attachment_id} is ORPHANED "
            f"(upload_status pending) - delete /attachments/attachments/{attachment_id} yourself",
        )
        self.attachment_id = attachment_id
        self.reason = reason
        self.cause = cause
        self.delete_error = delete_error


class PartialFlowError(CasebookError):
    """A multi-step flow stopped midway. Nothing is rolled back; this error is the exact account.

    ``step``: the step that failed. ``created``: JSON:API type → id of every record this flow created
    (they exist). ``linked``: whether the final linking step completed (None: unknown, it may have been
    applied and could not be checked). ``cause``: the step's error.
    """

    def __init__(
        self,
        *,
        flow: str,
        step: str,
        created: Mapping[str, str],
        linked: bool | None,
        cause: BaseException,
    ) -> None:
        self.flow = flow
        self.step = step
        self.created: dict[str, str] = dict(created)
        self.linked = linked
        self.cause = cause
        super().__init__(
            f"{flow} stopped at {step!r}: records created and still existing: {_records(self.created)}; "
            f"linked: {'unknown' if linked is None else 'yes' if linked else 'no'} "
            f"({type(cause).__name__}: {cause})"
        )


class FlowError(CasebookError):
    """A flow could not proceed because a record lacks what the flow needs (e.g. no assignment_id)."""
