"""Soak: bulk sync under ~10 % mixed faults, token expiry mid-run, and a cancel + resume; then an audit.

Each run, against the in-process sandbox (no sockets):

1. ``bulk create`` of N people keyed by email, under mixed faults (429, 5xx, dropped and refused
   connections, POSTs that commit and then answer 502), with OAuth client credentials whose tokens live
   only a few hundred requests. The clock is virtual and advances one second per request, so the client
   refreshes before expiry several times; midway the *server's* clock jumps a full token lifetime ahead,
   so the live token is rejected and the client must re-authenticate on a 401.
2. The job is cancelled (cancel scope) once 40 % of the records are finished.
3. The same job is resumed from its checkpoint and runs to the end.
4. ``bulk upsert`` of a slice of the records, half of them changed, under the same faults.
5. The incremental change feed: consecutive runs, each from the watermark the one before saved (through
   its JSON), while writers create, update and delete people and every write commits up to 50 ms late
   (same faults; a run that fails midway is followed by one that resumes from the last saved page).

The audit then asserts nothing was lost or duplicated and that every report agrees with the sandbox's
stored records; for the feed, that every version live when a run started and still current when the
next run ended was delivered by then, that no version came twice, and that a last run after the writers
stop delivers every record in its final version. Every loop is bounded: client retries and engine
attempts are finite, and each run is wrapped in ``anyio.fail_after``.

    .venv/bin/python scripts/soak.py                      # 20 000 records x 3 seeds
    .venv/bin/python scripts/soak.py --records 2000 --seeds 1 2
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import random
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import anyio.lowlevel

from casebook_async import Casebook, CasebookError, EventHooks, RequestEvent, RetryEvent, RetryPolicy
from casebook_async.bulk import AIMDLimiter, BulkReport, BulkSync, Watermark, export_changed
from casebook_async.sandbox import Faults, Sandbox

# About 10 % of requests fail in some way; each kind is present.
MIX = {
    "rate_429": 0.02,
    "rate_5xx": 0.03,
    "rate_drop": 0.02,
    "rate_connect_error": 0.01,
    "rate_ambiguous_post": 0.02,
}
CANCEL_FRACTION = 0.4
CHANGED_PHONE = "555-0199"
COMMIT_LATENCY = 0.05  # seconds a write may take to become visible, in the feed phase
WRITERS = 4
SETTLE = timedelta(seconds=1)  # the feed's settle window: well above the commit latency, even under load


class SoakFailure(AssertionError):
    """An invariant did not hold: something was lost, duplicated or misreported."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SoakFailure(message)


async def no_sleep(_: float) -> None:
    """Backoff without wall-clock waits (the sandbox's faults are instant); still a cancellation point."""
    await anyio.lowlevel.checkpoint()


class VirtualClock:
    """One tick per request. The sandbox reads ``now + server_skew``: a skew jump expires tokens server-side
    before the client expects it (a revoked token, or a skewed server clock)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.server_skew = 0.0

    def client(self) -> float:
        return self.now

    def server(self) -> float:
        return self.now + self.server_skew


@dataclass
class SoakFigures:
    seed: int
    records: int
    upserted: int = 0
    requests: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    retries: int = 0
    lookups: int = 0
    tokens_issued: int = 0
    rejected_401: int = 0
    finished_before_cancel: int = 0
    in_doubt_at_cancel: int = 0
    recovered: int = 0  # creates whose outcome was unknown, found by a key lookup instead of re-sent
    upsert_counts: dict[str, int] = field(default_factory=dict)
    feed_runs: int = 0
    feed_failed_runs: int = 0  # runs stopped by an error the client does not retry; the next one resumed
    feed_versions: int = 0  # (id, updated_at) pairs delivered, each once
    feed_late: int = 0  # versions delivered by a run after the run before had read past their timestamp
    feed_writes: int = 0
    duration: float = 0.0


def people(n: int) -> list[dict[str, Any]]:
    return [
        {"first_name": f"Soak{i}", "last_name": f"Person{i}", "email": f"soak{i}@example.org"}
        for i in range(n)
    ]


def the_one(stored: dict[str, list[dict[str, Any]]], email: str) -> dict[str, Any]:
    found = stored.get(email, [])
    check(len(found) == 1, f"{email}: {len(found)} records on the server, want exactly 1")
    return found[0]


def stored_by_email(sb: Sandbox) -> dict[str, list[dict[str, Any]]]:
    stored: dict[str, list[dict[str, Any]]] = {}
    for record in sb.inspect.records("people"):
        stored.setdefault(record["attributes"]["email"], []).append(record)
    return stored


def audit_cancelled(sb: Sandbox, rows: list[dict[str, Any]], report: BulkReport) -> None:
    """The cancelled run's report is exactly what the server holds (in_doubt may be either)."""
    check(report.cancelled, "the first run was not cancelled")
    check(report.counts["failed"] == 0, f"failures in the first run: {report.by_status('failed')[:3]}")
    stored = stored_by_email(sb)
    for row, result in zip(rows, report.results, strict=True):
        on_server = stored.get(row["email"], [])
        check(len(on_server) <= 1, f"duplicate after cancel: {row['email']}")
        if result.status == "created":
            check([r["id"] for r in on_server] == [result.id], f"created but not stored: {result}")
        elif result.status == "not_attempted":
            check(not on_server, f"stored but reported not_attempted: {result}")
        else:
            check(result.status == "in_doubt", f"unexpected status after cancel: {result}")


