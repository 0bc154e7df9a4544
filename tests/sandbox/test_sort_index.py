"""Sorted indexes answer keyset and offset pages exactly as the scan-and-sort path does, and commit latency
makes writes visible late with the timestamps they arrived with."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import pytest

from casebook_async.sandbox import Faults, Sandbox
from casebook_async.sandbox import query as sandbox_query
from casebook_async.sandbox.query import IndexRange, parse_query, select

from .conftest import client_for, doc


class StepClock:
    """Server time the test moves: several writes share a millisecond, as in a bulk transaction."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def churned_sandbox(seed: int) -> Sandbox:
    """People created, updated and deleted at a few shared timestamps, with the indexes built early so
    every later write has to keep them current."""
    clock = StepClock()
    sb = Sandbox(seed=seed, s3=False, now=clock)
    sb.seed_data(people=60, providers=0, cases=0, notes=0, users=0, units_of_work=0)
    people = sb.store.collection("people")
    resource = sb.resources["people"]
    for name in ("updated_at", "created_at", "date_of_birth"):
        select(people, parse_query([("sort", f"{name},id")], resource, sb.resources, collection=True))
    rng = random.Random(seed)
    for _ in range(300):
        if rng.random() < 0.3:
            clock.now += timedelta(milliseconds=rng.choice((0, 0, 1, 250)))
        live = list(people.live.values())
        roll = rng.random()
        if roll < 0.35:
            sb.records.create(resource, {"first_name": "N", "last_name": str(rng.random())})
        elif roll < 0.85 and live:
            sb.records.update(resource, rng.choice(live), {"phone_number": str(rng.random())})
        elif live:
            sb.records.delete(rng.choice(live))
    return sb


QUERIES: list[list[tuple[str, str]]] = [
    [("sort", "updated_at,id")],
    [("sort", "-updated_at,-id")],
    [("sort", "created_at,id"), ("page[size]", "7"), ("page", "3")],
    [("sort", "date_of_birth,id"), ("filter[date_of_birth][ge]", "1970-01-01")],
    [("sort", "-created_at,-id"), ("filter[created_at][l]", "2026-01-01T00:00:00.251Z")],
    [("sort", "-updated_at,-id"), ("filter[updated_at][neq]", "null"), ("page[size]", "1")],
    [("sort", "date_of_birth,id"), ("filter[date_of_birth][neq]", "null")],
]


def bounds(sb: Sandbox) -> list[list[tuple[str, str]]]:
    """Keyset queries at every timestamp the records hold: each operator, each direction."""
    stamps = sorted({r["attributes"]["updated_at"] for r in sb.inspect.records("people")})
    out = []
    for stamp in stamps[:: max(1, len(stamps) // 6)]:
        for operator in ("", "[ge]", "[g]", "[l]", "[le]"):
            for order in ("updated_at,id", "-updated_at,-id"):
                out.append([(f"filter[updated_at]{operator}", stamp), ("sort", order), ("page[size]", "5")])
        out.append([("filter[updated_at][ge]", stamp), ("filter[last_name][like]", "%a%"), ("sort", order)])
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_index_answers_like_the_scan_after_creates_updates_and_deletes(seed: int) -> None:
    sb = churned_sandbox(seed)
    people = sb.store.collection("people")
    resource = sb.resources["people"]
    for params in QUERIES + bounds(sb):
        query = parse_query(params, resource, sb.resources, collection=True)
        fast, scanned = select(people, query), select(people.live_list(), query)
        given = dict(params)
        size, number = int(given.get("page[size]", "10")), int(given.get("page", "1"))
        assert len(fast) == len(scanned), params
        assert [r.id for r in fast[(number - 1) * size : number * size]] == [
            r.id for r in scanned[(number - 1) * size : number * size]
        ], params
        assert [r.id for r in fast[:]] == [r.id for r in scanned], params


def test_a_keyset_page_reads_the_index_not_the_records(monkeypatch: pytest.MonkeyPatch) -> None:
    sb = Sandbox(seed=1, s3=False)
    sb.seed_data(people=5_000, providers=0, cases=0, notes=0, users=0, units_of_work=0)
    people = sb.store.collection("people")
    params = [("filter[updated_at][ge]", "2024-01-02T00:00:00Z"), ("sort", "updated_at,id")]
    query = parse_query(params, sb.resources["people"], sb.resources, collection=True)
    select(people, query)  # builds the index: one pass, once
    calls = 0
    real = sandbox_query.comparable

    def counting(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        return real(*args)

    monkeypatch.setattr(sandbox_query, "comparable", counting)
    page = select(people, query)
    assert isinstance(page, IndexRange)
    assert len(page[0:100]) == 100
    assert calls == 0  # no record of the 5 000 was looked at to find, count or order the page


def test_unindexable_queries_take_the_scan() -> None:
    sb = Sandbox(seed=1, s3=False)
    sb.seed_data(people=20, providers=0, cases=0, notes=0, users=0, units_of_work=0)
    people = sb.store.collection("people")
    for params in (
        [("sort", "updated_at")],  # ties by creation order, not id
        [("sort", "updated_at,-id")],
        [("sort", "last_name,id")],
        [("filter[updated_at]", "null"), ("sort", "updated_at,id")],
    ):
        query = parse_query(params, sb.resources["people"], sb.resources, collection=True)
        assert isinstance(select(people, query), list), params


@pytest.mark.anyio
async def test_commit_latency_makes_a_write_visible_late_with_its_arrival_time() -> None:
    clock = StepClock()
    async with Sandbox(seed=1, s3=False, now=clock) as sb, client_for(sb, sb.issue_token()) as client:
        created: list[dict[str, Any]] = []
        visible_before_commit: list[list[Any]] = []

        async def post(last_name: str) -> None:
            response = await client.post(
                "/people/people", json=doc("people", {"first_name": "P", "last_name": last_name})
            )
            created.append(response.json()["data"]["attributes"])

        sb.faults = Faults(commit_latency=0.5, seed=5)  # this seed's first write waits 0.44 s
        async with anyio.create_task_group() as tg:
            tg.start_soon(post, "Late")
            await anyio.sleep(0.05)
            sb.faults = Faults()  # commits at once from here
            clock.now += timedelta(seconds=1)
            await post("Prompt")
            listed = await client.get("/people/people", params={"sort": "updated_at,id"})
            visible_before_commit.append([r["attributes"]["last_name"] for r in listed.json()["data"]])
        stored = {r["attributes"]["last_name"]: r["attributes"] for r in sb.inspect.records("people")}
    assert visible_before_commit == [["Prompt"]]
    assert [c["last_name"] for c in created] == ["Prompt", "Late"]  # committed (answered) last ...
    assert stored["Late"]["updated_at"] < stored["Prompt"]["updated_at"]  # ... stamped first
    assert stored["Late"]["created_at"] == "2026-01-01T00:00:00.000Z"
    assert sb.inspect.fault_counts == {"late_commit": 1}
