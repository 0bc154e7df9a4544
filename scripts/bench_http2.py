"""(10) The same listing over HTTP/1.1 and over HTTP/2 (``http2=True``), against one sandbox in another
process served by hypercorn (``--http2``: both protocols on one port, so the server is the same for both):
HTTP/1.1 opens one connection per page in flight, HTTP/2 multiplexes them on one."""

from __future__ import annotations

import statistics
import time

import anyio
from bench_server import CLIENT_ID, CLIENT_SECRET

from casebook_async import Casebook

PAGE_SIZE = 100


async def listing(base_url: str, concurrency: int, http2: bool) -> tuple[float, int]:
    """Wall seconds of one full listing (warm client: token and a connection) and the record count."""
    async with Casebook(
        base_url=base_url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        max_concurrency=concurrency,
        http2=http2,
    ) as cb:
        await cb.people.page(1, page_size=1)
        started, count = time.perf_counter(), 0
        async with cb.people.list(page_size=PAGE_SIZE, concurrency=concurrency) as people:
            async for _ in people:
                count += 1
        return time.perf_counter() - started, count


def run(base_url: str, concurrency: int, runs: int, records: int) -> tuple[float, float]:
    """Median wall seconds (HTTP/1.1, HTTP/2) of ``runs`` listings each, interleaved."""
    walls: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(runs):
        for http2 in (False, True):
            wall, count = anyio.run(listing, base_url, concurrency, http2)
            if count != records:
                raise RuntimeError(
                    f"{'HTTP/2' if http2 else 'HTTP/1.1'} listing: {count} of {records} records"
                )
            walls[http2].append(wall)
    return statistics.median(walls[False]), statistics.median(walls[True])
