"""The partitioned full export: every record that exists throughout comes exactly once, even while others
write; shards split it without overlap; it picks up as a change feed."""

from __future__ import annotations

import contextlib
import dataclasses
import math
import random
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import anyio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casebook_async import Casebook, EventHooks, NotFoundError, PaginationError, ResponseEvent, ServerError
from casebook_async.bulk import Shard, export_all, export_changed
from casebook_async.bulk.keyset import KeysetScan
from casebook_async.bulk.partition import Partition, first_pages, partitions_between, shard_partitions
from casebook_async.documents import Page
from casebook_async.errors import InvalidInputError, InvalidQueryError
from casebook_async.sandbox import Conventions, Faults, Sandbox

pytestmark = pytest.mark.anyio


def client(sb: Sandbox, **kwargs: Any) -> Casebook:
    return Casebook(base_url=sb.base_url, transport=sb.transport, token=sb.issue_token(), **kwargs)


def bulk_group(sb: Sandbox, n: int, at: datetime) -> list[str]:
    """n people created in one millisecond (one transaction of a bulk import)."""
    resource = sb.resources["people"]
    return [sb.records.create(resource, {"first_name": "G", "last_name": str(i)}, at=at).id for i in range(n)]


def created_ats(sb: Sandbox) -> list[datetime]:
    """The people's created_at, oldest first."""
    return sorted(datetime.fromisoformat(r["attributes"]["created_at"]) for r in sb.inspect.records("people"))


async def collect(export: Any) -> list[Any]:
    return [record async for records in export for record in records]


async def test_every_record_once_across_partitions() -> None:
    async with Sandbox(seed=1, s3=False) as sb:
        sb.seed_data(people=900, providers=0, cases=0, notes=0, users=0, units_of_work=0)
        group = bulk_group(sb, 250, datetime(2024, 1, 1, 5, 0, 30, tzinfo=UTC))  # larger than a page
        async with (
            client(sb) as cb,
            export_all(cb.people, concurrency=4, partitions=9, page_size=50) as export,
        ):
            records = await collect(export)
    ids = [r.id for r in records]
    assert Counter(ids).most_common(1)[0][1] == 1
    assert set(ids) == {r["id"] for r in sb.inspect.records("people")}
    assert set(group) <= set(ids)
    assert export.total == 1150
    assert 4 < len(export.partitions) <= 9  # as asked (two cuts fell in the one-millisecond group)


async def test_planning_reads_data_and_no_page_is_asked_for_twice() -> None:
    # The first page of every partition is read while planning, once, and is delivered: a fresh client
    # sends page 1 of the listing once (not again before each partition's first page), and the partitions
    # go on from their first pages instead of reading them again.
    async with Sandbox(seed=4, s3=False) as sb:
        sb.seed_data(people=1000, providers=0, cases=0, notes=0, users=0, units_of_work=0)
        async with client(sb) as cb, export_all(cb.people, concurrency=4, page_size=50) as export:
            records = await collect(export)
        gets = [f"{r.path}?{r.query}" for r in sb.inspect.requests if r.method == "GET"]
    assert sorted(r.id for r in records) == sorted(r["id"] for r in sb.inspect.records("people"))
    assert len(gets) == len(set(gets)) == export.pages
    # Two edge probes, then pages of 50 that carry 49 unread records each after the first of a partition.
    assert export.pages <= 2 + math.ceil(1000 / 49) + len(export.partitions)
    assert len(export.partitions) == 4


async def test_a_cursor_server_with_a_total_is_cut_by_time_not_walked_to_far_pages() -> None:
    # Page n of a cursor-paged listing is n requests away: the partitions are even slices of time instead.
    conventions = Conventions(paging="cursor", scalar_page="reject", meta="casebook", links="objects")
    async with Sandbox(seed=5, s3=False, conventions=conventions) as sb:
        sb.seed_data(people=400, providers=0, cases=0, notes=0, users=0, units_of_work=0)
        async with client(sb) as cb, export_all(cb.people, concurrency=4, page_size=20) as export:
            records = await collect(export)
        sent = sum(r.method == "GET" for r in sb.inspect.requests)
    assert export.total == 400  # the server counts
    assert sorted(r.id for r in records) == sorted(r["id"] for r in sb.inspect.records("people"))
    assert sent <= 2 + math.ceil(400 / 19) + len(export.partitions)


