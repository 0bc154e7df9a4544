"""Every BulkReport counter means what its docstring says, checked against the sandbox's own request log;
bulk writes adapt to 429s by default; max_concurrency is a hard cap."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest

from casebook_async import Casebook, EventHooks, RequestEvent, ResponseEvent, RetryPolicy
from casebook_async.bulk import BulkReport, BulkSync, bulk_upsert
from casebook_async.errors import InvalidInputError
from casebook_async.sandbox import Faults, Sandbox

from .conftest import no_sleep

pytestmark = pytest.mark.anyio

MakeClient = Callable[..., Casebook]
MakePeople = Callable[..., list[dict[str, Any]]]
# 429s, server errors, dropped connections and POSTs that commit and then answer 502: everything a counter
# has to tell apart. The client retries GET/PATCH (and a 429 to anything) itself, 6 attempts.
FAULTS = Faults(rate_429=0.05, rate_5xx=0.03, rate_drop=0.02, rate_ambiguous_post=0.03, retry_after=0, seed=3)


def server_tally(sb: Sandbox) -> dict[str, int]:
    """What the server saw: 429s answered; writes whose outcome the client could not know; key lookups
    that ended (answered, or failed with a status the client does not retry: the engine tries again)."""
    log = [r for r in sb.inspect.requests if r.path != "/oauth/token"]
    unknown = [
        r
        for r in log
        if r.method == "POST" and (r.fault == "drop" or (r.status is not None and r.status >= 500))
    ]
    retried = RetryPolicy().statuses
    ended = [
        r
        for r in log
        if r.method == "GET"
        and "filter[email]" in r.query
        and r.status is not None
        and r.status not in retried
    ]
    return {"429": sum(r.status == 429 for r in log), "unknown_posts": len(unknown), "lookups": len(ended)}


def assert_counts_match_the_server(sb: Sandbox, rows: list[dict[str, Any]], report: BulkReport) -> None:
    stored = {r["attributes"]["email"]: r for r in sb.inspect.records("people")}
    for row, result in zip(rows, report.results, strict=True):
        assert result.status in ("created", "updated", "skipped"), result
        assert stored[row["email"]]["id"] == result.id
    assert sum(report.counts.values()) == len(rows)
    assert not report.cancelled


async def test_create_counters_equal_the_servers_log(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople
) -> None:
    sandbox.faults = FAULTS
    rows = make_people(400)
    async with make_client() as cb:
        report = await BulkSync(cb.people, sleep=no_sleep).create(rows, key="email")
    tally = server_tally(sandbox)
    assert tally["429"] > 0
    assert tally["unknown_posts"] > 0
    assert report.throttled == tally["429"]  # each 429, retried by the client or not, counted once
    # A create looks a key up only after an unknown outcome: at least once per such POST (again when a
    # lookup itself failed), and never otherwise.
    assert report.lookups == tally["lookups"] >= tally["unknown_posts"]
    assert report.counts["created"] == len(rows)
    assert_counts_match_the_server(sandbox, rows, report)


async def test_upsert_counts_only_lookups_after_an_unknown_outcome(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople
) -> None:
    rows = make_people(300)
    async with make_client() as cb:
        await BulkSync(cb.people, sleep=no_sleep).create(rows[:150], key="email")  # half exist already
        for row in rows[:50]:
            row["phone_number"] = "555-0199"  # 50 changed, 100 unchanged, 150 new
        sandbox.inspect.clear_log()
        # No injected 500 (the one status the client does not retry), so each lookup succeeds at once and
        # an unknown outcome costs exactly one lookup.
        sandbox.faults = Faults(
            rate_429=0.05, rate_drop=0.03, rate_ambiguous_post=0.04, retry_after=0, seed=3
        )
        report = await BulkSync(cb.people, sleep=no_sleep).upsert(rows, key="email")
    tally = server_tally(sandbox)
    assert tally["unknown_posts"] > 0
    assert report.lookups == tally["unknown_posts"]  # not the 300 lookups every upsert makes
    assert report.throttled == tally["429"]
    assert report.counts == {
        "created": 150,
        "updated": 50,
        "skipped": 100,
        "failed": 0,
        "in_doubt": 0,
        "not_attempted": 0,
    }
    assert_counts_match_the_server(sandbox, rows, report)


async def test_the_window_shrinks_under_429s_without_any_wiring(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople
) -> None:
    """The README's call as written: bulk_upsert(cb.people, rows, key=...) on a plain client."""
    sandbox.faults = Faults(rate_429=0.05, retry_after=0, seed=8)
    windows: list[int] = []
    sync: list[BulkSync] = []

    def watch(_: Any) -> None:
        windows.append(sync[0].limiter.limit)

    async with make_client() as cb:
        job = BulkSync(cb.people, sleep=no_sleep, on_result=watch)
        sync.append(job)
        report = await job.upsert(make_people(600), key="email")
    assert report.throttled == server_tally(sandbox)["429"] > 0
    assert job.limiter.decreases > 0
    assert min(windows) < 8  # shrank below where it started
    assert max(windows) <= 16  # never above the client's own limit (default 16)
    assert report.ok


async def test_max_concurrency_is_a_hard_cap(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople
) -> None:
    sandbox.faults = Faults(latency=0.002)
    in_flight, peak = 0, 0

    def sent(_: RequestEvent) -> None:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)

    def answered(_: ResponseEvent) -> None:
        nonlocal in_flight
        in_flight -= 1

    async with make_client(event_hooks=EventHooks(request=[sent], response=[answered])) as cb:
        sync = BulkSync(cb.people, max_concurrency=2, sleep=no_sleep)
        report = await sync.create(make_people(120), key="email")
        assert sync.limiter.limit <= 2
        assert peak <= 2
        assert report.counts["created"] == 120
        report = await bulk_upsert(cb.people, make_people(60, start=500), key="email", max_concurrency=3)
        assert peak <= 3
        with pytest.raises(InvalidInputError, match="not both"):
            BulkSync(cb.people, max_concurrency=2, limiter=sync.limiter)
        with pytest.raises(InvalidInputError):
            BulkSync(cb.people, max_concurrency=0)
    async with make_client(max_concurrency=4) as cb:  # the client's limit caps the default window too
        assert BulkSync(cb.people).limiter.maximum == 4


async def test_concurrent_jobs_on_one_client_count_only_their_own_429s(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople
) -> None:
    sandbox.seed_data(people=200, providers=0, cases=0, notes=0, users=0, units_of_work=0)
    sandbox.faults = Faults(rate_429=0.1, retry_after=0, seed=4)
    reports: list[BulkReport] = []

    async def job(rows: list[dict[str, Any]], cb: Casebook) -> None:
        reports.append(await BulkSync(cb.people, sleep=no_sleep).create(rows, key="email"))

    async with make_client() as cb, anyio.create_task_group() as tg:
        tg.start_soon(job, make_people(150), cb)
        tg.start_soon(job, make_people(150, start=1000), cb)
        listed = await cb.people.list(page_size=2).collect()  # other traffic on the same client
    assert listed
    jobs_429 = [
        r
        for r in sandbox.inspect.requests
        if r.status == 429 and (r.method == "POST" or "filter[email]" in r.query)  # not the listing's
    ]
    listing_429 = [r for r in sandbox.inspect.requests if r.status == 429 and "filter" not in r.query]
    assert listing_429  # the listing was throttled too: those are nobody's job
    assert sum(r.throttled for r in reports) == len(jobs_429)
    assert all(r.throttled > 0 for r in reports)
