"""Incremental export by watermark against the sandbox, including records sharing one timestamp."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from casebook_async import Casebook, RetryPolicy
from casebook_async.bulk import Watermark, export_changed
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
            first = await export_changed(cb.people, page_size=10, concurrency=3)
            assert [p.id for p in first.records] == sorted(first_ids)  # by updated_at (all equal), then id
            assert first.pages == 3
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