def audit_final(sb: Sandbox, rows: list[dict[str, Any]], resumed: BulkReport, first: BulkReport) -> None:
    stored = stored_by_email(sb)
    check(sorted(stored) == sorted(r["email"] for r in rows), "records lost or unexpected records stored")
    for row, before, after in zip(rows, first.results, resumed.results, strict=True):
        record = the_one(stored, row["email"])  # nothing duplicated
        check(after.id == record["id"], f"report id {after.id} != stored id {record['id']}")
        if before.status == "created":
            check(after.status == "skipped" and after.reason == "checkpoint", f"not skipped: {after}")
        else:
            check(after.status == "created", f"not created on resume: {after}")
        for name, value in row.items():
            check(record["attributes"][name] == value, f"{row['email']}: {name} differs on the server")


def audit_upsert(sb: Sandbox, rows: list[dict[str, Any]], changed: set[int], report: BulkReport) -> None:
    stored = stored_by_email(sb)
    for index, (row, result) in enumerate(zip(rows, report.results, strict=True)):
        record = the_one(stored, row["email"])
        check(result.id == record["id"], f"upsert report id differs from the server: {result}")
        want = "updated" if index in changed else "skipped"
        check(result.status == want, f"upsert: {result} should be {want}")
        check(record["attributes"].get("phone_number") == row.get("phone_number"), f"upsert lost: {row}")


def live_versions(sb: Sandbox) -> set[tuple[str, datetime]]:
    return {
        (r["id"], datetime.fromisoformat(r["attributes"]["updated_at"].replace("Z", "+00:00")))
        for r in sb.inspect.records("people")
    }


