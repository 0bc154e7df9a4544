"""Peer: list every person with jsonapi-client's asyncio mode (follows links.next).

    python bench_jsonapi_client.py BASE_URL TOKEN PAGE_SIZE  ->  {"wall": s, "cpu": s, "records": n}

Standalone on purpose (stdlib + jsonapi_client only): it runs under whichever interpreter has
jsonapi-client installed, so that package never becomes a dependency of casebook-async.
"""

import asyncio
import json
import sys
import time

from jsonapi_client import Modifier, Session


async def main(base_url: str, token: str, page_size: int) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with Session(base_url, enable_async=True, request_kwargs={"headers": headers}) as session:
        await session.get("people/people", Modifier("page[size]=1"))  # warm connection
        wall, cpu = time.perf_counter(), time.process_time()
        count = 0
        async for _ in session.iterate("people/people", Modifier(f"page[size]={page_size}")):
            count += 1
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(json.dumps({"wall": wall, "cpu": cpu, "records": count}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
