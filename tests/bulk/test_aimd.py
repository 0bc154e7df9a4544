from __future__ import annotations

import pytest

from casebook_async.bulk import AIMDLimiter
from casebook_async.observability import ResponseEvent


def test_throttle_halves_and_successes_recover() -> None:
    limiter = AIMDLimiter(16, maximum=32)
    limiter.on_throttle()
    assert limiter.limit == 8
    assert limiter.decreases == 1
    for _ in range(200):
        limiter.on_success()
    assert limiter.limit > 16  # additive increase recovers past the starting point
    assert limiter.increases > 0


def test_additive_increase_is_about_one_per_window_of_successes() -> None:
    limiter = AIMDLimiter(10, maximum=64)
    for _ in range(10):
        limiter.on_success()
    assert limiter.limit == 10  # 10 * (1/10.x) < 1
    for _ in range(2):
        limiter.on_success()
    assert limiter.limit == 11


def test_never_below_minimum_nor_above_maximum() -> None:
    limiter = AIMDLimiter(2, minimum=1, maximum=4)
    for _ in range(10):
        limiter.on_throttle()
        for _ in range(5):
            limiter.on_success()  # lets the next throttle count (no requests were in flight)
    assert limiter.limit >= 1
    for _ in range(1000):
        limiter.on_success()
    assert limiter.limit == 4


@pytest.mark.anyio
async def test_a_burst_of_429s_from_one_window_decreases_once() -> None:
    limiter = AIMDLimiter(8)
    borrowers = [object() for _ in range(8)]
    for b in borrowers:
        await limiter.acquire_for(b)
    assert limiter.in_flight == 8
    for _ in range(8):  # every request of the window comes back 429
        limiter.on_throttle()
    assert limiter.limit == 4
    assert limiter.decreases == 1
    for b in borrowers:
        limiter.release_for(b)
    limiter.on_throttle()  # a 429 from a later window counts again
    assert limiter.limit == 2


@pytest.mark.anyio
async def test_event_hooks_shrink_on_429_responses() -> None:
    limiter = AIMDLimiter(8)
    hooks = limiter.event_hooks()
    await hooks.emit(ResponseEvent("GET", "http://localhost/x", 1, 200, 0.0, None))
    assert limiter.decreases == 0
    await hooks.emit(ResponseEvent("GET", "http://localhost/x", 1, 429, 0.0, None))
    assert limiter.limit == 4


def test_rejects_bad_bounds() -> None:
    with pytest.raises(ValueError, match="minimum"):
        AIMDLimiter(0)
    with pytest.raises(ValueError, match="decrease_factor"):
        AIMDLimiter(4, decrease_factor=1.0)


@pytest.mark.anyio
async def test_a_429_reported_by_both_the_hook_and_the_engine_counts_once() -> None:
    limiter = AIMDLimiter(8)
    hooks = limiter.event_hooks()
    assert limiter.hooked
    await hooks.emit(ResponseEvent("POST", "http://localhost/x", 1, 429, 0.0, None))
    assert limiter.limit == 4
