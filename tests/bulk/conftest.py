"""Fixtures for bulk tests: a sandbox and a client on its in-process transport, with instant retries."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio.lowlevel
import pytest

from casebook_async import Casebook, RetryPolicy
from casebook_async.sandbox import Sandbox


async def no_sleep(delay: float) -> None:
    await anyio.lowlevel.checkpoint()


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox(seed=7, s3=False) as sb:
        yield sb


@pytest.fixture
def make_client(sandbox: Sandbox) -> Callable[..., Casebook]:
    def make(**kwargs: Any) -> Casebook:
        kwargs.setdefault(
            "retry", RetryPolicy(attempts=6, initial_backoff=0.0, max_backoff=0.0, sleep=no_sleep)
        )
        kwargs.setdefault("transport", sandbox.transport)
        return Casebook(base_url=sandbox.base_url, token=sandbox.issue_token(), **kwargs)

    return make


def people(n: int, start: int = 0) -> list[dict[str, Any]]:
    return [
        {"first_name": f"First{i}", "last_name": f"Last{i}", "email": f"person{i}@example.org"}
        for i in range(start, start + n)
    ]


@pytest.fixture
def make_people() -> Callable[..., list[dict[str, Any]]]:
    return people
