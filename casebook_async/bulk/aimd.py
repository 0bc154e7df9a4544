"""AIMD concurrency control: additive increase on success, multiplicative decrease on 429.

Hand-written because no well-kept library adapts an anyio.CapacityLimiter; the controller is a few lines
over the limiter's settable ``total_tokens``.

A burst of 429s from requests that were already in flight must not collapse the window to 1, so after a
decrease further 429s are ignored until as many requests as the window held have completed (one "round
trip" in TCP terms). That needs no clock, which keeps it deterministic and testable.
"""

from __future__ import annotations

import math
from types import TracebackType

import anyio

from ..observability import EventHooks, ResponseEvent


class AIMDLimiter:
    """A CapacityLimiter whose size follows AIMD. Use ``async with limiter:`` around each unit of work and
    report outcomes with ``on_success()`` / ``on_throttle()``."""

    def __init__(
        self, initial: int = 8, *, minimum: int = 1, maximum: int = 64, decrease_factor: float = 0.5
    ) -> None:
        if not 1 <= minimum <= initial <= maximum:
            raise ValueError("need 1 <= minimum <= initial <= maximum")
        if not 0.0 < decrease_factor < 1.0:
            raise ValueError("decrease_factor must be between 0 and 1")
        self.minimum = minimum
        self.maximum = maximum
        self.decrease_factor = decrease_factor
        self._window = float(initial)  # fractional, so +1/window per success adds ~1 per round trip
        self._limiter = anyio.CapacityLimiter(initial)
        self._ignore_throttles_for = 0  # completions to wait out after a decrease
        self.decreases = 0
        self.increases = 0
        self.hooked = False  # True once event_hooks() feeds 429s in: callers must not report them again
        self.throttles = 0  # every 429 reported, whether or not it shrank the window

    @property
    def limit(self) -> int:
        """Current number of concurrent slots."""
        return int(self._limiter.total_tokens)

    @property
    def in_flight(self) -> int:
        return self._limiter.borrowed_tokens

    def _apply(self) -> None:
        new = max(self.minimum, min(self.maximum, math.floor(self._window)))
        if new != self._limiter.total_tokens:
            self._limiter.total_tokens = new

    def on_success(self) -> None:
        """One request completed without being throttled."""
        if self._ignore_throttles_for > 0:
            self._ignore_throttles_for -= 1
        before = self.limit
        self._window = min(float(self.maximum), self._window + 1.0 / max(1.0, self._window))
        self._apply()
        if self.limit > before:
            self.increases += 1

    def on_throttle(self) -> None:
        """The server answered 429: shrink the window (at most once per round trip)."""
        self.throttles += 1
        if self._ignore_throttles_for > 0:
            self._ignore_throttles_for -= 1
            return
        self._window = max(float(self.minimum), self._window * self.decrease_factor)
        self._apply()
        # The other requests sent under the old window (the reporter itself holds a slot too).
        self._ignore_throttles_for = max(0, self.in_flight - 1)
        self.decreases += 1

    def event_hooks(self) -> EventHooks:
        """Hooks for ``Casebook(event_hooks=...)``: 429s the client retries by itself (GET/PATCH) also
        shrink the window."""

        self.hooked = True

        def on_response(event: ResponseEvent) -> None:
            if event.status == 429:
                self.on_throttle()

        return EventHooks(response=[on_response])

    async def acquire_for(self, borrower: object) -> None:
        """Take a slot on behalf of ``borrower`` (lets one task take it and a worker task release it)."""
        await self._limiter.acquire_on_behalf_of(borrower)

    def release_for(self, borrower: object) -> None:
        self._limiter.release_on_behalf_of(borrower)

    async def __aenter__(self) -> None:
        await self._limiter.acquire()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._limiter.release()

    def __repr__(self) -> str:
        return f"AIMDLimiter(limit={self.limit}, in_flight={self.in_flight})"
