"""(2) Client CPU per request: GET one person by id, our facade vs raw httpx on the same route.

Fairness: CPU is time.process_time() of this process. Against the sandbox in another process that is
client-only by construction (loopback syscalls included for both; a few calls in flight at once).
Against the in-process sandbox, the server's own CPU is in the same process, so a raw-ASGI baseline (the
sandbox transport called directly, no client) is measured and subtracted from both. The raw peer does
what a caller minimally must: send with a bearer header and decode JSON; a third peer also builds the
generated model (a typed result, as the facade returns).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

import anyio
import httpx
from bench_server import CLIENT_ID, CLIENT_SECRET

from casebook_async import Casebook
from casebook_async.sandbox import Sandbox
from casebook_openapi.models import PersonDocument

Call = Callable[[], Awaitable[object]]


async def cpu_per_call(call: Call, n: int, workers: int) -> float:
    """CPU seconds per call, `workers` calls in flight (keeps wall time short; CPU is what is measured)."""
    await call()  # warm: connection, token

    async def worker(count: int) -> None:
        for _ in range(count):
            await call()

    started = time.process_time()
    async with anyio.create_task_group() as tg:
        for i in range(workers):
            tg.start_soon(worker, n // workers + (i < n % workers))
    return (time.process_time() - started) / n


async def measure(
    base_url: str, n: int, rounds: int, workers: int, transport: httpx.AsyncBaseTransport | None = None
) -> dict[str, list[float]]:
    """Seconds of CPU per call for each peer, `rounds` times, interleaved so noise hits all alike."""
    async with Casebook(
        base_url=base_url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, transport=transport
    ) as cb:
        person_id = (await cb.people.page(1, page_size=1)).data[0].id
        url = f"{base_url}/people/people/{person_id}"
        async with httpx.AsyncClient(transport=transport) as raw:
            form = {
                "grant_type": "client_credentials",
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
            }
            token = (await raw.post(f"{base_url}/oauth/token", data=form)).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}", "Accept": "application/vnd.api+json"}

            async def facade() -> object:
                return await cb.people.get(person_id)

            async def raw_httpx() -> object:
                response = await raw.get(url, headers=headers)
                response.raise_for_status()
                return response.json()

            async def raw_typed() -> object:
                return PersonDocument.from_dict(await raw_httpx())

            peers: dict[str, Call] = {"facade": facade, "raw_httpx": raw_httpx, "raw_httpx_typed": raw_typed}
            if transport is not None:
                request = httpx.Request("GET", url, headers=headers)

                async def asgi() -> object:
                    response = await transport.handle_async_request(request)
                    await response.aread()
                    return response

                peers["asgi_only"] = asgi
            results: dict[str, list[float]] = {name: [] for name in peers}
            for _ in range(rounds):
                for name, call in peers.items():
                    results[name].append(await cpu_per_call(call, n, workers))
    return results


async def in_process(n: int, rounds: int) -> dict[str, list[float]]:
    async with Sandbox(seed=0, s3=False) as sb:
        sb.seed_data(people=10, providers=0, cases=0, notes=0, users=0, units_of_work=0)
        sb.register_application(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
        return await measure(sb.base_url, n, rounds, 1, sb.transport)


def run_out_of_process(base_url: str, n: int, rounds: int, workers: int) -> dict[str, list[float]]:
    return anyio.run(measure, base_url, n, rounds, workers)


def run_in_process(n: int, rounds: int) -> dict[str, list[float]]:
    return anyio.run(in_process, n, rounds)
