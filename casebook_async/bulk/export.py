"""Incremental export: the records changed since a watermark, and the watermark for next time.

Server timestamps have millisecond precision, so many records can share one. Filtering with a strict
``filter[updated_at][g]=<watermark>`` would silently miss records written in the same millisecond as
the last exported one, after that export ran. So the filter is ``ge`` and the watermark remembers the ids
already exported *at* its timestamp; those are dropped on the next run. Nothing is missed, nothing
repeats.

The export pages by keyset (``ge`` the last timestamp seen, page 1), not by page number: other writers
move records to the end of an ``updated_at`` order while the export runs, and page-number paging over a
moving order skips the records that shift across a page boundary, for good (their timestamps are below
the next watermark). By keyset, a record not yet fetched is never behind the cursor. So this is
sequential on purpose; ``list()`` is the concurrent path for a snapshot that nobody writes to.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic

from ..documents import M
from ..errors import InvalidQueryError
from ..query import Condition, FilterArg, conditions_of
from ..resources import ResourceAPI


@dataclass(frozen=True)
class Watermark:
    """Where the last export stopped: a timestamp and the ids exported at exactly that timestamp."""

    value: datetime
    ids: frozenset[str] = frozenset()

    def to_json(self) -> str:
        return json.dumps({"value": self.value.isoformat(), "ids": sorted(self.ids)})

    @classmethod
    def from_json(cls, text: str) -> Watermark:
        raw = json.loads(text)
        return cls(datetime.fromisoformat(raw["value"]), frozenset(raw.get("ids", ())))

    @classmethod
    def parse(cls, text: str) -> Watermark:
        """A Watermark's JSON, or a bare ISO timestamp (aware; ``Z`` accepted)."""
        text = text.strip()
        if text.startswith("{"):
            return cls.from_json(text)
        return cls(datetime.fromisoformat(text.replace("Z", "+00:00")))


@dataclass
class ExportResult(Generic[M]):
    records: list[M]
    watermark: Watermark | None  # None only when nothing was ever exported (no since, no records)
    dropped: int = 0  # records at the old watermark that an earlier export already returned
    pages: int = field(default=0)


_EARLIEST = datetime.min.replace(tzinfo=UTC)  # sorts records without the timestamp first


def _timestamp(record: Any, field_name: str) -> datetime | None:
    value = getattr(record.attributes, field_name, None)
    return value if isinstance(value, datetime) else None


def _user_conditions(filter: FilterArg | None, field_name: str) -> list[Condition]:
    """The caller's filter as conditions; an upper bound on ``field_name`` is kept, a lower one refused
    (``since`` is the lower bound, and the keyset cursor moves it)."""
    conditions = conditions_of(filter) if filter is not None else []
    for c in conditions:
        if c.field == field_name and c.operator in ("eq", "g", "ge"):
            raise InvalidQueryError(
                f"filter[{field_name}][{c.operator}] conflicts with the export's own lower bound on "
                f"{field_name}: pass it as since= (upper bounds l/le are fine)"
            )
    return conditions


async def export_changed(
    api: ResourceAPI[M, Any, Any],
    since: Watermark | datetime | None = None,
    *,
    field_name: str = "updated_at",
    page_size: int = 100,
    filter: FilterArg | None = None,
) -> ExportResult[M]:
    """Records whose ``field_name`` (``updated_at`` or ``created_at``) is at or after ``since``, in that
    order, each once (in its latest version when it changed during the export); plus the next watermark.

    ``filter`` narrows the export; an upper bound on ``field_name`` (``le``) also bounds how long an export
    follows records that keep changing while it runs."""
    mark = Watermark(since) if isinstance(since, datetime) else since
    base = _user_conditions(filter, field_name)
    records: dict[str, M] = {}  # by id: a record fetched again (paged again, or changed since) is kept once
    pages = 0
    dropped: set[str] = set()
    cursor = mark.value if mark is not None else None
    # "ge": keyset from the cursor, always page 1. "eq": a full page shared one timestamp, so that group is
    # paged by number, restarted whenever its size changes (a member updated away or a late arrival shifts
    # the pages); then "g" goes on strictly after it.
    operator, number, group_size = "ge", 1, None
    while True:
        conditions = base if cursor is None else [*base, Condition(field_name, operator, cursor)]
        page = await api.page(number, filter=conditions or None, sort=[field_name, "id"], page_size=page_size)
        pages += 1
        for record in page.data:
            stamp = _timestamp(record, field_name)
            if mark is not None and stamp == mark.value and record.id in mark.ids:
                dropped.add(record.id)  # exported by the run that left the watermark
                continue
            earlier = records.get(record.id)
            if earlier is None or _sort_key(earlier, field_name) <= _sort_key(record, field_name):
                records[record.id] = record  # the latest version wins
        full = len(page.data) >= page_size
        if operator == "eq":
            if group_size is not None and page.record_count != group_size:
                number = 1
            elif full:
                number += 1
            else:
                operator, number = "g", 1
            group_size = page.record_count
            continue
        if not full:
            break
        last = _timestamp(page.data[-1], field_name)
        if last is not None and last != cursor:  # progress: restart from the latest timestamp seen
            cursor, operator, number = last, "ge", 1
        else:  # the whole page shares the cursor's timestamp
            operator, number, group_size = "eq", 1, None
    # Sorted as the server sorts: a group paged again returns the records a shift had hidden out of order.
    exported = sorted(records.values(), key=lambda r: _sort_key(r, field_name))
    return ExportResult(exported, _next_watermark(mark, exported, field_name), len(dropped), pages)


def _sort_key(record: Any, field_name: str) -> tuple[datetime, str]:
    return _timestamp(record, field_name) or _EARLIEST, record.id


def _next_watermark(mark: Watermark | None, records: list[Any], field_name: str) -> Watermark | None:
    stamped = [(t, r.id) for r in records if (t := _timestamp(r, field_name)) is not None]
    if not stamped:
        return mark
    latest = max(t for t, _ in stamped)
    if mark is not None and mark.value > latest:
        return mark
    ids = {i for t, i in stamped if t == latest}
    if mark is not None and mark.value == latest:
        ids |= mark.ids
    return Watermark(latest, frozenset(ids))
