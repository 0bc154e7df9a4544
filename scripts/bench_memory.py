"""(3) Streaming: peak traced memory (tracemalloc) while consuming and discarding every person of a
sandbox in another process, `async with cb.people.list(page_size=100) as items: async for ...`.
Seeding happens in the server process before; only the streaming is measured, after a warm-up request."""

from __future__ import annotations

import tracemalloc

import anyio
from bench_server import CLIENT_ID, CLIENT_SECRET

from casebook_async import Casebook


async def stream_peak(base_url: str) -> tuple[int, int]:
    """(peak bytes above the starting point, records streamed)."""
    async with Casebook(base_url=base_url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as cb:
        await cb.people.page(1, page_size=100)  # token, pooled connection, lazy imports
        tracemalloc.start()
        try:
            start, _ = tracemalloc.get_traced_memory()
            count = 0
            async with cb.people.list(page_size=100) as items:
                async for _ in items:
                    count += 1
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        return peak - start, count


def run(base_url: str) -> tuple[int, int]:
    return anyio.run(stream_peak, base_url)
