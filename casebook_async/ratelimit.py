"""A client-side request rate: at most ``rate`` requests per second from one client, for splitting a
tenant's rate limit between processes (each of n shards takes limit / n).

Hand-written because the well-kept limiters (aiolimiter, pyrate-limiter's async bucket) are asyncio-only
and this must run under trio too; it is GCRA in a few lines: each request reserves the next free instant,
``1 / rate`` after the previous one, and sleeps until it comes. No lock: the reservation is synchronous.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable

import anyio


class RequestRate:
    """``await rate.wait()`` before each request. ``burst`` requests may go at once after an idle spell."""

    def __init__(
        self,
        rate: float,
        burst: int = 1,
        *,
        clock: Callable[[], float] = anyio.current_time,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
    ) -> None:
        if not (isinstance(rate, int | float) and math.isfinite(rate) and rate > 0):
            raise ValueError(f"rate must be a positive number of requests per second, got {rate!r}")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        self.rate = float(rate)
        self._interval = 1.0 / self.rate
        self._slack = (burst - 1) * self._interval
        self._next = -math.inf  # the earliest instant the next request may start
        self._clock, self._sleep = clock, sleep

    async def wait(self) -> None:
        now = self._clock()
        start = max(self._next, now - self._slack)
        self._next = start + self._interval
        if start > now:
            await self._sleep(start - now)

    def __repr__(self) -> str:
        return f"RequestRate({self.rate:g}/s)"
