"""The change feed against the sandbox: streamed, resumable after any page, nothing lost to same-millisecond
groups or to commits that land late, nothing delivered twice."""

from __future__ import annotations

import contextlib
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import httpx
import pytest
import respx

from casebook_async import (
    Casebook,
    EventHooks,
    InvalidQueryError,
    NotFoundError,
    PaginationError,
    RetryPolicy,
)
from casebook_async.bulk import ChangeFeed, Watermark, export_changed
from casebook_async.observability import ResponseEvent
from casebook_async.sandbox import Faults, Sandbox

pytestmark = pytest.mark.anyio
NO_SETTLE = timedelta(0)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: float = 1.0) -> None:
        self.now += timedelta(seconds=seconds)


def client(sb: Sandbox, **kwargs: Any) -> Casebook:
    kwargs.setdefault("retry", False)
    return Casebook(base_url=sb.base_url, transport=sb.transport, token=sb.issue_token(), **kwargs)


async def drain(feed: ChangeFeed[Any]) -> tuple[list[Any], Watermark]:
    records = [r async for batch in feed for r in batch.records]
    return records, feed.watermark


async def test_each_change_once_across_runs_including_the_watermarks_own_millisecond() -> None:
    clock = Clock()
    async with Sandbox(seed=1, s3=False, now=clock) as sb, client(sb) as cb:
        first_ids = [
            (await cb.people.create({"first_name": "A", "last_name": f"L{i}"})).id for i in range(25)
        ]
        clock.tick()
        feed = export_changed(cb.people, page_size=10, settle=NO_SETTLE)
        batches = [batch async for batch in feed]
        # Streamed page by page: one timestamp fills the first page, so that group is paged by number
        # (its first page read again), then strictly after it: nothing, and the final watermark.
        assert [len(b.records) for b in batches] == [10, 10, 5, 0]
        assert [r.id for b in batches for r in b.records] == sorted(first_ids)  # by (updated_at, id)
        mark = batches[-1].watermark
        assert mark.seen == {mark.start: frozenset(first_ids)}  # all share one timestamp

        # Written after the run, in the watermark's own millisecond: must not be missed.
        clock.now = mark.start
        late = await cb.people.create({"first_name": "Late", "last_name": "Same-ms"})
        clock.tick()
        await cb.people.update(first_ids[3], {"phone_number": "555-1234"})
        fresh = await cb.people.create({"first_name": "New", "last_name": "Later"})

        restored = Watermark.parse(mark.to_json())
        assert restored == mark
        second = export_changed(cb.people, restored, page_size=10, settle=NO_SETTLE)
        records, mark2 = await drain(second)
        assert [r.id for r in records] == [late.id, *sorted([first_ids[3], fresh.id])]
        assert second.delivered == 3
        assert second.dropped >= 24
        assert mark2.start is not None
        assert mark.start is not None
        assert mark2.start > mark.start

        third, mark3 = await drain(export_changed(cb.people, mark2, settle=NO_SETTLE))
        assert third == []
        assert mark3 == mark2

    queries = [r.query for r in sb.inspect.requests if r.method == "GET"]
    assert any("filter[updated_at][ge]=" in q and "sort=updated_at,id" in q for q in queries), queries


async def test_an_interrupted_run_resumes_from_the_last_saved_watermark() -> None:
    clock = Clock()
    async with Sandbox(seed=2, s3=False, now=clock) as sb, client(sb) as cb:
        ids = []
        for i in range(47):
            ids.append((await cb.people.create({"first_name": "P", "last_name": f"L{i}"})).id)
            if i % 3 == 0:
                clock.tick()
        delivered: list[str] = []
        saved: str | None = None
        async for batch in export_changed(cb.people, page_size=10, settle=timedelta(seconds=2)):
            delivered.extend(r.id for r in batch.records)
            saved = batch.watermark.to_json()
            if len(delivered) >= 20:
                break  # Ctrl-C after the second page was written and its watermark saved
        assert saved is not None
        rest, _ = await drain(export_changed(cb.people, Watermark.parse(saved), page_size=10))
        delivered.extend(r.id for r in rest)
    assert sorted(delivered) == sorted(ids)
    assert len(delivered) == len(set(delivered))


