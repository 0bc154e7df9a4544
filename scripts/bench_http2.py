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


async def listing(base_url: str, concurrency: int, http2: bool) -> tuple[float, float, int]:
    """Wall and client-CPU seconds of one full listing (warm client: token and a connection), and the record
    count."""
    async with Casebook(
        base_url=base_url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        max_concurrency=concurrency,
        http2=http2,
    ) as cb:
        await cb.people.page(1, page_size=1)
        started, cpu, count = time.perf_counter(), time.process_time(), 0
        async with cb.people.list(page_size=PAGE_SIZE, concurrency=concurrency) as people:
            async for _ in people:
                count += 1
        return time.perf_counter() - started, time.process_time() - cpu, count


def run(base_url: str, concurrency: int, runs: int, records: int) -> dict[str, float]:
    """Medians of ``runs`` listings each, interleaved: wall and client-CPU seconds over HTTP/1.1 and HTTP/2
    (keys ``http1``, ``http2``, ``http1_cpu``, ``http2_cpu``)."""
    walls: dict[bool, list[float]] = {False: [], True: []}
    cpus: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(runs):
        for http2 in (False, True):
            wall, cpu, count = anyio.run(listing, base_url, concurrency, http2)
            if count != records:
                raise RuntimeError(
                    f"{'HTTP/2' if http2 else 'HTTP/1.1'} listing: {count} of {records} records"
                )
            walls[http2].append(wall)
            cpus[http2].append(cpu)
    return {
        "http1": statistics.median(walls[False]),
        "http2": statistics.median(walls[True]),
        "http1_cpu": statistics.median(cpus[False]),
        "http2_cpu": statistics.median(cpus[True]),
    }
