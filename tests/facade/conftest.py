"""Fixtures for facade tests: a respx router as the client's transport, and a recording fake sleep."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio.lowlevel
import httpx
import pytest
import respx

from casebook_async import Casebook, RetryPolicy

BASE = "https://api.casebook.net"
TOKEN = "tok-SECRET-abc123"


class FakeSleep:
    """Records requested delays instead of sleeping (no wall clock in tests)."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        await anyio.lowlevel.checkpoint()


def jsonapi(body: Any, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers={"content-type": "application/vnd.api+json", **headers})


def person(id_: str, last: str = "Doe") -> dict[str, Any]:
    return {"type": "people", "id": id_, "attributes": {"first_name": "Jo", "last_name": last}}


def errors(status: int, *items: dict[str, Any], **headers: str) -> httpx.Response:
    return jsonapi({"errors": list(items)}, status, **headers)


@pytest.fixture
def router() -> respx.MockRouter:
    return respx.MockRouter(base_url=BASE, assert_all_called=False)


@pytest.fixture
def fake_sleep() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
def make_client(router: respx.MockRouter, fake_sleep: FakeSleep) -> Callable[..., Casebook]:
    def make(**kwargs: Any) -> Casebook:
        kwargs.setdefault("token", TOKEN)
        kwargs.setdefault("retry", RetryPolicy(sleep=fake_sleep, random=lambda: 0.5))
        return Casebook(base_url=BASE, transport=httpx.MockTransport(router.async_handler), **kwargs)

    return make


@pytest.fixture
async def cb(make_client: Callable[..., Casebook]) -> AsyncIterator[Casebook]:
    async with make_client() as client:
        yield client
