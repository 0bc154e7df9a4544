"""Sandbox fixtures: a fresh seeded sandbox per test and an httpx client on its in-process transport."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from casebook_async.sandbox import Sandbox

JSONAPI = "application/vnd.api+json"


class FakeClock:
    """Monotonic seconds the test advances by hand (token expiry, rate limits) — no sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def doc(type_: str, attributes: dict[str, Any], id_: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"type": type_, "attributes": attributes}
    if id_ is not None:
        data["id"] = id_
    return {"data": data}


def client_for(sb: Sandbox, token: str | None = None) -> httpx.AsyncClient:
    headers = {"Content-Type": JSONAPI, "Accept": JSONAPI}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.AsyncClient(transport=sb.transport, base_url=sb.base_url, headers=headers)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def sb(clock: FakeClock) -> AsyncIterator[Sandbox]:
    async with Sandbox(seed=7, clock=clock) as sandbox:
        sandbox.seed_data(people=30, providers=3, cases=5, notes=5, users=3, units_of_work=3)
        yield sandbox


@pytest.fixture
async def client(sb: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(sb, sb.issue_token()) as c:
        yield c
