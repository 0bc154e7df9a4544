"""Incremental export by watermark against the sandbox, including records sharing one timestamp."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from casebook_async import Casebook, EventHooks, InvalidQueryError, RetryPolicy
from casebook_async.bulk import Watermark, export_changed
from casebook_async.observability import ResponseEvent
from casebook_async.sandbox import Sandbox

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def tick(self) -> None:
        self.now += timedelta(seconds=1)


async def test_watermark_export_returns_each_change_once() -> None:
    clock = Clock()
    async with Sandbox(seed=1, s3=False, now=clock) as sb:
        cb = Casebook(base_url=sb.base_url, transport=sb.transport, token=sb.issue_token(), retry=False)
        async with cb:
            first_ids = [
                (await cb.people.create({"first_name": "A", "last_name": f"L{i}"})).id for i in range(25)
            ]
            clock.tick()
            first = await export_changed(cb.people, page_size=10)
            assert [p.id for p in first.records] == sorted(first_ids)  # by updated_at (all equal), then id
            # Page 1; from its last timestamp, page 1 again: one timestamp fills it, so that group is paged
            # by number (1-3, the third short); then strictly after it (empty).
            assert first.pages == 6
            assert first.watermark is not None
            assert first.watermark.ids == frozenset(first_ids)  # all share one timestamp

            # Same timestamp as the watermark, written after the export: must not be missed.
            clock.now = first.watermark.value
            late = await cb.people.create({"first_name": "Late", "last_name": "Same-ms"})
            clock.tick()
            await cb.people.update(first_ids[3], {"phone_number": "555-1234"})
            fresh = await cb.people.create({"first_name": "New", "last_name": "Later"})

            restored = Watermark.parse(first.watermark.to_json())
            assert restored == first.watermark
            second = await export_changed(cb.people, restored, page_size=10)
            assert [p.id for p in second.records] == [late.id, *sorted([first_ids[3], fresh.id])]
            assert second.dropped == 24  # first_ids[3] moved on: it is a new change
            assert second.watermark is not None
            assert second.watermark.value > first.watermark.value
            assert second.watermark.ids == {first_ids[3], fresh.id}

            third = await export_changed(cb.people, second.watermark)
            assert third.records == []
            assert third.watermark == second.watermark

        queries = [r.query for r in sb.inspect.requests if r.method == "GET"]
        assert any("filter[updated_at][ge]=" in q and "sort=updated_at,id" in q for q in queries), queries


async def test_export_by_created_at_from_a_datetime() -> None:
    clock = Clock()
    async with Sandbox(seed=1, s3=False, now=clock) as sb:
        cb = Casebook(
            base_url=sb.base_url, transport=sb.transport, token=sb.issue_token(), retry=RetryPolicy()
        )
        async with cb:
            await cb.people.create({"first_name": "Old", "last_name": "One"})
            clock.tick()
            cutoff = clock.now
            new = await cb.people.create({"first_name": "New", "last_name": "One"})
            result = await export_changed(cb.people, cutoff, field_name="created_at")
    assert [r.id for r in result.records] == [new.id]
    assert result.watermark == Watermark(cutoff, frozenset({new.id}))


def test_watermark_parses_a_bare_timestamp() -> None:
    assert Watermark.parse("2026-01-01T00:00:00Z") == Watermark(datetime(2026, 1, 1, tzinfo=UTC))


async def test_a_record_updated_during_the_export_moves_on_without_hiding_another() -> None:
    """Page-number paging over updated_at loses the record that shifts into an already fetched page when
    another writer moves an earlier one to the end; keyset paging does not."""
    clock = Clock()
    async with Sandbox(seed=1, s3=False, now=clock) as sb:
        writer = Casebook(base_url=sb.base_url, transport=sb.transport, token=sb.issue_token(), retry=False)
        touched: list[str] = []

        async def touch_the_oldest_once(event: ResponseEvent) -> None:
            if event.method == "GET" and "sort=updated_at" in event.url and not touched:
                touched.append(ids[0])
                clock.tick()
                await writer.people.update(ids[0], {"phone_number": "555-0000"})

        hooks = EventHooks(response=[touch_the_oldest_once])
        cb = Casebook(base_url=sb.base_url, transport=sb.transport, token=sb.issue_token(), event_hooks=hooks)
        async with writer, cb:
            since = clock.now
            ids = []
            for i in range(10):
                ids.append((await writer.people.create({"first_name": "P", "last_name": f"L{i}"})).id)
                clock.tick()
            result = await export_changed(cb.people, since, page_size=3)
            again = await export_changed(cb.people, result.watermark, page_size=3)

    assert touched == [ids[0]]
    assert [r.id for r in result.records] == [*ids[1:], ids[0]]  # each once, the moved one last
    assert result.records[-1].attributes.phone_number == "555-0000"  # in its latest version
    assert again.records == []


async def test_a_lower_bound_in_the_filter_is_refused_an_upper_bound_kept() -> None:
    clock = Clock()
    async with Sandbox(seed=1, s3=False, now=clock) as sb:
        cb = Casebook(base_url=sb.base_url, transport=sb.transport, token=sb.issue_token(), retry=False)
        async with cb:
            early = await cb.people.create({"first_name": "Early", "last_name": "One"})
            clock.tick()
            cutoff = clock.now
            clock.tick()
            await cb.people.create({"first_name": "Late", "last_name": "One"})
            sent = len(sb.inspect.requests)
            with pytest.raises(InvalidQueryError, match="since="):
                await export_changed(cb.people, filter={"updated_at": {"ge": cutoff}})
            assert len(sb.inspect.requests) == sent  # refused before any request
            start = datetime(2025, 1, 1, tzinfo=UTC)
            bounded = await export_changed(cb.people, start, filter={"updated_at": {"le": cutoff}})
    assert [r.id for r in bounded.records] == [early.id]


async def test_a_group_sharing_one_timestamp_is_paged_again_when_a_member_moves_on() -> None:
    """Paging by number within one timestamp: a member updated away shifts the rest of the group back a
    page; the export notices the group shrank and pages it again."""
    clock = Clock()
    async with Sandbox(seed=1, s3=False, now=clock) as sb:
        writer = Casebook(base_url=sb.base_url, transport=sb.transport, token=sb.issue_token(), retry=False)
        group_pages: list[str] = []

        async def touch_a_member_after_the_first_group_page(event: ResponseEvent) -> None:
            if event.method == "GET" and "filter[updated_at]=" in event.url:
                group_pages.append(event.url)
                if len(group_pages) == 2:
                    clock.tick()
                    await writer.people.update(ids[0], {"phone_number": "555-0000"})

        hooks = EventHooks(response=[touch_a_member_after_the_first_group_page])
        cb = Casebook(base_url=sb.base_url, transport=sb.transport, token=sb.issue_token(), event_hooks=hooks)
        async with writer, cb:
            since = clock.now
            ids = sorted(
                [(await writer.people.create({"first_name": "P", "last_name": f"L{i}"})).id for i in range(9)]
            )
            clock.tick()
            result = await export_changed(cb.people, since, page_size=3)
    assert [r.id for r in result.records] == [*ids[1:], ids[0]]
    assert len(group_pages) > 3  # the group was paged again from page 1
