"""Keyset paging over a timestamp: the scan under the change feed and the partitioned export.

JSON:API offers page numbers, and ranges only on dates and numbers (not on ids). So a scan pages by
keyset on the timestamp: page 1 of ``filter[f][ge]=<cursor>&sort=f,id``, the cursor moving to the last
timestamp seen. Writers moving records around cannot push an unread record behind the cursor, as they
can with page numbers over a live collection. Records at the cursor's timestamp come again on the next
page; ``seen`` (ids by timestamp) drops them. When one timestamp fills a whole page, that group is paged
by number (``filter[f]=<t>``) and from its first page again whenever its size changes (a member was
deleted or moved away, shifting the rest); then the scan goes on strictly after it. A page of the same
listing fetched by someone else (the partitioned export's first pages) can be handed to a scan (``take``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime
from typing import Any, Generic, Literal

from ..decoding import peek_timestamp
from ..documents import M, Page
from ..errors import InvalidQueryError, PaginationError
from ..query import Condition, F, FilterArg, conditions_of
from ..resources import Fields, ResourceAPI

Seen = dict[datetime, set[str]]


def other_conditions(
    filter: FilterArg | None, field_name: str, refusal: Callable[[Condition], str]
) -> list[Condition]:
    """The caller's filter as conditions; one on ``field_name``, the key a scan moves itself, is an
    InvalidQueryError saying ``refusal(condition)``."""
    conditions = conditions_of(filter) if filter is not None else []
    for condition in conditions:
        if condition.field == field_name:
            raise InvalidQueryError(refusal(condition))
    return conditions


def stamp_of(record: Any, field_name: str, resource: str) -> datetime:
    """The record's timestamp; PaginationError if it has none (the server ignored a filter)."""
    value = peek_timestamp(record, field_name)
    if not isinstance(value, datetime):
        raise PaginationError(
            f"{resource} record {record.id} has no {field_name}: the server ignored the requested range"
        )
    return value


async def edge(
    api: ResourceAPI[M, Any, Any], field_name: str, *, newest: bool, base: list[Condition] | None = None
) -> tuple[datetime | None, Page[M]]:
    """The newest (or oldest) ``field_name`` of the collection (None when it has no record), and the
    probe's page (its ``record_count`` counts the records that have the field)."""
    order = [f"-{field_name}", "-id"] if newest else [field_name, "id"]
    conditions = [*(base or []), F(field_name).not_null()]
    page = await api.page(1, filter=conditions, sort=order, page_size=1)
    found = stamp_of(page.data[0], field_name, api.spec.jsonapi_type) if page.data else None
    return found, page


def holds_the_rest(page: Page[Any], asked: int, offset: int = 0) -> bool:
    """Whether ``page``, asked for ``asked`` records from position ``offset`` of its listing, holds the
    listing's last record, by what the server says: its links, else its count, else a page shorter than
    asked. (A server may answer fewer records than asked, capping the page size, and still have more.)"""
    if page.links.paginated:
        return page.links.next is None
    count = page.record_count
    if count is not None:
        return offset + len(page.data) >= count
    return len(page.data) < asked


