"""Flow fixtures: a seeded sandbox, and a Casebook client on its in-process transport with a fake sleep."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

import anyio.lowlevel
import httpx
import pytest

from casebook_async import Casebook, RetryPolicy
from casebook_async.sandbox import Sandbox


class FakeSleep:
    """Records requested delays instead of sleeping (no wall clock in tests)."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        await anyio.lowlevel.checkpoint()


class FlakyStorage(httpx.AsyncBaseTransport):
    """The storage side of an upload: fails the first ``failures`` PUTs (status or exception), then lets
    requests through to the sandbox's real loopback S3 emulator."""

    def __init__(self, failures: int, status: int = 503, exc: type[Exception] | None = None) -> None:
        self.failures = failures
        self.status = status
        self.exc = exc
        self.attempts = 0
        self._real = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        if self.attempts <= self.failures:
            await request.aread()
            if self.exc is not None:
                raise self.exc("injected storage failure", request=request)
            return httpx.Response(self.status, content=b"<Error><Code>SlowDown</Code></Error>")
        return await self._real.handle_async_request(request)

    async def aclose(self) -> None:
        await self._real.aclose()


@pytest.fixture
def fake_sleep() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
async def sb() -> AsyncIterator[Sandbox]:
    async with Sandbox(seed=11) as sandbox:
        sandbox.seed_data(people=5, providers=2, cases=2, notes=0, users=3, units_of_work=3)
        yield sandbox


@pytest.fixture
def make_cb(sb: Sandbox, fake_sleep: FakeSleep) -> Callable[..., Casebook]:
    """A client for the sandbox; ``roles=`` makes it act as an application with only those roles."""

    def make(roles: Iterable[str] | None = None, **kwargs: Any) -> Casebook:
        app = sb.register_application(roles=roles) if roles is not None else None
        kwargs.setdefault("transport", sb.transport)
        return Casebook(
            base_url=sb.base_url,
            token=sb.issue_token(app),
            retry=RetryPolicy(sleep=fake_sleep, random=lambda: 0.5),
            **kwargs,
        )

    return make


@pytest.fixture
async def cb(make_cb: Callable[..., Casebook]) -> AsyncIterator[Casebook]:
    async with make_cb() as client:
        yield client
