"""Per-record results and the job report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["created", "updated", "skipped", "failed", "in_doubt", "not_attempted"]
STATUSES: tuple[Status, ...] = ("created", "updated", "skipped", "failed", "in_doubt", "not_attempted")


@dataclass(eq=False)  # identity semantics: a result is its own limiter borrower
class RecordResult:
    """What happened to one input record.

    status: created / updated (written by this run, ``id`` set); skipped (``reason`` "checkpoint": done by an
    earlier run, or "unchanged": already equal on the server); failed (``error`` says why; nothing was
    written); in_doubt (a create was in flight when the job was cancelled - the checkpoint makes the next
    run look it up before retrying); not_attempted (the job stopped first).
    """

    index: int
    key: str
    status: Status = "not_attempted"
    id: str | None = None
    error: str | None = None
    reason: str | None = None
    attempts: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class BulkReport:
    """What a bulk job did. Each counter means exactly this (tests/bulk/test_report_counters.py checks it
    against the server's own log):

    results: one RecordResult per input record, in input order.
    cancelled: the job stopped early (cancelled, interrupted, or its journal failed).
    lookups: key lookups made to rule out a duplicate after an unknown outcome (a create or upsert whose
        write may have landed without an answer, in this run or an earlier one). An upsert's own lookup,
        made for every record to choose between create and update, is not counted.
    throttled: HTTP 429 answers to this job's requests, whether the client retried them, the engine
        did, or nobody (each shrank the adaptive window, at most once per round trip).
    counts: records by final status (derived from results).
    """

    operation: str
    resource: str
    results: list[RecordResult] = field(default_factory=list)
    cancelled: bool = False
    lookups: int = 0
    throttled: int = 0

    @property
    def counts(self) -> dict[str, int]:
        counter = Counter(r.status for r in self.results)
        return {status: counter.get(status, 0) for status in STATUSES}

    def by_status(self, status: Status) -> list[RecordResult]:
        return [r for r in self.results if r.status == status]

    @property
    def ok(self) -> bool:
        """Every record is written or skipped."""
        return all(r.status in ("created", "updated", "skipped") for r in self.results)