async def test_memory_is_bounded_the_watermark_holds_only_the_settle_window() -> None:
    clock = Clock()
    async with Sandbox(seed=3, s3=False, now=clock) as sb, client(sb) as cb:
        for i in range(60):
            await cb.people.create({"first_name": "P", "last_name": f"L{i}"})
            clock.tick()  # one second apart
        feed = export_changed(cb.people, page_size=7, settle=timedelta(seconds=10))
        sizes = []
        async for batch in feed:
            sizes.append(sum(len(ids) for ids in batch.watermark.seen.values()))
        assert feed.delivered == 60
        assert max(sizes) <= 11  # the settle window's records (plus the boundary), never the whole run
        mark = feed.watermark
        assert mark.head is not None
        assert mark.start == mark.head - timedelta(seconds=10)


async def test_a_late_commit_with_an_older_timestamp_is_delivered_once_by_the_next_run() -> None:
    clock = Clock()
    async with Sandbox(seed=4, s3=False, now=clock) as sb, client(sb) as cb:
        for i in range(5):
            await cb.people.create({"first_name": "P", "last_name": f"L{i}"})
            clock.tick()
        # Stamped now, visible only after the next writes and after a feed run has read past its time.
        sb.faults = Faults(commit_latency=1.0, seed=1)  # this seed's first commit waits 0.88 s
        late_ids: list[str] = []

        async def slow_write() -> None:
            late_ids.append((await cb.people.create({"first_name": "Slow", "last_name": "Commit"})).id)

        async with anyio.create_task_group() as tg:
            tg.start_soon(slow_write)
            await anyio.sleep(0.05)
            sb.faults = Faults()
            clock.tick()
            newer = await cb.people.create({"first_name": "Quick", "last_name": "Commit"})
            first, mark = await drain(export_changed(cb.people, page_size=2, settle=timedelta(seconds=5)))
        assert newer.id in [r.id for r in first]
        assert late_ids[0] not in [r.id for r in first]  # it had not committed yet
        second, mark = await drain(export_changed(cb.people, mark, page_size=2, settle=timedelta(seconds=5)))
        assert [r.id for r in second] == late_ids  # delivered, and only it: the rest of the overlap dropped
        third, _ = await drain(export_changed(cb.people, mark, settle=timedelta(seconds=5)))
        assert third == []


async def test_a_settled_group_is_paged_again_when_a_member_moves_away() -> None:
    """Paging one timestamp's group by number: a member updated away shifts the rest back a page; the
    feed sees the group shrink and pages it again."""
    clock = Clock()
    async with Sandbox(seed=1, s3=False, now=clock) as sb:
        writer = client(sb)
        group_pages: list[str] = []

        async def touch_a_member_after_the_first_group_page(event: ResponseEvent) -> None:
            if event.method == "GET" and "filter[updated_at]=" in event.url:
                group_pages.append(event.url)
                if len(group_pages) == 2:
                    clock.tick()
                    await writer.people.update(ids[0], {"phone_number": "555-0000"})

        hooks = EventHooks(response=[touch_a_member_after_the_first_group_page])
        async with writer, client(sb, event_hooks=hooks) as cb:
            ids = sorted(
                [(await writer.people.create({"first_name": "P", "last_name": f"L{i}"})).id for i in range(9)]
            )
            clock.tick(3600)  # the group is long settled
            head = await writer.people.create({"first_name": "Head", "last_name": "Now"})
            records, mark = await drain(export_changed(cb.people, page_size=3, settle=timedelta(seconds=60)))
            # The moved record's new version is newer than this run's head: the next run has it.
            after, _ = await drain(export_changed(cb.people, mark, settle=timedelta(seconds=60)))
    got = [r.id for r in records]
    assert sorted(got[:9]) == ids  # each once: the member that moved away did not hide another
    assert got[9:] == [head.id]
    assert len(group_pages) > 3  # the group was paged again from page 1
    assert [(r.id, r.attributes.phone_number) for r in after] == [(ids[0], "555-0000")]


