"""The same sandbox over real HTTP on 127.0.0.1: uvicorn via `sb.serve()`, and the CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import anyio
import httpx
import pytest

from casebook_async.sandbox import Faults, Sandbox

from .conftest import JSONAPI, doc


@pytest.mark.anyio
async def test_key_semantics_over_loopback() -> None:
    async with Sandbox(seed=3) as sb, sb.serve() as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        sb.seed_data(people=25, providers=2, cases=2, notes=2, users=1, units_of_work=1)
        app = sb.register_application()
        async with httpx.AsyncClient(base_url=base_url) as raw:
            token = (
                await raw.post(
                    "/oauth/token",
                    data={
                        "grant_type": "client_credentials",
                        "client_id": app.client_id,
                        "client_secret": app.client_secret,
                    },
                )
            ).json()["access_token"]
            assert (await raw.get("/people/people")).status_code == 401
        headers = {"Authorization": f"Bearer {token}", "Content-Type": JSONAPI}
        async with httpx.AsyncClient(base_url=base_url, headers=headers) as client:
            page = (await client.get("/people/people", params={"page[size]": 10, "page": 3})).json()
            assert page["meta"]["record_count"] == 25
            assert len(page["data"]) == 5
            assert page["links"]["first"].startswith(base_url)
            created = await client.post(
                "/people/people", json=doc("people", {"first_name": "L", "last_name": "B"})
            )
            assert created.status_code == 201
            person = created.json()["data"]["id"]
            assert (
                await client.post("/people/people", json=doc("people", {"last_name": 1}))
            ).status_code == 422
            assert (await client.delete(f"/people/people/{person}")).status_code == 204
            assert (await client.get(f"/people/people/{person}")).status_code == 404
            assert (await client.get("/people/people", params={"page[size]": 500})).status_code == 400

            attachment = await client.post(
                "/attachments/attachments",
                json=doc(
                    "attachments",
                    {
                        "file_name": "a",
                        "content_type": "text/plain",
                        "file_size": 2,
                        "record_type": "people",
                        "record_id": sb.inspect.records("people")[0]["id"],
                    },
                ),
            )
            url = attachment.json()["data"]["attributes"]["upload_url"]
            async with httpx.AsyncClient() as s3:
                assert (await s3.put(url, content=b"ok")).status_code == 200
            assert sb.inspect.s3_object(attachment.json()["data"]["id"]) == b"ok"

            sb.faults = Faults(rate_429=1.0)
            limited = await client.get("/people/people")
            assert limited.status_code == 429
            assert limited.headers["retry-after"] == "1"
            assert limited.headers["x-request-id"]
        assert sb.inspect.fault_counts["429"] == 1


@pytest.mark.anyio
@pytest.mark.timeout(60, method="thread")  # a deadlock guard (the regression was a hang), not a speed check
async def test_cancelling_serve_while_uvicorn_starts_returns() -> None:
    async with Sandbox(seed=3) as sb:
        for delay in (0, 0.001, 0.002, 0.005, 0.01, 0.03, 0.1):
            with anyio.move_on_after(delay):
                async with sb.serve() as base_url:
                    await anyio.sleep_forever()
        async with sb.serve() as base_url, httpx.AsyncClient(base_url=base_url) as raw:
            assert (await raw.get("/people/people")).status_code == 401  # still serves afterwards


@contextmanager
def served(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`python -m casebook_async.sandbox --port 0 ARGS`: the process and its base URL; SIGINT at the end."""
    process = subprocess.Popen(  # noqa: S603 - our own module, arguments from the tests
        [sys.executable, "-m", "casebook_async.sandbox", "--port", "0", "--no-s3", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert banner.startswith("Casebook sandbox at http://127.0.0.1:"), banner
        yield process, banner.split(" at ")[1].strip()
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)


def token(base_url: str, client_id: str = "sandbox-client", client_secret: str = "sandbox-secret") -> str:  # noqa: S107
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret}
    return str(httpx.post(f"{base_url}/oauth/token", data=form).json()["access_token"])


def test_cli_serves_a_seeded_sandbox_until_interrupted() -> None:
    with served("--people", "12", "--client-id", "cli-id", "--client-secret", "cli-secret") as (
        process,
        base_url,
    ):
        assert process.stdout is not None
        assert "cli-id" in process.stdout.readline()
        people = httpx.get(
            f"{base_url}/people/people",
            headers={"Authorization": f"Bearer {token(base_url, 'cli-id', 'cli-secret')}"},
        ).json()
        assert people["meta"]["record_count"] == 12
    assert process.returncode == 130  # 128 + SIGINT, as a shell reports it


def test_cli_serves_other_json_api_conventions() -> None:
    with served("--people", "12", "--conventions", "drf") as (process, base_url):
        assert process.stdout is not None
        assert "conventions:   drf" in process.stdout.readline()
        people = httpx.get(
            f"{base_url}/people/people?page[size]=5", headers={"Authorization": f"Bearer {token(base_url)}"}
        ).json()
    assert people["meta"] == {"pagination": {"page": 1, "pages": 3, "count": 12}}
    assert people["links"]["next"].endswith("page[number]=2&page[size]=5")
