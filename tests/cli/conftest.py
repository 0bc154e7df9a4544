"""CLI fixtures: a sandbox served on loopback from a background event loop, so the CLI (which runs its
own event loop) can reach it over HTTP like a real deployment."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from anyio.from_thread import start_blocking_portal

from casebook_async.sandbox import Sandbox


@dataclass
class Served:
    sandbox: Sandbox
    base_url: str
    token: str


@pytest.fixture
def served() -> Iterator[Served]:
    sandbox = Sandbox(seed=3, s3=False)
    sandbox.seed_data(people=30, providers=2, cases=0, notes=0, users=0, units_of_work=0)
    with start_blocking_portal(backend="asyncio") as portal:
        with portal.wrap_async_context_manager(sandbox.serve(port=0)) as base_url:
            yield Served(sandbox, base_url, sandbox.issue_token())
        portal.call(sandbox.aclose)
