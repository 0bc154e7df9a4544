"""The same sandbox over real HTTP on 127.0.0.1: uvicorn via `sb.serve()`, and the CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

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


def test_cli_serves_a_seeded_sandbox_until_interrupted() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "casebook_async.sandbox",
            "--port",
            "0",
            "--people",
            "12",
            "--no-s3",
            "--client-id",
            "cli-id",
            "--client-secret",
            "cli-secret",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert banner.startswith("Casebook sandbox at http://127.0.0.1:"), banner
        base_url = banner.split(" at ")[1].strip()
        assert "cli-id" in process.stdout.readline()
        token = httpx.post(
            f"{base_url}/oauth/token",
            data={"grant_type": "client_credentials", "client_id": "cli-id", "client_secret": "cli-secret"},
        ).json()
        people = httpx.get(
            f"{base_url}/people/people", headers={"Authorization": f"Bearer {token['access_token']}"}
        ).json()
        assert people["meta"]["record_count"] == 12
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)
    assert process.returncode == 130  # 128 + SIGINT, as a shell reports it
