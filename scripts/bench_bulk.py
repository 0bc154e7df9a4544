"""(4) bulk_create at a fixed concurrency vs one at a time, against a sandbox in another process with
injected latency (latency-bound, like a real network)."""

from __future__ import annotations

import time
from typing import Any

import anyio
from bench_server import CLIENT_ID, CLIENT_SECRET

from casebook_async import Casebook
from casebook_async.bulk import AIMDLimiter, bulk_create


def people(n: int, tag: str) -> list[dict[str, Any]]:
    return [
        {"first_name": f"Bench{i}", "last_name": f"Bulk{tag}", "email": f"bench-{tag}-{i}@example.org"}
        for i in range(n)
    ]


async def create(base_url: str, n: int, concurrency: int, tag: str) -> float:
    """Records per second; every record must be created."""
    fixed = AIMDLimiter(concurrency, minimum=concurrency, maximum=concurrency)  # no adaptation
    async with Casebook(
        base_url=base_url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        max_concurrency=max(concurrency, 1),
    ) as cb:
        await cb.people.page(1, page_size=1)  # token and connection outside the timing
        rows = people(n, tag)
        started = time.perf_counter()
        report = await bulk_create(cb.people, rows, key="email", limiter=fixed, durable=False)
        elapsed = time.perf_counter() - started
    if report.counts.get("created") != n:
        raise RuntimeError(f"bulk_create: {dict(report.counts)} of {n}")
    return n / elapsed


def run(base_url: str, n: int, concurrency: int, tag: str) -> float:
    return anyio.run(create, base_url, n, concurrency, tag)
