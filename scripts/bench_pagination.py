"""Benchmark: list 10 000 sandbox people (page size 100, 20 ms injected latency), sequential vs concurrent.

    .venv/bin/python scripts/bench_pagination.py [--runs 3] [--concurrency 8]

Prints the median wall time of each mode and the speed-up; also checks every record arrives once, in order.
"""

from __future__ import annotations

import argparse
import statistics
import time

import anyio

from casebook_async import Casebook
from casebook_async.sandbox import Faults, Sandbox


async def run(runs: int, concurrency: int) -> None:
    async with Sandbox(seed=0, s3=False, faults=Faults(latency=0.020)) as sb:
        sb.seed_data(people=10_000, providers=0, cases=0, notes=0, users=0, units_of_work=0)
        expected = [r["id"] for r in sb.inspect.records("people")]
        app = sb.register_application()
        async with Casebook(
            base_url=sb.base_url,
            transport=sb.transport,
            client_id=app.client_id,
            client_secret=app.client_secret,
            max_concurrency=max(concurrency, 1),
        ) as cb:
            times: dict[int, list[float]] = {1: [], concurrency: []}
            for _ in range(runs):
                for window in times:
                    started = time.perf_counter()
                    async with cb.people.list(page_size=100, concurrency=window) as people:
                        ids = [p.id async for p in people]
                    times[window].append(time.perf_counter() - started)
                    if ids != expected:
                        raise SystemExit(f"concurrency={window}: records missing, duplicated or out of order")
    sequential = statistics.median(times[1])
    concurrent = statistics.median(times[concurrency])
    print(f"records: {len(expected)}, page size 100, latency 20 ms, runs: {runs}")
    print(f"sequential (concurrency=1): median {sequential:.2f} s")
    print(f"concurrent (concurrency={concurrency}): median {concurrent:.2f} s")
    print(f"speed-up: {sequential / concurrent:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    anyio.run(run, args.runs, args.concurrency)


if __name__ == "__main__":
    main()
