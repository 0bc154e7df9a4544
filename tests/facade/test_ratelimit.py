"""max_rate: a client sends at most that many requests per second (GCRA), on a virtual clock here."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest
import respx

from casebook_async import Casebook, InvalidInputError
from casebook_async.ratelimit import RequestRate

pytestmark = pytest.mark.anyio


class VirtualTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def current_time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def virtual() -> VirtualTime:
    return VirtualTime()


def rate(virtual: VirtualTime, per_second: float, burst: int = 1) -> RequestRate:
    return RequestRate(per_second, burst, clock=virtual.current_time, sleep=virtual.sleep)


async def test_requests_are_spaced_by_the_rate(virtual: VirtualTime) -> None:
    limit = rate(virtual, 4.0)
    starts = []
    for _ in range(5):
        await limit.wait()
        starts.append(virtual.now)
    assert [round(b - a, 6) for a, b in itertools.pairwise(starts)] == [0.25] * 4


async def test_a_burst_goes_at_once_after_an_idle_spell(virtual: VirtualTime) -> None:
    limit = rate(virtual, 2.0, burst=3)
    for _ in range(3):
        await limit.wait()
    assert virtual.sleeps == []
    await limit.wait()
    assert virtual.sleeps == [0.5]
    virtual.now += 60
    for _ in range(3):
        await limit.wait()
    assert virtual.sleeps == [0.5]


async def test_the_client_waits_for_its_rate_before_each_request(virtual: VirtualTime) -> None:
    with respx.mock(base_url="https://api.casebook.net") as router:
        router.get("/people/people/1").mock(
            return_value=httpx.Response(
                200,
                json={
                    "data": {"type": "people", "id": "1", "attributes": {"first_name": "A", "last_name": "B"}}
                },
            )
        )
        async with Casebook(token="t", max_rate=10) as cb:
            assert cb.http.rate is not None
            assert cb.http.rate.rate == 10
            cb.http.rate = rate(virtual, 10)  # the same limit on the virtual clock
            for _ in range(4):
                await cb.people.get("1")
    assert [round(s, 6) for s in virtual.sleeps] == [0.1, 0.1, 0.1]


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf"), "5"])
def test_a_bad_rate_is_refused_up_front(bad: Any) -> None:
    with pytest.raises(InvalidInputError, match="max_rate"):
        Casebook(token="t", max_rate=bad)
