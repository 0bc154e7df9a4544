"""Fault and latency injection (deterministic under a seed) and the per-token rate limit."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Faults:
    """Probabilities are per request. Each request rolls the same dice in the same order: a seed replays."""

    latency: float = 0.0  # seconds added before handling
    jitter: float = 0.0  # plus uniform [0, jitter) seconds
    rate_429: float = 0.0
    retry_after: float = 1.0  # Retry-After (seconds) sent with injected 429s
    rate_5xx: float = 0.0  # picks among 500, 502, 503, 504
    rate_drop: float = 0.0  # connection closed before a response (in-process transport only)
    rate_connect_error: float = 0.0  # connection refused before the app sees the request (transport only)
    rate_ambiguous_post: float = 0.0  # a POST commits, then the client gets a 502
    # Commit latency: a create or update takes its timestamps when it arrives, then becomes visible only
    # after a uniform [0, commit_latency) seconds, so readers can see it after newer writes (as a database
    # transaction that commits late makes rows appear with an older updated_at).
    commit_latency: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("rate_429", "rate_5xx", "rate_drop", "rate_connect_error", "rate_ambiguous_post"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be a probability between 0 and 1")
        if min(self.latency, self.jitter, self.retry_after, self.commit_latency) < 0:
            raise ValueError("latency, jitter, retry_after and commit_latency must not be negative")


@dataclass(frozen=True)
class TransportRoll:
    connect_error: bool
    drop: bool


@dataclass(frozen=True)
class AppRoll:
    delay: float
    status: int | None  # an injected 429 or 5xx, if any
    ambiguous: bool  # commit a POST, then answer 502


SERVER_ERRORS = (500, 502, 503, 504)


class FaultDice:
    """One seeded stream per sandbox; resetting `faults` restarts it from the new seed."""

    def __init__(self, faults: Faults) -> None:
        self.faults = faults
        self._random = random.Random(faults.seed)  # noqa: S311 - reproducible chaos, not secrecy
        # A stream of its own, so adding commit latency does not change the other faults a seed replays.
        self._commits = random.Random(f"commit:{faults.seed}")  # noqa: S311

    def commit_delay(self) -> float:
        return self._commits.random() * self.faults.commit_latency

    def roll_transport(self) -> TransportRoll:
        f, r = self.faults, self._random
        connect, drop = r.random(), r.random()
        return TransportRoll(connect < f.rate_connect_error, drop < f.rate_drop)

    def roll_app(self, *, is_post: bool) -> AppRoll:
        f, r = self.faults, self._random
        jitter, u429, u5xx, pick, uambiguous = (r.random() for _ in range(5))
        delay = f.latency + jitter * f.jitter
        status: int | None = None
        if u429 < f.rate_429:
            status = 429
        elif u5xx < f.rate_5xx:
            status = SERVER_ERRORS[int(pick * len(SERVER_ERRORS))]
        ambiguous = status is None and is_post and uambiguous < f.rate_ambiguous_post
        return AppRoll(delay, status, ambiguous)


class RateLimiter:
    """Token bucket per bearer token: `rate` requests per second, bursts up to max(1, rate)."""

    def __init__(self, rate: float, clock: Callable[[], float]) -> None:
        if rate <= 0:
            raise ValueError("rate_limit must be positive")
        self.rate = rate
        self.capacity = max(1.0, rate)
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill time)

    def acquire(self, key: str) -> int | None:
        """None when allowed; otherwise the whole seconds to wait (>= 1) for Retry-After."""
        now = self.clock()
        tokens, last = self._buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            return None
        self._buckets[key] = (tokens, now)
        return max(1, math.ceil((1.0 - tokens) / self.rate))
