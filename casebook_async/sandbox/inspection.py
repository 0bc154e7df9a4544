"""In-process inspection for tests: what the sandbox stored, saw and injected. Not reachable over HTTP."""

from __future__ import annotations

from typing import Any

from .attachments import Attachments
from .auth import Authority
from .log import RequestLog, RequestLogEntry
from .s3 import S3Emulator, S3Violation
from .store import Store, Write


class Inspector:
    def __init__(
        self,
        store: Store,
        log: RequestLog,
        authority: Authority,
        attachments: Attachments,
        s3: S3Emulator | None,
    ) -> None:
        self._store = store
        self._log = log
        self._authority = authority
        self._attachments = attachments
        self._s3 = s3

    def records(self, type_: str) -> list[dict[str, Any]]:
        """Live (not deleted) records of a type, in creation order, as plain dicts."""
        return [record.to_plain() for record in self._store.collection(type_).live_list()]

    def record(self, type_: str, id_: str) -> dict[str, Any] | None:
        record = self._store.get(type_, id_)
        return None if record is None else record.to_plain()

    def count(self, type_: str) -> int:
        return len(self._store.collection(type_).live)

    @property
    def writes(self) -> list[Write]:
        return list(self._store.writes)

    @property
    def requests(self) -> list[RequestLogEntry]:
        return list(self._log.entries)

    @property
    def fault_counts(self) -> dict[str, int]:
        return dict(self._log.fault_counts)

    @property
    def tokens_issued(self) -> int:
        return self._authority.tokens_issued

    def attachment_uploaded(self, attachment_id: str) -> bool:
        return self._attachments.object(attachment_id) is not None

    def s3_object(self, attachment_id: str) -> bytes | None:
        return self._attachments.object(attachment_id)

    @property
    def s3_authorization_violations(self) -> list[S3Violation]:
        return [] if self._s3 is None else list(self._s3.violations)

    def clear_log(self) -> None:
        """Forget logged requests, writes and fault counts (records stay)."""
        self._log.clear()
        self._store.writes.clear()
