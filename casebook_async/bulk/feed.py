"""The change feed: records changed since a watermark, streamed page by page, resumable after any page.

    feed = export_changed(cb.people, since=Watermark.parse(saved))
    async for batch in feed:                 # one batch per page: memory stays bounded
        write(batch.records)
        save(batch.watermark.to_json())      # resume from here after a crash or Ctrl-C

Paging: by keyset on ``updated_at`` (see ``keyset``), so writers moving records to the end of the order
cannot push an unread record behind the cursor.

Timestamps are not a commit order, and the feed is built for that:

* Millisecond precision: many records share one, including records written after a run read that
  millisecond. The lower bound is inclusive (``ge``) and the watermark keeps the ids delivered at its
  timestamps, so nothing at the boundary is missed or repeated.
* Commit latency: a write is stamped when it starts and becomes visible when it commits, so a record can
  appear with a timestamp older than records already read. Each run first asks the server for its newest
  timestamp (the *head*: a lower bound of the server's clock) and reads only up to it. Everything more
  than the *settle window* older than the head is settled: no commit can still land there. Whatever is
  newer is read again by the next run, which drops what was already delivered (by id and timestamp). So a
  record that became visible late is delivered once, by the first run that sees it, as long as commits
  land within the settle window (default 5 minutes).
* A group paged by number shifts when a member leaves it (deleted, or updated away): its size changes and
  it is paged again. A late commit joining it while another member leaves keeps the size; that can only
  happen in an unsettled group, which the next run reads again.

Each version of a record, ``(id, updated_at)``, is delivered once: a record changed during a run comes
again, in its new version, when the cursor reaches its new timestamp (or in the next run). Two writes to
one record within the same millisecond are one version to the feed. Deletions do not appear: Casebook
hides deleted records (see ``deleted_ids``).

Memory: one page, plus the ids delivered at timestamps newer than the watermark's start (the writes of
one settle window), plus the largest group sharing one timestamp.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, Self

from ..documents import M
from ..errors import InvalidInputError
from ..query import Condition, FilterArg, build_params
from ..resources import ResourceAPI
from .keyset import KeysetScan, Seen, edge, other_conditions

DEFAULT_SETTLE = timedelta(minutes=5)
FORMAT = 2


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.utcoffset() is None:
        raise ValueError(f"{text!r} has no time zone")
    return moment


@dataclass(frozen=True)
class Watermark:
    """Where a change feed stands.

    start: the next run reads from here (None: from the beginning); everything changed before it was
        delivered. seen: the ids already delivered, by timestamp, at or after ``start``; dropped when read
        again. head: the newest timestamp the server has shown (a lower bound of its clock).
    """

    start: datetime | None = None
    seen: Mapping[datetime, frozenset[str]] = field(default_factory=dict)
    head: datetime | None = None

    @classmethod
    def since(cls, moment: datetime) -> Watermark:
        """Every record changed at or after ``moment`` (timezone-aware)."""
        if moment.utcoffset() is None:
            raise InvalidInputError(f"since={moment.isoformat()} has no time zone (add tzinfo=UTC)")
        return cls(start=moment)

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "start": None if self.start is None else _iso(self.start),
                "head": None if self.head is None else _iso(self.head),
                "seen": {_iso(t): sorted(ids) for t, ids in sorted(self.seen.items())},
            },
            separators=(",", ":"),
        )

    @classmethod
    def parse(cls, text: str) -> Watermark:
        """A watermark's JSON (this format or the earlier ``{"value", "ids"}``), or an ISO time with a zone
        (``Z`` accepted). ValueError if it is neither."""
        text = text.strip()
        if not text.startswith("{"):
            return cls(start=_parse_time(text))
        raw = json.loads(text)
        if not isinstance(raw, dict):
            raise ValueError("a watermark is a JSON object")  # noqa: TRY004 - parse() promises ValueError
        try:
            if "value" in raw:  # format 1: the ids exported at exactly the last timestamp
                value = _parse_time(raw["value"])
                return cls(value, {value: frozenset(map(str, raw.get("ids", ())))}, value)
            if raw.get("format") != FORMAT:
                raise ValueError(f"unknown watermark format {raw.get('format')!r}")
            start, head = raw.get("start"), raw.get("head")
            return cls(
                None if start is None else _parse_time(start),
                {_parse_time(t): frozenset(map(str, ids)) for t, ids in raw.get("seen", {}).items()},
                None if head is None else _parse_time(head),
            )
        except (TypeError, AttributeError) as exc:  # a member of the wrong JSON type
            raise ValueError(f"not a watermark: {exc}") from None


@dataclass(frozen=True)
class ChangeBatch(Generic[M]):
    """The new records of one page, and the watermark to save once they are written."""

    records: list[M]
    watermark: Watermark


@dataclass
class ExportResult(Generic[M]):
    """What ``ChangeFeed.collect()`` returns: every change in memory (for small feeds and tests)."""

    records: list[M]
    watermark: Watermark
    dropped: int = 0
    pages: int = 0


class ChangeFeed(Generic[M]):
    """Async iterator of ``ChangeBatch``es; see the module docstring. Made by ``export_changed``."""

    def __init__(
        self,
        api: ResourceAPI[M, Any, Any],
        since: Watermark | datetime | None = None,
        *,
        field_name: str = "updated_at",
        page_size: int = 100,
        settle: timedelta = DEFAULT_SETTLE,
        until: datetime | None = None,
        filter: FilterArg | None = None,
    ) -> None:
        build_params(page_size=page_size)  # InvalidQueryError now, before any request
        if settle < timedelta(0):
            raise InvalidInputError("settle must not be negative")
        if until is not None and until.utcoffset() is None:
            raise InvalidInputError(f"until={until.isoformat()} has no time zone (add tzinfo=UTC)")
        self.api = api
        self.field_name = field_name
        self.page_size = page_size
        self.settle = settle
        self._user_until = until
        self._base = _user_conditions(filter, field_name)
        mark = Watermark.since(since) if isinstance(since, datetime) else since or Watermark()
        self.watermark = mark  # the latest one handed out
        self._first = mark.start
        self._seen: Seen = {t: set(ids) for t, ids in mark.seen.items()}
        self._head = mark.head
        self._settled_until: datetime | None = None
        self._scan: KeysetScan[M] | None = None
        self._started = False
        self._done = False
        self.pages = 0  # requests made, probes included
        self.delivered = 0

    @property
    def total(self) -> int | None:
        """Records in this run's range when it began (those read again included), if the server says."""
        return self._scan.total if self._scan is not None else None

    @property
    def dropped(self) -> int:
        """Records read again and dropped as already delivered."""
        return self._scan.dropped if self._scan is not None else 0

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> ChangeBatch[M]:
        while not self._done:
            records = await self._step()
            if records or self._done:  # a page of records already delivered is not worth a batch
                return ChangeBatch(records, self.watermark)
        raise StopAsyncIteration

    async def collect(self) -> ExportResult[M]:
        """Every change in memory, each record once in its latest version. Prefer iterating at scale."""
        latest: dict[str, M] = {}
        async for batch in self:
            for record in batch.records:
                latest.pop(record.id, None)  # a later version moves to the end, as the feed ordered it
                latest[record.id] = record
        return ExportResult(list(latest.values()), self.watermark, self.dropped, self.pages)

    async def _step(self) -> list[M]:
        if not self._started:
            self._started = True
            self._scan = await self._probe()
        scan = self._scan
        if scan is None:
            self._done = True
            return []
        records = await scan.next()
        self.pages += 1
        self.delivered += len(records)
        self._done = scan.done
        self._checkpoint(scan.complete_before)
        return records

    async def _probe(self) -> KeysetScan[M] | None:
        """The scan of this run: from the watermark's start to the head, the newest timestamp now (a lower
        bound of the server's clock). None when there is nothing to read."""
        head, _ = await edge(self.api, self.field_name, newest=True)
        self.pages += 1
        if head is None:
            return None
        self._head = max(head, self._head) if self._head is not None else head
        self._settled_until = self._head - self.settle
        until = min(head, self._user_until) if self._user_until is not None else head
        start = self._first
        if start is None:
            start, _ = await edge(self.api, self.field_name, newest=False)
            self.pages += 1
            if start is None:
                return None
        if start > until:
            self._checkpoint(until)
            return None
        return KeysetScan(
            self.api,
            self.field_name,
            lower=start,
            upper=until,
            base=self._base,
            page_size=self.page_size,
            seen=self._seen,
        )

    def _checkpoint(self, complete_before: datetime) -> None:
        """Everything older than ``complete_before`` has been read: the next run starts there, or at the
        settled boundary if that is older (newer records may still commit late), never before the start."""
        start = complete_before
        if self._settled_until is not None:
            start = min(start, self._settled_until)
        if self._first is not None:
            start = max(start, self._first)
        if start != self.watermark.start:
            for stamp in [t for t in self._seen if t < start]:
                del self._seen[stamp]
        seen = {t: frozenset(ids) for t, ids in self._seen.items() if ids}
        self.watermark = Watermark(start, seen, self._head)


