"""Imports under injected faults and after a kill: every record ends up on the server exactly once."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest

from casebook_async import Casebook, EventHooks, RequestEvent
from casebook_async.bulk import BulkReport, BulkSync, Journal, JournalWriteError
from casebook_async.sandbox import Faults, Sandbox

from .conftest import no_sleep

pytestmark = pytest.mark.anyio

MakeClient = Callable[..., Casebook]
MakePeople = Callable[..., list[dict[str, Any]]]

# ~10 % of requests fail in some way: throttled, server errors, dropped connections, and POSTs that commit
# but answer 502. `make test` runs 2 000 records; CASEBOOK_SLOW_TESTS=1 adds the 10 000-record run.
CHAOS = Faults(rate_429=0.03, rate_5xx=0.03, rate_drop=0.02, rate_ambiguous_post=0.02, retry_after=0, seed=11)
SIZES = [2_000] + ([10_000] if os.environ.get("CASEBOOK_SLOW_TESTS") == "1" else [])


def assert_exactly_once(sb: Sandbox, rows: list[dict[str, Any]], report: BulkReport) -> None:
    stored: dict[str, list[str]] = {}
    for record in sb.inspect.records("people"):
        stored.setdefault(record["attributes"]["email"], []).append(record["id"])
    duplicates = {k: v for k, v in stored.items() if len(v) > 1}
    assert not duplicates
    assert sorted(stored) == sorted(r["email"] for r in rows)
    for row, result in zip(rows, report.results, strict=True):
        assert result.status in ("created", "skipped"), result
        assert [result.id] == stored[row["email"]]


def assert_report_matches_server(
    sandbox: Sandbox, rows: list[dict[str, Any]], report: BulkReport
) -> dict[str, str]:
    """Every "created" is on the server with its id; nothing "not_attempted" is. Returns email -> id."""
    on_server = {r["attributes"]["email"]: r["id"] for r in sandbox.inspect.records("people")}
    for row, result in zip(rows, report.results, strict=True):
        if result.status == "created":
            assert on_server[row["email"]] == result.id
        elif result.status == "not_attempted":
            assert row["email"] not in on_server
    return on_server


@pytest.mark.parametrize("size", SIZES)
async def test_import_under_faults_writes_each_record_once(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople, size: int, tmp_path: Path
) -> None:
    sandbox.faults = CHAOS
    rows = make_people(size)
    async with make_client(max_concurrency=32) as cb:
        sync = BulkSync(cb.people, checkpoint=tmp_path / "j.jsonl", durable=False, sleep=no_sleep)
        report = await sync.create(rows, key="email")
    faults = sandbox.inspect.fault_counts
    assert faults["ambiguous_post"] > 0
    assert faults["drop"] > 0
    assert faults["429"] > 0
    assert report.counts["created"] == size
    assert report.lookups > 0
    assert_exactly_once(sandbox, rows, report)


async def test_cancelled_import_reports_accurately_and_resumes_without_duplicates(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople, tmp_path: Path
) -> None:
    sandbox.faults = Faults(rate_ambiguous_post=0.05, rate_drop=0.02, latency=0.0, seed=2)
    rows = make_people(400)
    journal = tmp_path / "people.jsonl"
    finished = 0

    async with make_client() as cb:
        with anyio.CancelScope() as scope:

            def on_result(_: Any) -> None:
                nonlocal finished
                finished += 1
                if finished == 150:
                    scope.cancel()  # "Ctrl-C" midway

            sync = BulkSync(cb.people, checkpoint=journal, on_result=on_result, sleep=no_sleep)
            await sync.create(rows, key="email")
        assert scope.cancelled_caught
        first = sync.report
        assert first is not None
        assert first.cancelled
        counts = first.counts
        assert counts["created"] >= 150
        assert counts["not_attempted"] > 0
        assert counts["failed"] == 0
        # The report is exactly what the server holds: every "created" is there, nothing unreported is.
        on_server = assert_report_matches_server(sandbox, rows, first)
        in_doubt = {rows[r.index]["email"] for r in first.by_status("in_doubt")}
        assert set(on_server) - in_doubt == {rows[r.index]["email"] for r in first.by_status("created")}

        resumed = await BulkSync(cb.people, checkpoint=journal, sleep=no_sleep).create(rows, key="email")
    assert not resumed.cancelled
    assert resumed.counts["skipped"] == counts["created"]
    assert resumed.counts["created"] == len(rows) - counts["created"]
    assert_exactly_once(sandbox, rows, resumed)


async def test_upsert_under_faults_creates_or_updates_each_record_once(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople
) -> None:
    async with make_client() as cb:
        first = await BulkSync(cb.people, sleep=no_sleep).create(make_people(150), key="email")
        assert first.ok
        rows = make_people(300)
        for row in rows:
            row["phone_number"] = "555-4242"
        sandbox.faults = CHAOS
        report = await BulkSync(cb.people, sleep=no_sleep).upsert(rows, key="email")
    assert sandbox.inspect.fault_counts["ambiguous_post"] > 0
    assert report.counts["updated"] == 150
    assert report.counts["created"] == 150
    stored: dict[str, list[dict[str, Any]]] = {}
    for record in sandbox.inspect.records("people"):
        stored.setdefault(record["attributes"]["email"], []).append(record)
    assert sorted(stored) == sorted(r["email"] for r in rows)
    for row, result in zip(rows, report.results, strict=True):
        (record,) = stored[row["email"]]
        assert record["id"] == result.id
        assert record["attributes"]["phone_number"] == "555-4242"


@pytest.mark.parametrize("operation", ["create", "upsert"])
async def test_a_resumed_job_stopped_during_its_lookups_reports_earlier_intents_in_doubt(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople, tmp_path: Path, operation: str
) -> None:
    rows = make_people(6)
    journal = tmp_path / "people.jsonl"
    stop: anyio.CancelScope | None = None

    def on_request(event: RequestEvent) -> None:
        if event.method == "GET" and stop is not None:
            stop.cancel()  # "Ctrl-C" while the first lookup is in flight

    async with make_client(retry=False, event_hooks=EventHooks(request=[on_request])) as cb:
        sandbox.faults = Faults(rate_ambiguous_post=1.0)  # every POST commits, then answers 502
        first = BulkSync(cb.people, checkpoint=journal, max_attempts=1, sleep=no_sleep)
        await getattr(first, operation)(rows, key="email")
        sandbox.faults = Faults()
        assert first.report is not None
        assert first.report.counts["in_doubt"] == 6
        with anyio.CancelScope() as stop:
            resumed = BulkSync(cb.people, checkpoint=journal, sleep=no_sleep)
            await getattr(resumed, operation)(rows, key="email")
    report = resumed.report
    assert report is not None
    assert report.cancelled
    # All six are on the server: "not_attempted" would promise they are not. Lookups that finished
    # before the cancellation landed have settled theirs as created.
    assert len(sandbox.inspect.records("people")) == 6
    assert report.counts["not_attempted"] == 0
    assert report.counts["in_doubt"] > 0
    assert report.counts["in_doubt"] + report.counts["created"] == 6


class FullDisk:
    """A journal file on a disk that fills up: a flush past ``room`` bytes fails and leaves the lines
    buffered, so closing (which flushes again) fails too, as a real full disk does."""

    def __init__(self, inner: Any, room: int) -> None:
        self._inner = inner
        self._room = room
        self._buffer: list[str] = []

    def write(self, text: str) -> int:
        self._buffer.append(text)
        return len(text)

    def flush(self) -> None:
        data = "".join(self._buffer)
        if len(data) > self._room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self._inner.write(data)
        self._inner.flush()
        self._room -= len(data)
        self._buffer = []

    def fileno(self) -> int:
        return int(self._inner.fileno())

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._inner.close()


def failing_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """fsync fails (EIO) after the header and a few batches landed."""
    fsyncs = 0
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        nonlocal fsyncs
        fsyncs += 1
        if fsyncs > 3:
            raise OSError(errno.EIO, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills: flushes fail, and so does the final close."""
    opening = Journal.open

    async def open_on_a_small_disk(cls: type[Journal], *args: Any, **kwargs: Any) -> Journal:
        journal = await opening(*args, **kwargs)
        journal._file = FullDisk(journal._file, room=600)
        return journal

    monkeypatch.setattr(Journal, "open", classmethod(open_on_a_small_disk))


@pytest.mark.parametrize("break_disk", [failing_fsync, full_disk])
async def test_a_checkpoint_that_cannot_be_written_stops_the_job_with_an_exact_report(
    sandbox: Sandbox,
    make_client: MakeClient,
    make_people: MakePeople,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    break_disk: Callable[[pytest.MonkeyPatch], None],
) -> None:
    break_disk(monkeypatch)
    rows = make_people(40)
    async with make_client() as cb:
        sync = BulkSync(cb.people, checkpoint=tmp_path / "j.jsonl", durable=True, sleep=no_sleep)
        with pytest.raises(JournalWriteError, match="cannot write the checkpoint"):  # not a raw OSError
            await sync.create(rows, key="email")
    report = sync.report
    assert report is not None
    assert report.cancelled
    assert report.counts["not_attempted"] > 0  # the job stopped instead of writing on without a journal
    assert_report_matches_server(sandbox, rows, report)
