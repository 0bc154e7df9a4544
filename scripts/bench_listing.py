"""(1), (2) List every person, page size 100, from a sandbox in another process with injected latency:
our concurrent paginator vs raw httpx at the same concurrency (the transport floor), vs sequential paging
with the generated client alone (parsing with its models), and vs the latency bound."""

from __future__ import annotations

import json
import math
import subprocess
import time
from pathlib import Path

import anyio
import httpx
from bench_server import CLIENT_ID, CLIENT_SECRET

from casebook_async import Casebook
from casebook_openapi import AuthenticatedClient
from casebook_openapi.api.people import list_people
from casebook_openapi.models import PersonCollectionDocument

PAGE_SIZE = 100
PEER_SCRIPT = Path(__file__).with_name("bench_jsonapi_client.py")


async def ours(base_url: str, concurrency: int, read: bool = False) -> tuple[float, float, int]:
    """Wall and client-CPU seconds of one full listing, and the record count (warm client: token, pool).
    ``read``: the consumer also reads every record's attributes (parsed on first access)."""
    async with Casebook(
        base_url=base_url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, max_concurrency=concurrency
    ) as cb:
        await cb.people.page(1, page_size=1)  # token and a pooled connection, outside the timing
        wall, cpu = time.perf_counter(), time.process_time()
        count = 0
        async with cb.people.list(page_size=PAGE_SIZE, concurrency=concurrency) as people:
            async for person in people:
                count += 1
                if read:
                    person.attributes.last_name  # noqa: B018 - the read is what is measured
        return time.perf_counter() - wall, time.process_time() - cpu, count


async def generated_sequential(base_url: str, token: str) -> tuple[float, float, int]:
    """The generated client alone: page=1, 2, ... until meta.page_count, each parsed into its models."""
    async with AuthenticatedClient(base_url=base_url, token=token) as client:
        await list_people.asyncio(client=client, page=1, pagesize=1)  # warm connection
        wall, cpu = time.perf_counter(), time.process_time()
        count, number, page_count = 0, 1, 1
        while number <= page_count:
            document = await list_people.asyncio(client=client, page=number, pagesize=PAGE_SIZE)
            if not isinstance(document, PersonCollectionDocument):
                raise TypeError(f"page {number}: {document!r}")
            count += len(document.data)
            page_count = int(document.meta.page_count)
            number += 1
        return time.perf_counter() - wall, time.process_time() - cpu, count


async def raw_httpx_floor(base_url: str, token: str, concurrency: int, records: int) -> tuple[float, int]:
    """The transport floor: raw httpx, `concurrency` GETs in flight, page count known up front (no first
    round trip), bodies only JSON-decoded (no models, checks, retries). What any httpx client pays."""
    pages = math.ceil(records / PAGE_SIZE)
    numbers = iter(range(1, pages + 1))
    count = 0
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/vnd.api+json"}
    async with httpx.AsyncClient(headers=headers) as client:
        await client.get(f"{base_url}/people/people?page[size]=1")  # warm connection

        async def worker() -> None:
            nonlocal count
            for number in numbers:  # shared iterator: each page is fetched once
                response = await client.get(f"{base_url}/people/people?page={number}&page[size]={PAGE_SIZE}")
                response.raise_for_status()
                count += len(response.json()["data"])

        wall = time.perf_counter()
        async with anyio.create_task_group() as tg:
            for _ in range(concurrency):
                tg.start_soon(worker)
        return time.perf_counter() - wall, count


def latency_bound(records: int, concurrency: int, latency: float, first_page: bool = False) -> float:
    """ceil(pages / concurrency) x latency, plus one round trip for the first page if it must come first."""
    rounds = math.ceil(math.ceil(records / PAGE_SIZE) / concurrency) + (1 if first_page else 0)
    return rounds * latency


def peer_jsonapi_client(python: str, base_url: str, token: str) -> dict[str, float]:
    """jsonapi-client's asyncio mode, run by an interpreter that has it (it is not our dependency)."""
    done = subprocess.run(
        [python, str(PEER_SCRIPT), base_url, token, str(PAGE_SIZE)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed")
    return dict(json.loads(done.stdout))


def run_ours(base_url: str, concurrency: int, read: bool = False) -> tuple[float, float, int]:
    return anyio.run(ours, base_url, concurrency, read)


def run_raw_floor(base_url: str, token: str, concurrency: int, records: int) -> tuple[float, int]:
    return anyio.run(raw_httpx_floor, base_url, token, concurrency, records)


def run_generated(base_url: str, token: str) -> tuple[float, float, int]:
    return anyio.run(generated_sequential, base_url, token)