def _user_conditions(filter: FilterArg | None, field_name: str) -> list[Condition]:
    """The caller's filter as conditions; a bound on ``field_name`` is refused (since= and until= are the
    feed's bounds, and the cursor moves the lower one)."""
    return other_conditions(
        filter,
        field_name,
        lambda c: (
            f"filter[{field_name}][{c.operator}] conflicts with the change feed's own bounds on "
            f"{field_name}: pass since= (lower) or until= (upper)"
        ),
    )


def export_changed(
    api: ResourceAPI[M, Any, Any],
    since: Watermark | datetime | None = None,
    *,
    field_name: str = "updated_at",
    page_size: int = 100,
    settle: timedelta = DEFAULT_SETTLE,
    until: datetime | None = None,
    filter: FilterArg | None = None,
) -> ChangeFeed[M]:
    """The change feed of ``api``: records whose ``field_name`` (``updated_at``, or ``created_at`` for new
    records only) is at or after ``since``, page by page. ``settle``: how late a commit may land and still
    be delivered (the overlap each run reads again). ``until`` bounds the feed above; ``filter`` narrows
    it (a bound on ``field_name`` is refused: use since/until)."""
    return ChangeFeed(
        api, since, field_name=field_name, page_size=page_size, settle=settle, until=until, filter=filter
    )
