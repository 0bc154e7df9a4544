"""Bulk sync at scale (issue 14):

(6) the change feed's peak resident memory (a fresh client process per size) while it streams every person
    of a sandbox served by another process, so the sandbox's own memory is not in the figure; RSS rather
    than tracemalloc, which slows a million-record run several times over;
(7) the consistent partitioned export (export_all) against the offset listing (list()) on the same
    sandbox with injected latency: records per second, same concurrency;
(8) bulk_upsert with default settings under 5 % injected 429s: the window, and report.throttled against
    the server's own count of 429s (in-process sandbox: what is measured is counts, not speed).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

import anyio
from bench_server import CLIENT_ID, CLIENT_SECRET

from casebook_async import Casebook
from casebook_async.bulk import BulkSync, export_all, export_changed
from casebook_async.sandbox import Faults, Sandbox


async def feed_rss(base_url: str) -> dict[str, float]:
    """Peak resident memory of this process around one change-feed run from nothing (to be run in a
    fresh process: ``ru_maxrss`` is a high-water mark for the process's whole life)."""
    async with Casebook(base_url=base_url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as cb:
        await cb.people.page(1, page_size=1)  # token, pooled connection, lazy imports
        baseline = _rss_now()
        started = time.perf_counter()
        count = 0
        saved = ""
        async for batch in export_changed(cb.people):
            count += len(batch.records)
            saved = batch.watermark.to_json()  # what a job saves after every page
        seconds = time.perf_counter() - started
    assert saved
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
    return {"baseline": baseline, "peak": peak, "records": count, "seconds": seconds}


def _rss_now() -> float:
    """Current resident set size in bytes (Linux /proc; 0 where unavailable)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * resource.getpagesize()
    except OSError:
        return 0.0


def run_feed(base_url: str) -> dict[str, float]:
    """feed_rss in a fresh interpreter, so each size's peak is its own."""
    done = subprocess.run(
        [sys.executable, __file__, "feed", base_url], capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout))


async def export_walls(base_url: str, concurrency: int) -> tuple[float, float, int, int]:
    """(offset listing seconds, partitioned export seconds, records each)."""
    async with Casebook(
        base_url=base_url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, max_concurrency=concurrency
    ) as cb:
        await cb.people.page(1, page_size=1)
        # The sandbox builds its created_at index on first use; a real server has its indexes already.
        await cb.people.page(1, page_size=1, sort=["created_at", "id"])
        started = time.perf_counter()
        offset = 0
        async with cb.people.list(page_size=100, concurrency=concurrency) as items:
            async for _ in items:
                offset += 1
        offset_wall = time.perf_counter() - started
        started = time.perf_counter()
        partitioned = 0
        async with export_all(cb.people, concurrency=concurrency) as export:
            async for records in export:
                partitioned += len(records)
        partition_wall = time.perf_counter() - started
    return offset_wall, partition_wall, offset, partitioned


def run_exports(base_url: str, concurrency: int) -> tuple[float, float, int, int]:
    return anyio.run(export_walls, base_url, concurrency)


@dataclass
class Adaptive:
    records: int
    throttled: int
    server_429: int
    start_window: int
    min_window: int
    final_window: int
    decreases: int
    ok: bool


async def adaptive_upsert(records: int, latency: float) -> Adaptive:
    faults = Faults(rate_429=0.05, retry_after=0, latency=latency, seed=14)
    async with Sandbox(seed=14, s3=False, faults=faults) as sb:
        async with Casebook(base_url=sb.base_url, transport=sb.transport, token=sb.issue_token()) as cb:
            windows: list[int] = []
            rows: list[dict[str, Any]] = [
                {"first_name": "Bench", "last_name": str(i), "email": f"adaptive{i}@example.org"}
                for i in range(records)
            ]
            sync = BulkSync(cb.people, durable=False, on_result=lambda _: windows.append(sync.limiter.limit))
            start = sync.limiter.limit
            report = await sync.upsert(rows, key="email")  # defaults: nothing wired, nothing tuned
        server_429 = sum(r.status == 429 for r in sb.inspect.requests)
    return Adaptive(
        records,
        report.throttled,
        server_429,
        start,
        min(windows),
        sync.limiter.limit,
        sync.limiter.decreases,
        report.ok,
    )


def run_adaptive(records: int, latency: float) -> Adaptive:
    return anyio.run(adaptive_upsert, records, latency)


if __name__ == "__main__":  # python bench_sync.py feed <base_url>: one measurement, JSON on stdout
    if sys.argv[1:2] == ["feed"]:
        print(json.dumps(anyio.run(feed_rss, sys.argv[2])))
