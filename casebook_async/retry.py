"""Retry policy: exponential backoff with full jitter, honouring Retry-After.

Hand-written rather than stamina: stamina's jitter is additive (not full jitter), its sleep cannot be
injected for tests, and the decision here needs the response and the method (Retry-After, POST safety),
not just an exception type.

Which failures are retried is decided in ``http.py`` (GET/PATCH/DELETE on 429/502/503/504, timeouts and
connection errors; POST only on 429 or when the connection was never established).
"""

from __future__ import annotations

import email.utils
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import anyio

from .observability import EventHooks, RequestKind, RetryEvent, logger

RETRY_STATUSES = frozenset({429, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How many times and how long to retry.

    attempts: total tries including the first (1 = no retries).
    initial_backoff / max_backoff: the n-th retry waits ``uniform(0, min(max, initial * 2**(n-1)))``
        (full jitter).
    max_retry_after: a Retry-After longer than this is not waited for; the error is raised instead.
    sleep / random: injectable for tests.
    """

    attempts: int = 4
    initial_backoff: float = 0.5
    max_backoff: float = 30.0
    max_retry_after: float = 60.0
    statuses: frozenset[int] = RETRY_STATUSES
    sleep: Callable[[float], Awaitable[None]] = field(default=anyio.sleep, repr=False)
    random: Callable[[], float] = field(default=random.random, repr=False)

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be >= 1")
        if self.initial_backoff < 0 or self.max_backoff < 0 or self.max_retry_after < 0:
            raise ValueError("backoff values must be >= 0")

    @classmethod
    def disabled(cls) -> RetryPolicy:
        return cls(attempts=1)

    def backoff(self, retry_number: int) -> float:
        """Full-jitter delay before retry number ``retry_number`` (1-based)."""
        ceiling = min(self.max_backoff, self.initial_backoff * 2.0 ** (retry_number - 1))
        return self.random() * ceiling

    def delay(self, retry_number: int, retry_after: float | None) -> float | None:
        """Seconds to wait before the next try, or None when the server asks for longer than we accept."""
        if retry_after is not None:
            return None if retry_after > self.max_retry_after else retry_after
        return self.backoff(retry_number)


async def pause_before_retry(
    policy: RetryPolicy,
    failures: int,
    retry_after: float | None,
    *,
    hooks: EventHooks,
    method: str,
    url: str,
    path: str,
    attempt: int,
    reason: str,
    kind: RequestKind = "api",
) -> bool:
    """After failure number ``failures``: log, emit a RetryEvent and sleep, then return True; or return
    False (nothing else done) when the budget is spent or the server asks for a longer wait than accepted.

    ``url`` goes to the event and ``path`` to the log: neither may carry credentials.
    """
    delay = policy.delay(failures, retry_after) if failures < policy.attempts else None
    if delay is None:
        return False
    logger.info(
        "retrying %s %s in %.2fs after %s (attempt %d of %d)",
        method,
        path,
        delay,
        reason,
        failures,
        policy.attempts,
    )
    await hooks.emit(
        RetryEvent(method=method, url=url, attempt=attempt, delay=delay, reason=reason, kind=kind)
    )
    await policy.sleep(delay)
    return True


def parse_retry_after(
    value: str | None, now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> float | None:
    """Retry-After as seconds (delta-seconds or HTTP-date); None if absent or unparseable."""
    if value is None:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - now()).total_seconds())
    return seconds if seconds >= 0 else None