class KeysetScan(Generic[M]):
    """Pages the records with ``lower <= field <= upper`` (``lower <`` when ``lower_open``, ``< upper`` when
    ``upper_open``) once each.

    ``next()`` returns the records of the next page not read before; ``done`` is set once the range is
    exhausted. Every record older than ``complete_before`` has been read. Given a ``seen`` (the change
    feed's: its watermark is made of it), the scan adds every id it reads there and drops those already in
    it; entries older than ``complete_before`` are no longer needed by the scan (their owner prunes them).
    Without one, it keeps only the ids at its cursor: all it needs to drop what it reads again.
    """

    def __init__(
        self,
        api: ResourceAPI[M, Any, Any],
        field_name: str,
        *,
        lower: datetime,
        upper: datetime,
        lower_open: bool = False,
        upper_open: bool = False,
        base: list[Condition] | None = None,
        page_size: int = 100,
        seen: Seen | None = None,
        fields: Fields | None = None,
    ) -> None:
        self.api = api
        self.field_name = field_name
        self.upper = upper
        self.upper_open = upper_open
        self.base = list(base or [])
        self.page_size = page_size
        self.seen: Seen = {} if seen is None else seen
        self._shared = seen is not None
        self.fields = fields
        self.cursor = lower
        self._mode: Literal["from", "after", "group"] = "after" if lower_open else "from"
        self._group_number = 1
        self._group_size: int | None = None
        self._group_read = 0  # records of the group read since its page 1
        self.done = lower > upper or ((lower_open or upper_open) and lower == upper)
        self.pages = 0
        self.dropped = 0  # records read again and dropped
        self.total: int | None = None  # records in the range when the scan began (meta record_count)

    @property
    def complete_before(self) -> datetime:
        return self.upper if self.done else self.cursor

    async def next(self) -> list[M]:
        first = self.pages == 0
        page = await self._fetch()
        if first:
            self.total = page.record_count
        stamps = self._checked_stamps(page)
        fresh = self._fresh(page.data, stamps)
        self._advance(page, stamps)
        return fresh

    def take(self, page: Page[M], *, ends_listing: bool, from_start: bool = False) -> list[M]:
        """The records of ``page`` inside the range and not yet read, moving the scan past them as if it had
        fetched them. ``page`` is a page of the listing the scan reads (its ``base`` filter, ordered by the
        field then id) that starts at or before the cursor, or is that listing's first page
        (``from_start``): one answer holds every record between its first and last, so none inside the
        range up to its last timestamp is missing from it. ``ends_listing``: the listing ends in this page."""
        stamps = [stamp_of(record, self.field_name, self.api.spec.jsonapi_type) for record in page.data]
        if self.done or not stamps:
            self.done = self.done or not page.data  # an empty page: the listing ends before it
            return []
        if any(a > b for a, b in itertools.pairwise(stamps)) or (not from_start and stamps[0] > self.cursor):
            raise PaginationError(
                f"{self.api.spec.jsonapi_type}: a page handed to the scan starts past its cursor or is out "
                f"of {self.field_name} order"
            )
        inside = [
            (record, stamp) for record, stamp in zip(page.data, stamps, strict=True) if self._inside(stamp)
        ]
        fresh = self._fresh([record for record, _ in inside], [stamp for _, stamp in inside])
        last = stamps[-1]
        if ends_listing or last > self.upper or (self.upper_open and last == self.upper):
            self.done = True  # the answer reached past the range (or the listing's end): all of it was there
        elif last > self.cursor or (last == self.cursor and self._mode == "from"):
            self.cursor, self._mode = last, "from"  # the ids read at `last` are in `seen`
        return fresh

    def _inside(self, stamp: datetime) -> bool:
        above = stamp > self.cursor if self._mode == "after" else stamp >= self.cursor
        return above and (stamp < self.upper if self.upper_open else stamp <= self.upper)

    async def _fetch(self) -> Page[M]:
        name = self.field_name
        if self._mode == "group":
            conditions, number = [*self.base, F(name).eq(self.cursor)], self._group_number
        else:
            lower = F(name) >= self.cursor if self._mode == "from" else F(name) > self.cursor
            upper = F(name) < self.upper if self.upper_open else F(name) <= self.upper
            conditions, number = [*self.base, lower, upper], 1
        page = await self.api.page(
            number, filter=conditions, sort=[name, "id"], page_size=self.page_size, fields=self.fields
        )
        self.pages += 1
        return page

    def _checked_stamps(self, page: Page[M]) -> list[datetime]:
        """Each record's timestamp. The server must have applied the range and the timestamp order: a
        scan built on an order the server did not keep would lose records silently. (Ids are not
        compared: a server may order them as numbers or as text; any stable order serves.)"""
        stamps = [stamp_of(record, self.field_name, self.api.spec.jsonapi_type) for record in page.data]
        if not stamps:
            return stamps
        low, high = stamps[0], stamps[-1]
        if self._mode == "group":
            inside = low == high == self.cursor
        else:
            above = low >= self.cursor if self._mode == "from" else low > self.cursor
            inside = above and (high < self.upper if self.upper_open else high <= self.upper)
        if not inside or any(a > b for a, b in itertools.pairwise(stamps)):
            raise PaginationError(
                f"{self.api.spec.jsonapi_type}: the server answered a page outside the requested "
                f"{self.field_name} range or out of {self.field_name} order"
            )
        return stamps

    def _fresh(self, records: list[M], stamps: list[datetime]) -> list[M]:
        """``records`` (in order, none before the cursor) less those read before, remembering the new."""
        if not self._shared:
            return self._fresh_past_cursor(records, stamps)
        fresh: list[M] = []
        for record, stamp in zip(records, stamps, strict=True):
            ids = self.seen.get(stamp)
            if ids is None:
                self.seen[stamp] = {record.id}
            elif record.id in ids:
                self.dropped += 1
                continue
            else:
                ids.add(record.id)
            fresh.append(record)
        return fresh

    def _fresh_past_cursor(self, records: list[M], stamps: list[datetime]) -> list[M]:
        """_fresh for a scan that keeps only the ids at its cursor: nothing past the cursor has been read,
        so only the records at it (first in the order) are looked up, not every record of the page."""
        cursor = self.cursor
        known = self.seen.get(cursor, set())
        fresh: list[M] = []
        at_cursor = 0
        while at_cursor < len(stamps) and stamps[at_cursor] == cursor:
            if records[at_cursor].id in known:
                self.dropped += 1
            else:
                fresh.append(records[at_cursor])
            at_cursor += 1
        fresh.extend(records[at_cursor:])
        if stamps:  # the ids at the last timestamp: the cursor's, for the next page
            last = stamps[-1]
            ids = set(known) if last == cursor else set()
            for record, stamp in zip(reversed(records), reversed(stamps), strict=True):
                if stamp != last:
                    break
                ids.add(record.id)
            self.seen = {last: ids}
        return fresh

    def _advance(self, page: Page[M], stamps: list[datetime]) -> None:
        if self._mode == "group":
            count = page.record_count
            if count is None:
                raise PaginationError(
                    f"{self.api.spec.jsonapi_type}: a page of records sharing one {self.field_name} has no "
                    "meta record_count, so the scan cannot tell whether the group shifted while paged"
                )
            if self._group_size is not None and count != self._group_size:
                self._group_number, self._group_read = 1, 0  # a member left or joined: page it again
            else:
                # By what the server says, not by the size asked for: a server may serve fewer a page.
                read_before, self._group_read = self._group_read, self._group_read + len(page.data)
                if holds_the_rest(page, self.page_size, read_before):
                    self._mode = "after"  # strictly after the group from now on
                elif not page.data:
                    raise PaginationError(
                        f"{self.api.spec.jsonapi_type}: page {self._group_number} of the {count} records "
                        f"sharing one {self.field_name} is empty, yet the server says there are more"
                    )
                else:
                    self._group_number += 1
            self._group_size = count
            return
        if not page.data or holds_the_rest(page, self.page_size):
            self.done = True
            return
        first, last = stamps[0], stamps[-1]
        self.cursor = last
        if first == last:  # one timestamp fills the page: page that group by number
            self._mode, self._group_number, self._group_size, self._group_read = "group", 1, None, 0
        else:
            self._mode = "from"