async def feed_phase(sb: Sandbox, runs: int, seed: int, figures: SoakFigures) -> None:
    """Consecutive change-feed runs with writers running and late commits; audited (see the docstring)."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible mix of writes, not secrecy
    people = sb.store.collection("people")
    delivered: Counter[tuple[str, datetime]] = Counter()
    stop = anyio.Event()
    policy = RetryPolicy(attempts=8, initial_backoff=0.0, max_backoff=0.0, sleep=no_sleep)

    async def write(cb: Casebook) -> None:
        while not stop.is_set():
            ids = list(itertools.islice(reversed(people.live), 2000))  # the newest, without copying all
            roll = rng.random()
            with contextlib.suppress(CasebookError):  # a lost answer or a record another writer deleted
                if roll < 0.3:
                    await cb.people.create({"first_name": "Feed", "last_name": str(roll)})
                elif roll < 0.9:
                    await cb.people.update(rng.choice(ids), {"phone_number": str(roll)})
                else:
                    await cb.people.delete(rng.choice(ids))
            figures.feed_writes += 1
            await anyio.sleep(0.002)

    saved = {"watermark": Watermark().to_json()}  # what a job keeps in its --watermark-file
    passed: list[datetime] = []  # the head each completed run read up to

    async def run(cb: Casebook) -> None:
        before = Watermark.parse(saved["watermark"])
        async for batch in export_changed(cb.people, before, page_size=50, settle=SETTLE):
            for record in batch.records:
                delivered[(record.id, record.attributes.updated_at)] += 1
                # Committed after a completed run had read past its timestamp: caught by the overlap.
                figures.feed_late += bool(passed) and record.attributes.updated_at <= passed[-1]
            saved["watermark"] = batch.watermark.to_json()  # after every page, as the CLI does
        head = Watermark.parse(saved["watermark"]).head
        if head is not None:
            passed.append(head)

    sb.faults = Faults(**MIX, commit_latency=COMMIT_LATENCY, retry_after=0, seed=seed)
    async with (
        Casebook(
            base_url=sb.base_url, transport=sb.transport, token=sb.issue_token(), retry=policy
        ) as writer,
        Casebook(
            base_url=sb.base_url, transport=sb.transport, token=sb.issue_token(), retry=policy
        ) as reader,
    ):
        started: list[set[tuple[str, datetime]]] = []
        async with anyio.create_task_group() as tg:
            for _ in range(WRITERS):
                tg.start_soon(write, writer)
            for number in range(runs):
                started.append(live_versions(sb))
                try:
                    await run(reader)
                except CasebookError:  # e.g. an injected 500 (not retried): the next run resumes
                    figures.feed_failed_runs += 1
                    continue
                if number >= 1:
                    missing = (started[number - 1] & live_versions(sb)) - set(delivered)
                    check(not missing, f"feed run {number}: {len(missing)} versions not delivered")
                await anyio.sleep(0.05)  # a sync job runs every few minutes; the writers write meanwhile
            stop.set()
        sb.faults = Faults()
        await anyio.sleep(COMMIT_LATENCY * 5)  # the last commits land
        await run(reader)
    check(live_versions(sb) <= set(delivered), "the feed lost a record's final version")
    check(max(delivered.values()) == 1, "the feed delivered a version twice")
    figures.feed_runs = runs
    figures.feed_versions = len(delivered)


async def soak(
    records: int,
    seed: int,
    checkpoint_dir: Path,
    *,
    upsert: int = 1000,
    limit: float = 600.0,
    feed_runs: int = 50,
) -> SoakFigures:
    figures = SoakFigures(seed=seed, records=records)
    clock = VirtualClock()
    # Long enough for a few hundred requests, short enough to expire several times per run.
    lifetime = max(200.0, records / 4)
    started = time.perf_counter()
    with anyio.fail_after(limit):
        async with Sandbox(seed=seed, s3=False, clock=clock.server, token_lifetime=lifetime) as sb:
            app = sb.register_application()
            jump_at = int(records * 0.7)  # request count at which the server's clock leaps ahead
            requests = 0

            def tick(_: RequestEvent) -> None:
                nonlocal requests
                requests += 1
                clock.now += 1.0
                if requests == jump_at:
                    clock.server_skew += lifetime

            def on_retry(_: RetryEvent) -> None:
                figures.retries += 1

            limiter = AIMDLimiter(8, maximum=32)
            throttle_hooks = limiter.event_hooks()  # 429s the client retries itself shrink the window too
            hooks = EventHooks(request=[tick], response=throttle_hooks.response, retry=[on_retry])
            policy = RetryPolicy(attempts=8, initial_backoff=0.0, max_backoff=0.0, sleep=no_sleep)
            rows = people(records)
            journal = checkpoint_dir / f"soak-{seed}.jsonl"
            async with Casebook(
                base_url=sb.base_url,
                transport=sb.transport,
                client_id=app.client_id,
                client_secret=app.client_secret,
                clock=clock.client,
                retry=policy,
                max_concurrency=32,
                event_hooks=hooks,
            ) as cb:
                sb.faults = Faults(**MIX, retry_after=0, seed=seed)
                finished = 0
                with anyio.CancelScope() as scope:

                    def on_result(_: object) -> None:
                        nonlocal finished
                        finished += 1
                        if finished == int(records * CANCEL_FRACTION):
                            scope.cancel()

                    first_job = BulkSync(
                        cb.people,
                        checkpoint=journal,
                        limiter=limiter,
                        on_result=on_result,
                        durable=False,
                        sleep=no_sleep,
                    )
                    await first_job.create(rows, key="email")
                check(scope.cancelled_caught, "the cancel scope did not stop the first run")
                first = first_job.report
                assert first is not None
                audit_cancelled(sb, rows, first)
                figures.finished_before_cancel = finished
                figures.in_doubt_at_cancel = first.counts["in_doubt"]

                resumed = await BulkSync(
                    cb.people, checkpoint=journal, limiter=limiter, durable=False, sleep=no_sleep
                ).create(rows, key="email")
                check(not resumed.cancelled, "the resumed run was cancelled")
                audit_final(sb, rows, resumed, first)
                posts = sum(1 for w in sb.inspect.writes if w.method == "POST" and w.type == "people")
                check(posts == records, f"{posts} people created for {records} records")
                figures.recovered = sum(
                    1
                    for report in (first, resumed)
                    for r in report.results
                    if r.reason == "recovered after an unknown outcome"
                )

                subset = [dict(row) for row in rows[: min(upsert, records)]]
                changed = set(range(0, len(subset), 2))
                for index in changed:
                    subset[index]["phone_number"] = CHANGED_PHONE
                upserted = await BulkSync(cb.people, limiter=limiter, sleep=no_sleep).upsert(
                    subset, key="email"
                )
                audit_upsert(sb, subset, changed, upserted)
                figures.upserted = len(subset)
                figures.upsert_counts = {k: v for k, v in upserted.counts.items() if v}

            log = sb.inspect.requests
            figures.requests = len(log)
            figures.faults = dict(sorted(sb.inspect.fault_counts.items()))
            figures.lookups = first.lookups + resumed.lookups + upserted.lookups
            figures.tokens_issued = sb.inspect.tokens_issued
            figures.rejected_401 = sum(1 for r in log if r.status == 401)
            check(requests == len(log), f"the client sent {requests} requests, the sandbox saw {len(log)}")
            await feed_phase(sb, feed_runs, seed, figures)
    figures.duration = time.perf_counter() - started
    # The run must have exercised what it claims to.
    kinds = Counter(figures.faults)
    for kind in ("429", "drop", "connect_error", "ambiguous_post"):
        check(kinds[kind] > 0, f"no {kind} fault was injected")
    check(figures.tokens_issued >= 3, "the token never expired mid-run")
    check(figures.rejected_401 > 0, "no token was rejected mid-run")
    check(figures.feed_late > 0, "no late commit was caught by the feed's settle window")
    return figures


def table(runs: list[SoakFigures]) -> str:
    kinds = sorted({k for f in runs for k in f.faults})
    columns = [
        "seed",
        "records",
        "upserted",
        "requests",
        *[f"fault:{k}" for k in kinds],
        "retries",
        "lookups",
        "tokens",
        "401s",
        "in_doubt@cancel",
        "recovered",
        "feed runs",
        "failed+resumed",
        "feed writes",
        "versions",
        "late caught",
        "seconds",
    ]
    rows = [
        [
            str(f.seed),
            str(f.records),
            str(f.upserted),
            str(f.requests),
            *[str(f.faults.get(k, 0)) for k in kinds],
            str(f.retries),
            str(f.lookups),
            str(f.tokens_issued),
            str(f.rejected_401),
            str(f.in_doubt_at_cancel),
            str(f.recovered),
            str(f.feed_runs),
            str(f.feed_failed_runs),
            str(f.feed_writes),
            str(f.feed_versions),
            str(f.feed_late),
            f"{f.duration:.1f}",
        ]
        for f in runs
    ]
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join(" ---: " for _ in columns) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


async def main(records: int, seeds: list[int], upsert: int, limit: float, feed_runs: int) -> None:
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            figures = await soak(records, seed, Path(tmp), upsert=upsert, limit=limit, feed_runs=feed_runs)
            print(
                f"seed {seed}: {records} records, {figures.requests} requests, "
                f"{sum(figures.faults.values())} faults, {figures.duration:.1f}s - audit passed",
                flush=True,
            )
            runs.append(figures)
    print()
    print(table(runs))
    print(f"\nfault mix per request: {MIX}; cancel at {CANCEL_FRACTION:.0%} finished, then resume; OK")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--upsert", type=int, default=1000, help="records in the upsert phase")
    parser.add_argument("--limit", type=float, default=240.0, help="seconds allowed per seed")
    parser.add_argument("--feed-runs", type=int, default=50, help="consecutive change-feed runs")
    args = parser.parse_args()
    anyio.run(main, args.records, args.seeds, args.upsert, args.limit, args.feed_runs)
