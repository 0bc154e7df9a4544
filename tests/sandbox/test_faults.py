"""Fault and latency injection: deterministic under a seed, counted, and shaped like the real failures."""

from __future__ import annotations

import httpx
import pytest

from casebook_async.sandbox import Faults, Sandbox

from .conftest import client_for, doc

pytestmark = pytest.mark.anyio


async def outcomes(faults: Faults, n: int = 40) -> list[str]:
    async with Sandbox(faults=faults, s3=False) as sb, client_for(sb, sb.issue_token()) as client:
        seen = []
        for _ in range(n):
            try:
                seen.append(str((await client.get("/people/people")).status_code))
            except httpx.TransportError as exc:
                seen.append(type(exc).__name__)
        return seen


async def test_same_seed_same_faults_other_seed_other_faults() -> None:
    chaos = Faults(rate_429=0.1, rate_5xx=0.2, rate_drop=0.1, rate_connect_error=0.1, seed=3)
    first, again = await outcomes(chaos), await outcomes(chaos)
    assert first == again
    assert {"200", "429", "ConnectError", "RemoteProtocolError"} <= set(first)
    assert set(first) & {"500", "502", "503", "504"}
    other = await outcomes(Faults(rate_429=0.1, rate_5xx=0.2, rate_drop=0.1, rate_connect_error=0.1, seed=4))
    assert other != first


async def test_injected_429_carries_retry_after_and_counts() -> None:
    async with Sandbox(faults=Faults(rate_429=1.0, retry_after=2.5), s3=False) as sb:
        async with client_for(sb, sb.issue_token()) as client:
            response = await client.get("/people/people")
        assert response.status_code == 429
        assert response.headers["retry-after"] == "3"
        assert response.json()["errors"][0]["code"] == "injected_fault"
        assert sb.inspect.fault_counts == {"429": 1}
        assert sb.inspect.requests[-1].fault == "429"


async def test_drops_and_connect_errors_never_reach_the_app() -> None:
    async with Sandbox(faults=Faults(rate_drop=1.0), s3=False) as sb, client_for(sb, sb.issue_token()) as c:
        with pytest.raises(httpx.RemoteProtocolError):
            await c.post("/people/people", json=doc("people", {"first_name": "A", "last_name": "B"}))
        assert sb.inspect.records("people") == []
        assert sb.inspect.fault_counts == {"drop": 1}
    async with Sandbox(faults=Faults(rate_connect_error=1.0), s3=False) as sb, client_for(sb, "t") as c:
        with pytest.raises(httpx.ConnectError):
            await c.get("/people/people")
        assert sb.inspect.fault_counts == {"connect_error": 1}


async def test_ambiguous_post_commits_then_answers_502() -> None:
    async with Sandbox(faults=Faults(rate_ambiguous_post=1.0), s3=False) as sb:
        async with client_for(sb, sb.issue_token()) as client:
            response = await client.post(
                "/people/people", json=doc("people", {"first_name": "A", "last_name": "B"})
            )
            assert response.status_code == 502
            assert [r["attributes"]["first_name"] for r in sb.inspect.records("people")] == ["A"]
            assert sb.inspect.fault_counts == {"ambiguous_post": 1}
            # a POST that fails validation is not committed, so it is answered truthfully
            invalid = await client.post("/people/people", json=doc("people", {"first_name": "A"}))
            assert invalid.status_code == 422
            assert (await client.get("/people/people")).status_code == 200  # GETs are unaffected
        assert sb.inspect.fault_counts == {"ambiguous_post": 1}


async def test_latency_is_fixed_plus_seeded_jitter() -> None:
    faults = Faults(latency=0.001, jitter=0.002, seed=5)

    async def latencies() -> list[float]:
        async with Sandbox(faults=faults, s3=False) as sb, client_for(sb, sb.issue_token()) as client:
            for _ in range(5):
                await client.get("/people/people")
            return [entry.latency for entry in sb.inspect.requests]

    first = await latencies()
    assert first == await latencies()
    assert all(0.001 <= value < 0.003 for value in first)
    assert len(set(first)) == 5


async def test_faults_can_be_changed_on_a_live_sandbox(sb: Sandbox, client: httpx.AsyncClient) -> None:
    sb.faults = Faults(rate_5xx=1.0)
    assert (await client.get("/people/people")).status_code in (500, 502, 503, 504)
    sb.faults = Faults()
    assert (await client.get("/people/people")).status_code == 200


def test_fault_rates_are_validated() -> None:
    with pytest.raises(ValueError, match="probability"):
        Faults(rate_5xx=1.5)
