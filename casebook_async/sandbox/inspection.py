"""In-process inspection for tests: what the sandbox stored, saw and injected. Not reachable over HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .app import RequestLogEntry
from .s3 import S3Violation
from .store import Write

if TYPE_CHECKING:
    from .sandbox import Sandbox


class Inspector:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sb = sandbox

    def records(self, type_: str) -> list[dict[str, Any]]:
        """Live (not deleted) records of a type, in creation order, as plain dicts."""
        return [record.to_plain() for record in self._sb.store.collection(type_).live_list()]

    def record(self, type_: str, id_: str) -> dict[str, Any] | None:
        record = self._sb.store.get(type_, id_)
        return None if record is None else record.to_plain()

    def count(self, type_: str) -> int:
        return len(self._sb.store.collection(type_).live)

    @property
    def writes(self) -> list[Write]:
        return list(self._sb.store.writes)

    @property
    def requests(self) -> list[RequestLogEntry]:
        return list(self._sb.request_log)

    @property
    def fault_counts(self) -> dict[str, int]:
        return dict(self._sb.fault_counts)

    @property
    def tokens_issued(self) -> int:
        return self._sb.authority.tokens_issued

    def attachment_uploaded(self, attachment_id: str) -> bool:
        return self._sb.attachments.object(attachment_id) is not None

    def s3_object(self, attachment_id: str) -> bytes | None:
        return self._sb.attachments.object(attachment_id)

    @property
    def s3_authorization_violations(self) -> list[S3Violation]:
        return [] if self._sb.s3 is None else list(self._sb.s3.violations)

    def clear_log(self) -> None:
        """Forget logged requests, writes and fault counts (records stay)."""
        self._sb.request_log.clear()
        self._sb.store.writes.clear()
        self._sb.fault_counts.clear()