def pages_after_the_first(total: int, page_size: int, starts: list[int], first_sizes: list[int]) -> int:
    """The most pages a partition reads after its first page: each brings page_size - 1 new records, and a
    partition reads up to its successor's first record (the last one to the listing's end)."""
    ends = [*starts[1:], total - 1]
    remaining = [
        end - (start + first - 1) for start, first, end in zip(starts, first_sizes, ends, strict=True)
    ]
    return max(-(-max(0, r) // (page_size - 1)) for r in remaining)


def test_first_pages_fit_partitions_to_their_pages() -> None:
    size, numbers = first_pages(10_000, 8, 100)
    starts = [0, *((n - 1) * size for n in numbers)]
    assert (size, len(numbers)) == (98, 7)
    assert pages_after_the_first(10_000, 100, starts, [100] + [size] * 7) == 12
    _, whole = first_pages(10_000, 8, 100, resizable=False)
    assert pages_after_the_first(10_000, 100, [0, *((n - 1) * 100 for n in whole)], [100] * 8) == 13


@settings(max_examples=300, deadline=None)
@given(total=st.integers(1, 40_000), partitions=st.integers(1, 16), page_size=st.integers(2, 100))
def test_first_pages_are_never_worse_than_evenly_spaced_whole_pages(
    total: int, partitions: int, page_size: int
) -> None:
    size, numbers = first_pages(total, partitions, page_size)
    starts = [0, *((n - 1) * size for n in numbers)]
    assert starts == sorted(set(starts))
    assert starts[-1] < total
    assert len(starts) <= partitions
    pages = -(-total // page_size)
    count = max(1, min(partitions, pages))
    even = sorted({(j * pages // count) * page_size for j in range(count)})
    ours = pages_after_the_first(total, page_size, starts, [page_size] + [size] * len(numbers))
    assert ours <= pages_after_the_first(total, page_size, even, [page_size] * len(even))


def test_the_versions_kept_for_the_watermark_are_read_whatever_the_utc_offset() -> None:
    # Dates are compared as text before any is parsed: only those two days or more before the settle
    # window's start are skipped unread, and no offset moves an instant by a day.
    export: Any = export_all(
        SimpleNamespace(spec=SimpleNamespace(jsonapi_type="people")), settle=timedelta(0)
    )
    export.head = datetime(2024, 3, 10, tzinfo=UTC)

    def person(id: str, updated_at: Any) -> Any:
        return SimpleNamespace(id=id, _raw={"id": id, "attributes": {"updated_at": updated_at}})

    records = [
        person("west", "2024-03-09T23:59:59-12:00"),  # 11:59:59 UTC on the 10th: inside
        person("far-west", "2024-03-08T01:00:00-23:00"),  # midnight UTC on the 9th: before
        person("basic", "20240310T010000Z"),  # the basic format: inside
        person("old", "2024-03-07T12:00:00Z"),
        person("at-start", "2024-03-10T00:00:00+00:00"),
        person("none", None),
    ]
    # Not ISO: read as the model reads it (here: parsed as 2099), never skipped by its text.
    us = person("us", "03/10/2099 09:00")
    us.attributes = SimpleNamespace(updated_at=datetime(2099, 3, 10, 9, tzinfo=UTC))
    versions = export._versions_to_remember([*records, us])
    assert [id for _, id in versions] == ["west", "basic", "at-start", "us"]


def test_a_page_handed_to_a_scan_must_start_at_its_cursor_and_keep_the_order() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    records = [
        SimpleNamespace(id=str(i), attributes=SimpleNamespace(created_at=start + timedelta(minutes=i)))
        for i in range(5)
    ]

    def page(rows: list[Any]) -> Page[Any]:
        return dataclasses.replace(Page.empty(object, 2, {}), data=rows)

    api: Any = SimpleNamespace(spec=SimpleNamespace(jsonapi_type="people"))
    scan: KeysetScan[Any] = KeysetScan(
        api,
        "created_at",
        lower=start + timedelta(minutes=1),
        lower_open=True,
        upper=start + timedelta(minutes=3),
        page_size=5,
    )
    with pytest.raises(PaginationError, match="starts past its cursor"):
        scan.take(
            page(records[2:]), ends_listing=False
        )  # what lies between the cursor and this page's first record is unknown
    with pytest.raises(PaginationError, match="out of created_at order"):
        scan.take(page([records[1], records[3], records[2]]), ends_listing=False)
    assert [r.id for r in scan.take(page(records), ends_listing=False)] == [
        "2",
        "3",
    ]  # inside (minute 1, minute 3]
    assert scan.done  # the answer went past the range's end: all of it was in there


async def test_writers_during_the_export_neither_hide_nor_repeat_a_record() -> None:
    """Each page answered triggers writes: creates, updates (which move records in any updated_at or
    default order) and deletes. Every record that existed from start to end is exported exactly once."""
    async with Sandbox(seed=2, s3=False) as sb:
        sb.seed_data(people=600, providers=0, cases=0, notes=0, users=0, units_of_work=0)
        before = {r["id"] for r in sb.inspect.records("people")}
        rng = random.Random(2)
        writer = client(sb)

        async def write_on_each_page(event: ResponseEvent) -> None:
            if event.method != "GET" or "page%5Bsize%5D=1&" in event.url or "page[size]=1&" in event.url:
                return
            ids = [r["id"] for r in sb.inspect.records("people")]
            for _ in range(3):
                roll = rng.random()
                with contextlib.suppress(NotFoundError):
                    if roll < 0.3:
                        await writer.people.create({"first_name": "New", "last_name": str(roll)})
                    elif roll < 0.8:
                        await writer.people.update(rng.choice(ids), {"phone_number": str(roll)})
                    else:
                        await writer.people.delete(rng.choice(ids))

        hooks = EventHooks(response=[write_on_each_page])
        async with (
            writer,
            client(sb, event_hooks=hooks) as cb,
            export_all(cb.people, concurrency=3, page_size=20) as export,
        ):
            records = await collect(export)
        after = {r["id"] for r in sb.inspect.records("people")}
    counts = Counter(r.id for r in records)
    assert max(counts.values()) == 1
    throughout = before & after
    assert len(before - after) > 10  # deletes happened during the export
    assert throughout <= set(counts)


async def test_records_appearing_inside_the_range_shift_pages_without_hiding_or_repeating_one() -> None:
    """Late-visible commits carry old timestamps: each page answered inserts records in the middle of the
    created_at order and deletes others, so the pages planned from shift both ways between round trips."""
    async with Sandbox(seed=8, s3=False) as sb:
        sb.seed_data(people=700, providers=0, cases=0, notes=0, users=0, units_of_work=0)
        people = sb.resources["people"]
        before = {r["id"] for r in sb.inspect.records("people")}
        stamps = created_ats(sb)
        rng = random.Random(8)

        async def shift_on_each_page(event: ResponseEvent) -> None:
            if event.method != "GET":
                return
            for _ in range(4):
                at = stamps[0] + (stamps[-1] - stamps[0]) * rng.random()
                sb.records.create(people, {"first_name": "Late", "last_name": "Commit"}, at=at)
            ids = [r["id"] for r in sb.inspect.records("people")]
            with contextlib.suppress(NotFoundError):
                await deleter.people.delete(rng.choice(ids))

        async with (
            client(sb) as deleter,
            client(sb, event_hooks=EventHooks(response=[shift_on_each_page])) as cb,
            export_all(cb.people, concurrency=4, page_size=25) as export,
        ):
            records = await collect(export)
        after = {r["id"] for r in sb.inspect.records("people")}
    counts = Counter(r.id for r in records)
    assert max(counts.values()) == 1
    assert len(after - before) > 100  # inserted in the middle meanwhile
    assert len(before - after) > 20
    assert before & after <= set(counts)


async def export_changing_once(
    sb: Sandbox, when: Callable[[str], bool], change: Callable[[], None]
) -> tuple[Any, list[Any], bool]:
    """export_all with its first pages read one at a time; ``change`` runs once, after the first answer
    to a request whose decoded URL ``when`` picks. (The export, its records, whether it ran.)"""
    changed = False

    async def once(event: ResponseEvent) -> None:
        nonlocal changed
        if not changed and when(event.url.replace("%5B", "[").replace("%5D", "]")):
            changed = True
            change()

    async with (
        client(sb, event_hooks=EventHooks(response=[once])) as cb,
        export_all(cb.people, concurrency=1, partitions=4, page_size=25) as export,
    ):
        records = await collect(export)
    return export, records, changed


async def test_boundaries_read_after_many_inserts_before_them_still_rise() -> None:
    # Partitions' first pages are read one at a time here; after the first, 400 records appear early in
    # the order, so the next first page starts before the previous one did: boundaries are kept rising.
    async with Sandbox(seed=9, s3=False) as sb:
        sb.seed_data(people=700, providers=0, cases=0, notes=0, users=0, units_of_work=0)
        people = sb.resources["people"]
        before = {r["id"] for r in sb.inspect.records("people")}
        oldest = created_ats(sb)[0]

        def insert_early() -> None:
            for i in range(400):
                at = oldest + timedelta(seconds=i)
                sb.records.create(people, {"first_name": "Early", "last_name": str(i)}, at=at)

        _, records, inserted = await export_changing_once(sb, lambda url: "page=" in url, insert_early)
    counts = Counter(r.id for r in records)
    assert inserted
    assert max(counts.values()) == 1
    assert before <= set(counts)


async def test_first_pages_past_the_end_after_deletes_start_no_partition() -> None:
    # After page 1, the newest 500 of 700 records are deleted: the later first pages come back empty (or
    # short), the partitions they would have started are not made, and those before reach the rest.
    async with Sandbox(seed=10, s3=False) as sb:
        sb.seed_data(people=700, providers=0, cases=0, notes=0, users=0, units_of_work=0)
        newest_first = sorted(
            sb.inspect.records("people"), key=lambda r: (r["attributes"]["created_at"], r["id"]), reverse=True
        )

        def delete_the_newest() -> None:
            for row in newest_first[:500]:
                record = sb.store.get("people", row["id"])
                assert record is not None
                sb.records.delete(record)

        def page_1(url: str) -> bool:  # not an edge probe (one record a page) nor a numbered page
            return "page[size]=25" in url and "page=" not in url

        export, records, deleted = await export_changing_once(sb, page_1, delete_the_newest)
    counts = Counter(r.id for r in records)
    assert deleted
    assert max(counts.values()) == 1
    assert {r["id"] for r in newest_first[500:]} <= set(counts)
    assert len(export.partitions) < 4


async def test_shards_split_the_export_without_overlap() -> None:
    async with Sandbox(seed=3, s3=False) as sb:
        sb.seed_data(people=500, providers=0, cases=0, notes=0, users=0, units_of_work=0)
        everyone = {r["id"] for r in sb.inspect.records("people")}
        shards: list[set[str]] = []
        async with client(sb) as cb:
            for number in (1, 2, 3):
                shard = Shard(number, 3)
                async with export_all(cb.people, shard=shard, shard_width=timedelta(hours=1)) as export:
                    shards.append({r.id async for records in export for r in records})
    assert set.union(*shards) == everyone
    assert sum(len(s) for s in shards) == len(everyone)
    assert all(len(s) > 100 for s in shards)  # hour buckets spread 500 minutes of records fairly


def test_shard_parsing_and_a_stable_key_hash() -> None:
    assert Shard.parse("2/4") == Shard(2, 4)
    for bad in ("0/3", "4/3", "1", "a/b", "1/0"):
        with pytest.raises(InvalidInputError):
            Shard.parse(bad)
    owners = [[Shard(i, 3).owns_key(f"person{k}@example.org") for i in (1, 2, 3)] for k in range(300)]
    assert all(sum(o) == 1 for o in owners)  # each key in exactly one shard
    # Stable across processes and machines (blake2b, not hash()): fixed expectations.
    assert [Shard(i, 4).owns_key("jane@example.org") for i in (1, 2, 3, 4)].count(True) == 1
    assert Shard(1, 4).owns_key("jane@example.org") is Shard(1, 4).owns_key("jane@example.org")


def test_partitions_between_cuts_cover_the_range_once() -> None:
    day = datetime(2026, 1, 1, tzinfo=UTC)
    hours = [day + timedelta(hours=h) for h in (5, 2, 2, 30, 0, 9)]
    parts = partitions_between(hours, day, day + timedelta(hours=10))
    assert parts == [
        Partition(day, day + timedelta(hours=2)),
        Partition(day + timedelta(hours=2), day + timedelta(hours=5)),
        Partition(day + timedelta(hours=5), day + timedelta(hours=9)),
        Partition(day + timedelta(hours=9), day + timedelta(hours=10), closed=True),
    ]


async def test_a_full_export_then_the_change_feed_delivers_each_change_made_during_it_once() -> None:
    """Records changed while the export runs: in their new version by the export (if it read them after
    the change) or by the feed that continues from its watermark; never by both, never by neither."""
    async with Sandbox(seed=4, s3=False) as sb:
        sb.seed_data(people=200, providers=0, cases=0, notes=0, users=0, units_of_work=0)
        ids = [r["id"] for r in sb.inspect.records("people")]
        targets = [ids[10], ids[100], ids[190]]  # partitions read early, midway and late
        delivered: list[tuple[str, Any]] = []
        async with client(sb) as cb:
            async with export_all(cb.people, concurrency=2, page_size=25) as export:
                async for records in export:
                    delivered += [(r.id, r.attributes.updated_at) for r in records]
                    if len(delivered) == 25:  # changes made while the export runs
                        for target in targets:
                            await cb.people.update(target, {"phone_number": "555-0123"})
            feed = await export_changed(cb.people, export.watermark()).collect()
            delivered += [(r.id, r.attributes.updated_at) for r in feed.records]
            final = {p.id: p.attributes.updated_at for p in await cb.people.list(page_size=100).collect()}
    counts = Counter(delivered)
    assert max(counts.values()) == 1
    for target in targets:
        assert counts[(target, final[target])] == 1  # its latest version, once
    assert {record_id for record_id, _ in delivered} == set(ids)


async def test_a_failure_reaches_the_consumer_and_leaving_early_stops_the_workers() -> None:
    async with Sandbox(seed=5, s3=False) as sb:
        sb.seed_data(people=300, providers=0, cases=0, notes=0, users=0, units_of_work=0)
        async with client(sb, retry=False) as cb:
            async with export_all(cb.people, concurrency=3, page_size=10) as export:
                async for _ in export:
                    break
            sent = len(sb.inspect.requests)
            await anyio.sleep(0.05)
            assert len(sb.inspect.requests) == sent  # nothing kept running after the block

            async def export_while_the_server_fails() -> None:
                async with export_all(cb.people, concurrency=3, page_size=10) as failing:
                    sb.faults = Faults(rate_5xx=1.0)  # planned; every page from here fails
                    await collect(failing)

            with pytest.raises(ServerError):  # the worker's typed error, not a group or a hang
                await export_while_the_server_fails()
            with pytest.raises(InvalidQueryError):
                export_all(cb.people, filter={"created_at": {"ge": "2024-01-01"}})


async def test_sparse_fieldsets_keep_the_partition_key_and_the_watermarks_field() -> None:
    async with Sandbox(seed=6, s3=False) as sb:
        sb.seed_data(people=120, providers=0, cases=0, notes=0, users=0, units_of_work=0)
        async with (
            client(sb) as cb,
            export_all(cb.people, page_size=30, fields={"people": ["email"]}) as export,
        ):
            records = await collect(export)
    assert len({r.id for r in records}) == 120
    assert all(isinstance(r.attributes.updated_at, datetime) for r in records)  # the watermark reads it
    assert all(
        "fields[people]=email,created_at,updated_at" in r.query
        for r in sb.inspect.requests
        if "fields" in r.query
    )


def test_a_shard_width_too_fine_for_the_range_is_refused_not_looped_over() -> None:
    oldest, newest = datetime(2016, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(InvalidInputError, match=r"buckets .* widen it"):
        shard_partitions(Shard(1, 4), timedelta(milliseconds=1), oldest, newest)  # ~3e11 buckets
    parts = shard_partitions(Shard(1, 4), timedelta(days=1), oldest, newest)
    assert 900 < len(parts) < 925  # a quarter of ~3650 days
