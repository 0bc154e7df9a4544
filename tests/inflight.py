"""Requests in flight, counted through a client's event hooks: an attempt is in flight from its request
event until its response, or until the retry event that says it failed without one (a dropped connection)."""

from __future__ import annotations

from casebook_async import EventHooks, RequestEvent, ResponseEvent, RetryEvent


class InFlight:
    def __init__(self) -> None:
        self._open: set[tuple[str, str, int]] = set()
        self.most = 0  # the most attempts in flight at once
        self.responses = 0  # attempts answered with success
        self.retries: list[str] = []  # why each failed attempt failed

    def request(self, event: RequestEvent) -> None:
        self._open.add((event.method, event.url, event.attempt))
        self.most = max(self.most, len(self._open))

    def response(self, event: ResponseEvent) -> None:
        self._open.discard((event.method, event.url, event.attempt))
        self.responses += event.status < 300

    def retry(self, event: RetryEvent) -> None:
        self._open.discard((event.method, event.url, event.attempt))
        self.retries.append(event.reason)

    def hooks(self) -> EventHooks:
        return EventHooks(request=[self.request], response=[self.response], retry=[self.retry])