async def test_an_unsettled_group_that_loses_and_gains_a_member_is_read_again_by_the_next_run() -> None:
    """The same-millisecond case a size check cannot see: one member deleted and a late commit joining the
    group while it is paged. The group is younger than the settle window, so the next run reads it again
    and delivers the record the shift hid."""
    clock = Clock()
    async with Sandbox(seed=1, s3=False, now=clock) as sb:
        writer = client(sb)
        group_ts = clock.now
        pages: list[str] = []

        async def shift_the_group(event: ResponseEvent) -> None:
            if event.method == "GET" and "filter[updated_at]=" in event.url:
                pages.append(event.url)
                if len(pages) == 1:
                    await writer.people.delete(ids[0])  # everything after it moves back one place
                    now = clock.now
                    clock.now = group_ts  # a late commit stamped in the group's millisecond
                    await writer.people.create({"first_name": "Z", "last_name": "Late"})
                    clock.now = now

        async with writer, client(sb, event_hooks=EventHooks(response=[shift_the_group])) as cb:
            ids = sorted(
                [(await writer.people.create({"first_name": "P", "last_name": f"L{i}"})).id for i in range(9)]
            )
            clock.tick()
            first, mark = await drain(export_changed(cb.people, page_size=3, settle=timedelta(seconds=60)))
            pages.append("done")
            second, _ = await drain(
                export_changed(cb.people, mark, page_size=3, settle=timedelta(seconds=60))
            )
            live = {r["id"] for r in sb.inspect.records("people")}
    delivered = [r.id for r in first] + [r.id for r in second]
    assert not live <= {r.id for r in first}  # the shift did hide a record from the first run ...
    assert live <= set(delivered)  # ... and it came with the second
    assert len(delivered) == len(set(delivered))  # and nothing twice


async def test_by_created_at_from_a_datetime_and_up_to_until() -> None:
    clock = Clock()
    async with Sandbox(seed=1, s3=False, now=clock) as sb, client(sb) as cb:
        await cb.people.create({"first_name": "Old", "last_name": "One"})
        clock.tick()
        cutoff = clock.now
        middle = await cb.people.create({"first_name": "Mid", "last_name": "One"})
        clock.tick()
        end = clock.now
        clock.tick()
        await cb.people.create({"first_name": "New", "last_name": "One"})
        feed = export_changed(cb.people, cutoff, field_name="created_at", until=end, settle=NO_SETTLE)
        records, mark = await drain(feed)
    assert [r.id for r in records] == [middle.id]
    assert mark.start == end


def test_watermarks_parse_from_every_form() -> None:
    assert Watermark.parse("2026-01-01T00:00:00Z") == Watermark(datetime(2026, 1, 1, tzinfo=UTC))
    old = Watermark.parse('{"value": "2026-01-01T00:00:00+00:00", "ids": ["a", "b"]}')
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    assert old == Watermark(moment, {moment: frozenset({"a", "b"})}, moment)
    assert Watermark.parse(old.to_json()) == old
    for bad in ("2026-01-01T00:00:00", "[1]", '{"format": 9}', "yesterday", '{"value": 5}'):
        with pytest.raises(ValueError):  # noqa: PT011 - each is a different ValueError message
            Watermark.parse(bad)
    for bad in ('{"format": 2, "seen": [1]}', '{"format": 2, "start": 5}', '{"format": 2, "seen": {"x": 1}}'):
        with pytest.raises(ValueError):  # noqa: PT011
            Watermark.parse(bad)


async def test_a_bound_on_the_feed_field_is_refused_before_any_request() -> None:
    async with Sandbox(seed=1, s3=False) as sb, client(sb) as cb:
        for operator in ("ge", "le"):
            with pytest.raises(InvalidQueryError, match="since="):
                export_changed(cb.people, filter={"updated_at": {operator: datetime(2026, 1, 1, tzinfo=UTC)}})
        with pytest.raises(InvalidQueryError):
            export_changed(cb.people, page_size=101)
    assert sb.inspect.requests == []


