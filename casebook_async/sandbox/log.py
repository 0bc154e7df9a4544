"""What the sandbox saw: one entry per request, and a count per injected fault."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RequestLogEntry:
    method: str
    path: str
    query: str
    status: int | None  # None when the transport dropped the request before any response
    duration: float
    fault: str | None
    request_id: str | None
    client_id: str | None
    latency: float = 0.0


@dataclass
class RequestLog:
    entries: list[RequestLogEntry] = field(default_factory=list)
    fault_counts: Counter[str] = field(default_factory=Counter)

    def add(self, entry: RequestLogEntry) -> None:
        self.entries.append(entry)

    def count_fault(self, name: str) -> None:
        self.fault_counts[name] += 1

    def clear(self) -> None:
        self.entries.clear()
        self.fault_counts.clear()
