"""Bulk create/update/upsert against the in-process sandbox: reports must match what the sandbox stored."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from casebook_async import Casebook
from casebook_async.bulk import (
    AIMDLimiter,
    BulkSync,
    JournalMismatchError,
    bulk_create,
    bulk_update,
    bulk_upsert,
)
from casebook_async.bulk.journal import fingerprint
from casebook_async.bulk.report import RecordResult
from casebook_async.sandbox import Faults, Sandbox

from .conftest import no_sleep

pytestmark = pytest.mark.anyio

MakeClient = Callable[..., Casebook]
MakePeople = Callable[..., list[dict[str, Any]]]


def stored_by_email(sb: Sandbox) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for record in sb.inspect.records("people"):
        out.setdefault(record["attributes"].get("email"), []).append(record)
    return out


async def test_bulk_create_matches_the_sandbox(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople
) -> None:
    rows = make_people(50)
    async with make_client() as cb:
        report = await bulk_create(cb.people, rows, key="email", sleep=no_sleep)
    assert report.counts["created"] == 50
    assert report.ok
    stored = {r["id"]: r for r in sandbox.inspect.records("people")}
    assert len(stored) == 50
    for row, result in zip(rows, report.results, strict=True):
        assert result.status == "created"
        assert result.id is not None
        assert stored[result.id]["attributes"]["email"] == row["email"]
        assert stored[result.id]["attributes"]["last_name"] == row["last_name"]
    posts = [w for w in sandbox.inspect.writes if w.method == "POST"]
    assert len(posts) == 50


async def test_definite_4xx_fails_that_record_only(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople
) -> None:
    rows = make_people(3)
    rows[1] = {"first_name": "NoLastName", "email": "bad@example.org"}  # rejected locally
    rows.append(
        {"first_name": "X", "last_name": "Y", "email": "x@example.org", "hispanic_or_latino": "maybe"}
    )
    async with make_client() as cb:
        report = await bulk_create(cb.people, rows, key="email", sleep=no_sleep)
    assert [r.status for r in report.results] == ["created", "failed", "created", "failed"]
    assert "last_name" in (report.results[1].error or "")
    assert sandbox.inspect.count("people") == 2
    assert not report.ok


async def test_upsert_reports_a_definite_4xx_as_failed_not_in_doubt(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople
) -> None:
    ids = sandbox.seed_data(people=1, providers=0, cases=0, notes=0, users=0, units_of_work=0)["people"]
    existing = sandbox.inspect.record("people", ids[0])
    assert existing is not None
    rows = [
        {"first_name": "NoLastName", "email": "new@example.org"},  # create refused locally
        {"first_name": "X", "last_name": "Y", "email": "y@example.org", "hispanic_or_latino": "maybe"},
        {"email": existing["attributes"]["email"], "hispanic_or_latino": "maybe"},  # update refused
        *make_people(1),
    ]
    async with make_client() as cb:
        report = await bulk_upsert(cb.people, rows, key="email", sleep=no_sleep)
    assert [r.status for r in report.results] == ["failed", "failed", "failed", "created"]
    assert all(r.error for r in report.results[:3])
    assert sandbox.inspect.count("people") == 2
    assert [w.method for w in sandbox.inspect.writes] == ["POST"]


async def test_bulk_update_matches_the_sandbox(sandbox: Sandbox, make_client: MakeClient) -> None:
    ids = sandbox.seed_data(people=20, providers=0, cases=0, notes=0, users=0, units_of_work=0)["people"]
    changes = [{"id": id_, "phone_number": f"555-{i:04d}"} for i, id_ in enumerate(ids)]
    changes.append({"id": "does-not-exist", "phone_number": "555-9999"})
    async with make_client() as cb:
        report = await bulk_update(cb.people, changes, sleep=no_sleep)
    assert report.counts["updated"] == 20
    assert report.results[-1].status == "failed"
    assert "404" in (report.results[-1].error or "")
    for change in changes[:-1]:
        record = sandbox.inspect.record("people", change["id"])
        assert record is not None
        assert record["attributes"]["phone_number"] == change["phone_number"]


async def test_bulk_upsert_creates_updates_and_skips_unchanged(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople
) -> None:
    async with make_client() as cb:
        first = await bulk_upsert(cb.people, make_people(10), key="email", sleep=no_sleep)
        assert first.counts["created"] == 10
        rows = make_people(15)
        for row in rows[:4]:
            row["phone_number"] = "555-0000"
        second = await bulk_upsert(cb.people, rows, key="email", sleep=no_sleep)
    assert [r.status for r in second.results] == ["updated"] * 4 + ["skipped"] * 6 + ["created"] * 5
    assert all(r.reason == "unchanged" for r in second.by_status("skipped"))
    by_email = stored_by_email(sandbox)
    assert len(by_email) == 15
    assert all(len(v) == 1 for v in by_email.values())
    for row, result in zip(rows, second.results, strict=True):
        (record,) = by_email[row["email"]]
        assert record["id"] == result.id
        assert record["attributes"].get("phone_number") == row.get("phone_number")
    patches = [w for w in sandbox.inspect.writes if w.method == "PATCH"]
    assert len(patches) == 4  # unchanged records were not written


async def test_upsert_fails_when_the_key_matches_two_server_records(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople
) -> None:
    rows = make_people(1)
    async with make_client() as cb:
        await cb.people.create(rows[0])
        await cb.people.create(rows[0])
        report = await bulk_upsert(cb.people, rows, key="email", sleep=no_sleep)
    assert report.results[0].status == "failed"
    assert "DuplicateKeyError" in (report.results[0].error or "")


async def test_duplicate_keys_in_the_input_are_written_once(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople
) -> None:
    rows = make_people(2) + make_people(1)
    async with make_client() as cb:
        report = await bulk_create(cb.people, rows, key="email", sleep=no_sleep)
    assert [r.status for r in report.results] == ["created", "created", "failed"]
    assert sandbox.inspect.count("people") == 2


async def test_ambiguous_posts_are_looked_up_not_duplicated(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople
) -> None:
    sandbox.faults = Faults(rate_ambiguous_post=0.5, seed=3)
    rows = make_people(40)
    async with make_client() as cb:
        report = await bulk_create(cb.people, rows, key="email", sleep=no_sleep)
    assert sandbox.inspect.fault_counts["ambiguous_post"] > 0
    assert report.lookups > 0
    assert report.counts["created"] == 40
    by_email = stored_by_email(sandbox)
    assert sorted(by_email) == sorted(r["email"] for r in rows)
    assert all(len(v) == 1 for v in by_email.values())
    assert {r.id for r in report.results} == {v[0]["id"] for v in by_email.values()}


async def test_creates_that_never_connected_are_failed_not_in_doubt(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople
) -> None:
    sandbox.faults = Faults(rate_connect_error=1.0)  # refused before anything is sent, every time
    rows = make_people(3)
    async with make_client() as cb:
        report = await bulk_create(cb.people, rows, sleep=no_sleep)  # no key: no lookup to fall back on
    assert report.counts["failed"] == 3
    assert all("ConnectError" in (r.error or "") for r in report.results)
    assert sandbox.inspect.count("people") == 0


async def test_a_journal_with_a_torn_last_line_resumes_and_resumes_again(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople, tmp_path: Path
) -> None:
    journal = tmp_path / "j.jsonl"
    header = {"format": 2, "operation": "create", "resource": "people", "key": "email"}
    journal.write_text(json.dumps(header) + "\n" + '{"k": "email=person0@exa')  # a crash mid-write
    rows = make_people(2)
    async with make_client() as cb:
        first = await BulkSync(cb.people, checkpoint=journal, sleep=no_sleep).create(rows, key="email")
        again = await BulkSync(cb.people, checkpoint=journal, sleep=no_sleep).create(rows, key="email")
    assert first.counts["created"] == 2
    assert [r.status for r in again.results] == ["skipped", "skipped"]  # the torn tail did not corrupt it
    assert sandbox.inspect.count("people") == 2


@pytest.mark.parametrize("client_retries", [True, False], ids=["client-retries-hooked", "engine-retries"])
async def test_429s_shrink_the_window_and_are_retried(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople, client_retries: bool
) -> None:
    sandbox.faults = Faults(rate_429=0.3, retry_after=0, seed=5)
    limiter = AIMDLimiter(16, maximum=32)
    rows = make_people(60)
    # Hooked, the client's own retries report each 429 to the limiter; without them every 429 reaches the
    # engine, which must retry it itself.
    options: dict[str, Any] = {"event_hooks": limiter.event_hooks()} if client_retries else {"retry": False}
    async with make_client(**options) as cb:
        report = await bulk_create(cb.people, rows, key="email", limiter=limiter, sleep=no_sleep)
    assert report.counts["created"] == 60
    assert report.throttled > 0
    assert limiter.decreases > 0
    assert sandbox.inspect.count("people") == 60


async def test_checkpoint_skips_done_records_on_rerun(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople, tmp_path: Path
) -> None:
    journal = tmp_path / "people.jsonl"
    rows = make_people(10)
    async with make_client() as cb:
        await bulk_create(cb.people, rows[:6], key="email", checkpoint=journal, sleep=no_sleep)
        again = await bulk_create(cb.people, rows, key="email", checkpoint=journal, sleep=no_sleep)
        assert Counter(r.status for r in again.results) == {"skipped": 6, "created": 4}
        assert all(r.reason == "checkpoint" and r.id for r in again.by_status("skipped"))
        with pytest.raises(JournalMismatchError):
            await bulk_upsert(cb.people, rows, key="email", checkpoint=journal, sleep=no_sleep)
    assert sandbox.inspect.count("people") == 10


async def test_resume_after_a_crash_between_intent_and_answer_looks_up_first(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople, tmp_path: Path
) -> None:
    """Simulates a kill after a POST committed but before its result was journaled."""
    journal = tmp_path / "people.jsonl"
    rows = make_people(3)
    async with make_client() as cb:
        created = await cb.people.create(rows[0])
        h0, h1 = fingerprint(rows[0]), fingerprint(rows[1])
        journal.write_text(
            '{"format": 2, "operation": "create", "resource": "people", "key": "email"}\n'
            f'{{"k": "email=person0@example.org", "s": "intent", "h": "{h0}"}}\n'
            f'{{"k": "email=person1@example.org", "s": "intent", "h": "{h1}"}}\n'
            '{"k": "email=person2@exa'  # torn line: never committed
        )
        report = await BulkSync(cb.people, checkpoint=journal, sleep=no_sleep).create(rows, key="email")
    assert report.results[0].status == "created"
    assert report.results[0].id == created.id
    assert report.results[0].reason is not None
    assert "recovered" in report.results[0].reason
    assert report.lookups == 2  # only the two intents were looked up
    assert all(len(v) == 1 for v in stored_by_email(sandbox).values())
    assert sandbox.inspect.count("people") == 3


async def test_a_create_refuses_to_resume_over_changed_input(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople, tmp_path: Path
) -> None:
    """Same identities, different records: skipping them as 'done' would silently drop the edits."""
    for key in ("email", None):
        journal = tmp_path / f"create-{key}.jsonl"
        rows = make_people(4)
        async with make_client() as cb:
            first = await BulkSync(cb.people, checkpoint=journal, sleep=no_sleep).create(rows, key=key)
            assert first.ok
            rows[2]["phone_number"] = "555-0102"
            sent = len(sandbox.inspect.requests)
            with pytest.raises(JournalMismatchError, match="1 record"):
                await BulkSync(cb.people, checkpoint=journal, sleep=no_sleep).create(rows, key=key)
            assert len(sandbox.inspect.requests) == sent  # refused before any request
            rows[2].pop("phone_number")  # the input it was written for resumes as before
            again = await BulkSync(cb.people, checkpoint=journal, sleep=no_sleep).create(rows, key=key)
            assert [r.reason for r in again.results] == ["checkpoint"] * 4


async def test_upsert_and_update_resumed_over_changed_input_write_the_changes(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople, tmp_path: Path
) -> None:
    rows = make_people(4)
    async with make_client() as cb:
        first = await BulkSync(cb.people, checkpoint=tmp_path / "u.jsonl", sleep=no_sleep).upsert(
            rows, key="email"
        )
        rows[1]["phone_number"] = "555-0101"
        second = await BulkSync(cb.people, checkpoint=tmp_path / "u.jsonl", sleep=no_sleep).upsert(
            rows, key="email"
        )
        ids = [r.id for r in first.results]
        changes = [{"id": i, "last_name": "Same"} for i in ids]
        await BulkSync(cb.people, checkpoint=tmp_path / "p.jsonl", sleep=no_sleep).update(changes)
        changes[3]["last_name"] = "Edited"
        third = await BulkSync(cb.people, checkpoint=tmp_path / "p.jsonl", sleep=no_sleep).update(changes)
    assert [r.status for r in second.results] == ["skipped", "updated", "skipped", "skipped"]
    assert [r.status for r in third.results] == ["skipped", "skipped", "skipped", "updated"]
    stored = {r["id"]: r["attributes"] for r in sandbox.inspect.records("people")}
    assert stored[ids[1]]["phone_number"] == "555-0101"
    assert stored[ids[3]]["last_name"] == "Edited"


async def test_a_resumed_job_stopped_early_still_reports_the_records_done_before(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople, tmp_path: Path
) -> None:
    journal = tmp_path / "people.jsonl"
    done, new = make_people(30), make_people(10, start=100)
    async with make_client() as cb:
        await BulkSync(cb.people, checkpoint=journal, sleep=no_sleep).create(done, key="email")
        with anyio.CancelScope() as scope:

            def stop_at_the_first_write(result: RecordResult) -> None:
                if result.status == "created":
                    scope.cancel()

            sync = BulkSync(cb.people, checkpoint=journal, sleep=no_sleep, on_result=stop_at_the_first_write)
            await sync.create(new + done, key="email")  # the done ones come after the new ones
    assert scope.cancelled_caught
    assert sync.report is not None
    assert sync.report.cancelled
    assert [r.reason for r in sync.report.results[10:]] == ["checkpoint"] * 30
    created = sync.report.by_status("created")
    assert 1 <= len(created) < 10
    assert sandbox.inspect.count("people") - 30 - len(created) <= sync.report.counts["in_doubt"]


async def test_a_checkpoint_with_a_blank_first_line_is_not_taken_for_a_fresh_one(
    make_client: MakeClient, make_people: MakePeople, tmp_path: Path
) -> None:
    blank, broken = tmp_path / "blank.jsonl", tmp_path / "broken.jsonl"
    blank.write_text("\n")
    broken.write_text('\n{"k": "email=person0@example.org", "s": "created", "id": "x"}\n')
    async with make_client() as cb:
        report = await BulkSync(cb.people, checkpoint=blank, sleep=no_sleep).create(
            make_people(2), key="email"
        )
        assert report.ok
        assert '"operation": "create"' in blank.read_text().splitlines()[0]
        with pytest.raises(JournalMismatchError, match="first line is blank"):
            await BulkSync(cb.people, checkpoint=broken, sleep=no_sleep).create(make_people(2), key="email")
        broken.write_text('{"format": 2, "operation": "cre')
        with pytest.raises(JournalMismatchError, match="not a checkpoint"):
            await BulkSync(cb.people, checkpoint=broken, sleep=no_sleep).create(make_people(2), key="email")


async def test_a_refused_checkpoint_leaves_no_report_and_sends_nothing(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople, tmp_path: Path
) -> None:
    journal = tmp_path / "people.jsonl"
    rows = make_people(3)
    async with make_client() as cb:
        sync = BulkSync(cb.people, checkpoint=journal, sleep=no_sleep)
        assert (await sync.create(rows, key="email")).ok
        rows[0]["last_name"] = "Edited"
        sent = len(sandbox.inspect.requests)
        with pytest.raises(JournalMismatchError, match="upsert by key"):
            await sync.create(rows, key="email")
        assert sync.report is None  # not a report of a job that "stopped early" with nothing attempted
        assert len(sandbox.inspect.requests) == sent
        old = tmp_path / "old.jsonl"
        old.write_text('{"format": 1, "operation": "create", "resource": "people", "key": "email"}\n')
        with pytest.raises(JournalMismatchError, match="another version"):
            await BulkSync(cb.people, checkpoint=old, sleep=no_sleep).create(rows, key="email")


async def test_only_the_first_occurrence_of_a_duplicate_is_matched_with_the_checkpoint(
    sandbox: Sandbox, make_client: MakeClient, tmp_path: Path
) -> None:
    (record_id,) = sandbox.seed_data(people=1, providers=0, cases=0, notes=0, users=0, units_of_work=0)[
        "people"
    ]
    journal = tmp_path / "update.jsonl"
    async with make_client() as cb:
        await BulkSync(cb.people, checkpoint=journal, sleep=no_sleep).update(
            [{"id": record_id, "last_name": "A"}]
        )
        rows = [{"id": record_id, "last_name": "B"}, {"id": record_id, "last_name": "A"}]
        report = await BulkSync(cb.people, checkpoint=journal, sleep=no_sleep).update(rows)
    assert [r.status for r in report.results] == ["updated", "failed"]
    stored = sandbox.inspect.record("people", record_id)
    assert stored is not None
    assert stored["attributes"]["last_name"] == "B"


class Intercept(httpx.AsyncBaseTransport):
    """The sandbox, with a look at each POST before it goes: ``before_post`` runs first."""

    def __init__(self, sandbox: Sandbox, before_post: Callable[[httpx.Request], Awaitable[None]]) -> None:
        self._sandbox = sandbox.transport
        self._before_post = before_post

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            await self._before_post(request)
        return await self._sandbox.handle_async_request(request)


async def test_the_intent_is_on_disk_before_the_create_is_sent(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople, tmp_path: Path
) -> None:
    journal = tmp_path / "j.jsonl"
    rows = make_people(5)
    seen_on_disk: list[set[str]] = []

    async def check(request: httpx.Request) -> None:
        email = json.loads(request.content)["data"]["attributes"]["email"]
        lines = [json.loads(line) for line in journal.read_text().splitlines()[1:]]
        seen_on_disk.append({line["k"] for line in lines if line["s"] == "intent"})
        assert (
            f"email={email}" in seen_on_disk[-1]
        )  # a crash now would leave a record the journal knows to look up

    async with make_client(transport=Intercept(sandbox, check)) as cb:
        report = await BulkSync(cb.people, checkpoint=journal, sleep=no_sleep).create(rows, key="email")
    assert report.counts["created"] == 5
    assert len(seen_on_disk) == 5


@pytest.mark.parametrize("operation", ["create", "upsert"])
async def test_a_job_cancelled_while_a_create_is_in_flight_reports_it_in_doubt(
    sandbox: Sandbox, make_client: MakeClient, make_people: MakePeople, operation: str
) -> None:
    reached = anyio.Event()

    async def stall(request: httpx.Request) -> None:
        reached.set()
        await anyio.sleep_forever()  # the POST is on its way; no answer comes before the cancellation

    sync: BulkSync[Any] | None = None
    async with make_client(transport=Intercept(sandbox, stall)) as cb, anyio.create_task_group() as tg:
        sync = BulkSync(cb.people, sleep=no_sleep)
        tg.start_soon(lambda: getattr(sync, operation)(make_people(1), key="email"))
        await reached.wait()
        tg.cancel_scope.cancel()
    assert sync.report is not None
    assert [r.status for r in sync.report.results] == ["in_doubt"]