async def test_a_server_that_ignores_the_sort_stops_the_feed_with_a_typed_error() -> None:
    def person(id_: str, stamp: str) -> dict[str, Any]:
        attributes = {"first_name": "A", "last_name": "B", "created_at": stamp, "updated_at": stamp}
        return {"type": "people", "id": id_, "attributes": attributes}

    unsorted = [person("b", "2026-01-02T00:00:00Z"), person("a", "2026-01-01T00:00:00Z")]
    with respx.mock(base_url="https://api.casebook.net") as router:
        router.get("/people/people").mock(
            side_effect=lambda request: httpx.Response(
                200,
                json={"data": unsorted if "page%5Bsize%5D=1&" not in str(request.url) else unsorted[:1]},
            )
        )
        async with Casebook(token="t", retry=RetryPolicy(attempts=1)) as cb:
            with pytest.raises(PaginationError, match="order"):
                await drain(export_changed(cb.people, page_size=2))


async def test_fifty_consecutive_runs_with_writers_and_late_commits_deliver_every_change_once() -> None:
    """Writers create, update and delete while 50 runs follow each other, each from the watermark the one
    before saved; commits land up to 40 ms late. Audited against the sandbox: every version that was
    live when a run started and still current when the next run ended was delivered by then, and no
    (id, updated_at) came twice."""
    settle = timedelta(milliseconds=150)  # longer than any commit latency
    async with Sandbox(seed=5, s3=False, faults=Faults(commit_latency=0.04, seed=5)) as sb:
        sb.seed_data(people=40, providers=0, cases=0, notes=0, users=0, units_of_work=0)
        rng = random.Random(5)
        delivered: Counter[tuple[str, datetime]] = Counter()
        stop = anyio.Event()

        def live() -> set[tuple[str, datetime]]:
            return {
                (r["id"], datetime.fromisoformat(r["attributes"]["updated_at"].replace("Z", "+00:00")))
                for r in sb.inspect.records("people")
            }

        async def write(cb: Casebook) -> None:
            while not stop.is_set():
                ids = [r["id"] for r in sb.inspect.records("people")]
                roll = rng.random()
                if roll < 0.4 or len(ids) < 10:
                    await cb.people.create({"first_name": "W", "last_name": str(rng.random())})
                else:
                    with contextlib.suppress(NotFoundError):  # another writer deleted it first
                        if roll < 0.9:
                            await cb.people.update(rng.choice(ids), {"phone_number": str(rng.random())})
                        else:
                            await cb.people.delete(rng.choice(ids))
                await anyio.sleep(rng.random() * 0.004)

        async with client(sb, retry=True) as writers, client(sb) as reader:
            saved = Watermark().to_json()
            caught_late = 0
            started: list[set[tuple[str, datetime]]] = []
            async with anyio.create_task_group() as tg:
                for _ in range(3):
                    tg.start_soon(write, writers)
                for run in range(50):
                    started.append(live())
                    before = Watermark.parse(saved)
                    async for batch in export_changed(reader.people, before, page_size=7, settle=settle):
                        delivered.update((r.id, r.attributes.updated_at) for r in batch.records)
                        saved = batch.watermark.to_json()
                        if before.head is not None:  # committed after the previous run had read past it
                            caught_late += sum(r.attributes.updated_at <= before.head for r in batch.records)
                    if run >= 1:  # run-1's start, still current now, was delivered by run-1 or this run
                        missing = (started[run - 1] & live()) - set(delivered)
                        assert not missing, (run, sorted(missing)[:3])
                    await anyio.sleep(0.01)
                stop.set()
            await anyio.sleep(0.1)  # the last commits land
            async for batch in export_changed(reader.people, Watermark.parse(saved), settle=settle):
                delivered.update((r.id, r.attributes.updated_at) for r in batch.records)
        assert live() <= set(delivered)  # every record, in its final version
        assert max(delivered.values()) == 1  # no version twice
        assert sb.inspect.fault_counts.get("late_commit", 0) > 50
        assert caught_late > 0  # the settle window's overlap did deliver late commits
        assert len(delivered) > 100
