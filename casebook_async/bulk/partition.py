"""A full export that is consistent under concurrent writes and still concurrent: partitioned keyset paging.

    async with export_all(cb.people, concurrency=8) as export:
        async for records in export:          # one list per page, partitions interleaved
            write(records)

Offset paging over a live collection misses or repeats records that writers shift across page boundaries.
Here the ``created_at`` range is cut into partitions, and each partition is paged by keyset on
``created_at`` (see ``keyset``), the partitions concurrently. ``created_at`` never changes, so a record
stays in its partition and at its place in the order whatever is written meanwhile: every record that
exists for the whole export is delivered exactly once. (Records created or deleted during the export may
or may not be.) Partition boundaries are quantiles of the collection: the first page of each partition is
a page of the listing in ``created_at`` order at a page number ``first_pages`` chooses (so that the longest
partition needs as few pages as it can), fetched all at once, and its first record is where the partition
starts; so partitions are about equal whatever the distribution over time, and planning costs one round
trip beyond the first page, whose records are data too. One partition per worker by default (each
partition costs a short last page); ask for more (``partitions=``) when partitions may come out uneven, so
no worker is left with a long tail alone. A server whose pages can only be followed one after another (a
cursor), or that gives no count, is cut into even slices of time.

Several processes or machines split one export with ``shard=Shard(i, n)``: the time axis is cut into
buckets of ``shard_width`` aligned on the epoch, and shard i takes every n-th bucket, so shards agree
on who owns a record without talking to each other, and no record is in two shards.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import math
from collections import deque
from collections.abc import Mapping, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Final, Generic, Self

import anyio
import anyio.abc
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from ..decoding import peek_timestamp
from ..documents import M, Page
from ..errors import InvalidInputError
from ..paging import derive_template, resize
from ..query import Condition, F, FilterArg, build_params
from ..resources import Fields, ResourceAPI
from .feed import DEFAULT_SETTLE, Watermark
from .keyset import KeysetScan, edge, holds_the_rest, other_conditions, stamp_of

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Shard:
    """Shard ``number`` of ``count`` (1-based, as ``--shard 2/4``)."""

    number: int
    count: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= self.count:
            raise InvalidInputError(f"shard {self.number}/{self.count}: need 1 <= i <= n")

    @classmethod
    def parse(cls, text: str) -> Shard:
        number, sep, count = text.partition("/")
        if not sep or not number.strip().isdigit() or not count.strip().isdigit():
            raise InvalidInputError(f"shard {text!r}: expected i/n, e.g. 2/4")
        return cls(int(number), int(count))

    def owns_key(self, key: str) -> bool:
        """Whether a record with this key (an upsert key's value, say) is this shard's: a stable hash, the
        same in every process and on every machine (unlike Python's ``hash``)."""
        digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") % self.count == self.number - 1

    def owns_bucket(self, bucket: int) -> bool:
        return bucket % self.count == self.number - 1

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"


@dataclass(frozen=True)
class Partition:
    """``lower <= created_at < upper`` (``<= upper`` when ``closed``, ``lower <`` when ``lower_open``)."""

    lower: datetime
    upper: datetime
    closed: bool = False
    lower_open: bool = False


def partitions_between(boundaries: Sequence[datetime], oldest: datetime, newest: datetime) -> list[Partition]:
    """[oldest, b1), [b1, b2), ... [bk, newest]: boundaries deduplicated, none outside the range."""
    cuts = sorted({b for b in boundaries if oldest < b <= newest})
    edges = [oldest, *cuts]
    parts = [Partition(lo, hi) for lo, hi in itertools.pairwise(edges)]
    return [*parts, Partition(edges[-1], newest, closed=True)]


MAX_SHARD_BUCKETS: Final = 100_000


def shard_partitions(shard: Shard, width: timedelta, oldest: datetime, newest: datetime) -> list[Partition]:
    """The epoch-aligned buckets of ``width`` between oldest and newest that ``shard`` owns."""
    step = width / timedelta(milliseconds=1)
    if step < 1:
        raise InvalidInputError("shard_width must be at least a millisecond")

    def bucket(moment: datetime) -> int:
        return math.floor((moment - EPOCH) / timedelta(milliseconds=1) / step)

    buckets = bucket(newest) - bucket(oldest) + 1
    if buckets > MAX_SHARD_BUCKETS:  # each is a partition to plan (and a request or more to page)
        raise InvalidInputError(
            f"shard_width {width} cuts this collection's created_at range into {buckets} buckets "
            f"(at most {MAX_SHARD_BUCKETS:,}): widen it"
        )
    parts = []
    for k in range(bucket(oldest), bucket(newest) + 1):
        if shard.owns_bucket(k):
            lower = EPOCH + k * width
            upper = EPOCH + (k + 1) * width
            parts.append(Partition(lower, newest, closed=True) if upper > newest else Partition(lower, upper))
    return parts


def first_pages(total: int, partitions: int, page_size: int, resizable: bool = True) -> tuple[int, list[int]]:
    """Where the partitions after the first start: the page size and page numbers of their first pages
    (read in one round trip), placed so that the partition needing the most pages after its first needs
    as few as it can. The first partition starts with page 1 (``page_size`` records). A later page of a
    scan brings ``page_size - 1`` new records (it reads its cursor's record again), and a partition reads
    the record its successor starts at too. Where the listing's pages can be asked at another size
    (``resizable``), the first pages may be smaller than ``page_size`` so that the partitions fit their
    pages: 10 000 records in 8 partitions of 100-record pages need 12 pages after the first when the
    first pages hold 98 records, 13 when they hold 100."""
    step = page_size - 1
    if partitions <= 1 or total <= page_size or step < 1:
        return page_size, []
    sizes = (
        range(page_size, max(1, page_size // 2) - 1, -1) if resizable else range(page_size, page_size - 1, -1)
    )
    fewest = max(1, -(-(total - partitions * page_size) // (partitions * step)))
    for fetches in itertools.count(fewest):
        for size in sizes:
            starts = _placed(total, partitions, page_size, size, step * fetches)
            if starts is not None:
                return size, [offset // size + 1 for offset in starts]
    raise AssertionError("unreachable: one page a partition at most ends the search")


def _placed(total: int, partitions: int, page_size: int, size: int, reach: int) -> list[int] | None:
    """Offsets (multiples of ``size``) where partitions start so that none reads more than ``reach``
    records after its first page, each as far as its predecessor allows; None if ``partitions`` fall short."""
    starts: list[int] = []
    start, first = 0, page_size
    while total > start + first + reach:  # this partition cannot be the last
        if len(starts) == partitions - 1:
            return None
        following = min(start + first - 1 + reach, total - 1) // size * size
        if following <= start:
            return None
        starts.append(following)
        start, first = following, size
    return starts


@dataclass(frozen=True)
class _FirstPage(Generic[M]):
    """A partition's first page, read while planning, and whether the listing ends in it."""

    page: Page[M]
    ends_listing: bool
    from_start: bool = False  # page 1 of the listing


_Versions = list[tuple[datetime, str]]  # (updated_at, id) of records delivered inside the settle window
_Item = tuple[list[M], _Versions, None] | tuple[None, None, Exception]


class FullExport(Generic[M]):
    """``async with export_all(...) as export: async for records in export``; see the module docstring.

    ``total``: records the collection held when the export was planned (None if the server does not say).
    ``head``: the newest ``updated_at`` then; ``watermark()`` starts a change feed that continues this
    export without missing a change made while it ran.
    """

    def __init__(
        self,
        api: ResourceAPI[M, Any, Any],
        *,
        concurrency: int = 8,
        partitions: int | None = None,
        page_size: int = 100,
        filter: FilterArg | None = None,
        fields: Fields | None = None,
        shard: Shard | None = None,
        shard_width: timedelta = timedelta(days=1),
        field_name: str = "created_at",
        settle: timedelta = DEFAULT_SETTLE,
    ) -> None:
        build_params(page_size=page_size)
        if isinstance(concurrency, bool) or concurrency < 1:
            raise InvalidInputError(f"concurrency must be a positive integer, got {concurrency!r}")
        if partitions is not None and partitions < 1:
            raise InvalidInputError(f"partitions must be a positive integer, got {partitions!r}")
        self.api = api
        self.concurrency = concurrency
        self.wanted_partitions = partitions or concurrency
        self.page_size = page_size
        self.field_name = field_name
        self.base = _conditions(filter, field_name)
        self.fields = _with_keys(fields, api.spec.jsonapi_type, [field_name, "updated_at"])
        self.shard = shard
        self.shard_width = shard_width
        self.settle = settle
        self._seen: dict[datetime, set[str]] = {}  # versions delivered inside the settle window
        self.partitions: list[Partition] = []
        self._planned: list[tuple[Partition, _FirstPage[M] | None]] = []  # with its first page, if read
        self.total: int | None = None
        self.head: datetime | None = None
        self.delivered = 0
        self.pages = 0
        self.dropped = 0
        self._stack: AsyncExitStack | None = None
        self._task_group: anyio.abc.TaskGroup | None = None
        self._receive: MemoryObjectReceiveStream[_Item[M]] | None = None

    def watermark(self) -> Watermark:
        """Where a change feed (``export_changed``) picks up after this export: from the newest
        ``updated_at`` when the export began, less the settle window (changes may still have been
        committing), dropping the versions this export delivered."""
        if self.head is None:
            return Watermark()
        seen = {t: frozenset(ids) for t, ids in self._seen.items()}
        return Watermark(start=self.head - self.settle, seen=seen, head=self.head)

    async def __aenter__(self) -> Self:
        if self._stack is not None:
            raise RuntimeError("already entered")
        await self._plan()
        stack = AsyncExitStack()
        task_group = await stack.enter_async_context(anyio.create_task_group())
        send, receive = anyio.create_memory_object_stream[_Item[M]](max_buffer_size=self.concurrency)
        self._stack, self._task_group, self._receive = stack, task_group, receive
        queue = deque(self._planned)
        async with send:
            for _ in range(min(self.concurrency, len(queue))):
                task_group.start_soon(self._work, queue, send.clone())
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        stack, self._stack = self._stack, None
        if self._task_group is not None:
            # Stop the workers. Shielded first (as in pagination.Pages), so an outer cancellation pending here
            # cannot replace the body's exception with Cancelled; the scope is cancelled, so closing is quick.
            self._task_group.cancel_scope.shield = True
            self._task_group.cancel_scope.cancel()
            self._task_group = None
        try:
            if stack is not None:
                await stack.aclose()
        finally:
            if self._receive is not None:
                self._receive.close()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> list[M]:
        if self._receive is None:
            raise RuntimeError("use `async with export_all(...) as export: async for records in export`")
        try:
            records, versions, error = await self._receive.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None
        if error is not None:
            raise error
        assert records is not None
        assert versions is not None
        self.delivered += len(records)
        for stamp, record_id in versions:  # counted as delivered once the consumer has the page
            self._seen.setdefault(stamp, set()).add(record_id)
        return records

    async def _plan(self) -> None:
        """One round trip for the collection's edges: its first page (the first partition's first page too,
        and the count), the newest record, the feed's head. One more for the first page of each other
        partition (see ``first_pages``): each page is data, and its first record is a boundary."""
        name = self.field_name
        found: dict[str, Any] = {}

        async def first() -> None:
            found["first"] = await self._listing_page(1, self.page_size)

        async def probe(key: str, field_name: str, base: list[Condition]) -> None:
            found[key], _ = await edge(self.api, field_name, newest=True, base=base)

        async with anyio.create_task_group() as tg:
            tg.start_soon(first)
            tg.start_soon(probe, "newest", name, self.base)
            tg.start_soon(probe, "head", "updated_at", [])
        self.pages += 3
        first_page: Page[M] = found["first"]
        newest: datetime | None = found["newest"]
        self.head = found["head"]
        if not first_page.data or newest is None:
            return
        oldest = stamp_of(first_page.data[0], name, self.api.spec.jsonapi_type)
        self.total = first_page.record_count
        template = derive_template(first_page.url or "", first_page.links, len(first_page.data))
        # Page 1 is the start of the listing: whichever partition holds its records can take them.
        start = _FirstPage(first_page, holds_the_rest(first_page, self.page_size), from_start=True)
        if self.shard is not None:
            parts = shard_partitions(self.shard, self.shard_width, oldest, newest)
        elif self.total is None or (template is None and first_page.links.next is not None):
            # No count to number pages by, or pages only reachable one after another (a cursor): even
            # slices of time instead, uneven if the records are.
            count = self.wanted_partitions
            cuts = [oldest + (newest - oldest) * j / count for j in range(1, count)]
            parts = partitions_between(cuts, oldest, newest)
        else:
            # Pages are numbered by what the server serves: fewer than asked when it caps the size.
            served = self.page_size if start.ends_listing else len(first_page.data)
            resizable = (
                served == self.page_size
                and template is not None
                and resize(template, self.page_size, self.page_size - 1) is not None
            )
            self._planned = await self._cut(start, oldest, newest, served, resizable)
            self.partitions = [part for part, _ in self._planned]
            return
        self._planned = [(part, start if k == 0 else None) for k, part in enumerate(parts)]
        self.partitions = parts

    async def _listing_page(self, number: int, size: int) -> Page[M]:
        """Page ``number`` of the whole listing in partition order at ``size`` records a page (one query:
        page(n) is addressed from what page 1 taught)."""
        return await self.api.page(
            number,
            filter=[*self.base, F(self.field_name).not_null()],
            sort=[self.field_name, "id"],
            page_size=size,
            fields=self.fields,
        )

    async def _cut(
        self, start: _FirstPage[M], oldest: datetime, newest: datetime, served: int, resizable: bool
    ) -> list[tuple[Partition, _FirstPage[M] | None]]:
        """Partitions starting at the pages ``first_pages`` places, each with its first page. The page at
        a boundary may start inside a group of records sharing its timestamp, so a partition is
        ``(boundary, next boundary]``: the partition before takes the whole group. Boundaries are made to
        rise (writers may shift the pages of a live collection between the two round trips), and none
        goes past ``newest``."""
        assert self.total is not None
        size, numbers = first_pages(self.total, self.wanted_partitions, served, resizable)
        asked = size if size != served else self.page_size  # a capping server serves `served` for it
        probes: dict[int, Page[M]] = {}
        limiter = anyio.CapacityLimiter(self.concurrency)

        async def probe(number: int) -> None:
            async with limiter:
                probes[number] = await self._listing_page(number, asked)

        async with anyio.create_task_group() as tg:
            for number in numbers:
                tg.start_soon(probe, number)
        self.pages += len(numbers)
        starts: list[tuple[datetime, _FirstPage[M]]] = []
        floor = oldest
        for number in numbers:
            page = probes[number]
            if page.data:  # past the end (records deleted meanwhile): no partition starts there
                stamp = stamp_of(page.data[0], self.field_name, self.api.spec.jsonapi_type)
                floor = min(newest, max(floor, stamp))
                # Whether the listing ends here is read from links alone: where a page sits is a guess
                # from its number (a server may serve fewer than asked, or shift under writers).
                ends = page.links.paginated and page.links.next is None
                starts.append((floor, _FirstPage(page, ends)))
        uppers = [lower for lower, _ in starts] + [newest]
        planned: list[tuple[Partition, _FirstPage[M] | None]] = [
            (Partition(oldest, uppers[0], closed=True), start)
        ]
        for (lower, first), upper in zip(starts, uppers[1:], strict=True):
            if lower < upper:  # else an empty range: a group of one timestamp, or past newest
                planned.append((Partition(lower, upper, closed=True, lower_open=True), first))
        return planned

    def _versions_to_remember(self, records: list[M]) -> _Versions:
        """The (updated_at, id) of ``records`` inside the settle window, read where the page was just
        decoded. ISO dates (YYYY-MM-DD...) are compared as text first: a timestamp dated two days before the
        window's start is older whatever its UTC offset (under a day), and most records of a full export
        are, so few are parsed."""
        if self.head is None:
            return []
        since = self.head - self.settle
        floor = (since - timedelta(days=2)).astimezone(UTC).date().isoformat()
        versions: _Versions = []
        for record in records:
            raw = getattr(record, "_raw", None)
            attributes = raw.get("attributes") if raw.__class__ is dict else None
            text = attributes.get("updated_at") if attributes.__class__ is dict else None
            if text.__class__ is str and text[4:5] == text[7:8] == "-" and text[:10] < floor:
                continue
            stamp = peek_timestamp(record, "updated_at")
            if isinstance(stamp, datetime) and stamp >= since:
                versions.append((stamp, record.id))
        return versions

    async def _work(
        self, queue: deque[tuple[Partition, _FirstPage[M] | None]], send: MemoryObjectSendStream[_Item[M]]
    ) -> None:
        async with send:
            while queue:
                part, first = queue.popleft()
                scan: KeysetScan[M] = KeysetScan(
                    self.api,
                    self.field_name,
                    lower=part.lower,
                    upper=part.upper,
                    lower_open=part.lower_open,
                    upper_open=not part.closed,
                    base=self.base,
                    page_size=self.page_size,
                    fields=self.fields,
                )
                try:
                    records = (
                        []
                        if first is None
                        else scan.take(
                            first.page, ends_listing=first.ends_listing, from_start=first.from_start
                        )
                    )
                    while True:
                        if records:
                            await send.send((records, self._versions_to_remember(records), None))
                        if scan.done:
                            break
                        records = await scan.next()
                        self.pages += 1
                except anyio.BrokenResourceError:
                    return  # the consumer left
                except Exception as exc:  # delivered to the consumer, after the pages before it
                    with contextlib.suppress(anyio.BrokenResourceError):
                        await send.send((None, None, exc))
                    return
                finally:
                    self.dropped += scan.dropped


def _conditions(filter: FilterArg | None, field_name: str) -> list[Condition]:
    return other_conditions(
        filter,
        field_name,
        lambda _: (
            f"filter[{field_name}]: the partitioned export pages by {field_name} itself; filter on "
            "other attributes"
        ),
    )


def _with_keys(fields: Fields | None, jsonapi_type: str, keys: list[str]) -> Fields | None:
    """Sparse fieldsets keep the partition key (the keyset cannot move without it) and ``updated_at``
    (the watermark a change feed goes on from is made of it)."""
    if fields is None or jsonapi_type not in fields:
        return fields
    own = fields[jsonapi_type]
    names = [own] if isinstance(own, str) else list(own)
    merged: dict[str, Any] = dict(fields)
    merged[jsonapi_type] = [*names, *(key for key in dict.fromkeys(keys) if key not in names)]
    return merged


def export_all(
    api: ResourceAPI[M, Any, Any],
    *,
    concurrency: int = 8,
    partitions: int | None = None,
    page_size: int = 100,
    filter: FilterArg | None = None,
    fields: Mapping[str, Any] | None = None,
    shard: Shard | None = None,
    shard_width: timedelta = timedelta(days=1),
    settle: timedelta = DEFAULT_SETTLE,
) -> FullExport[M]:
    """Every record of ``api``, consistent under concurrent writes, ``concurrency`` partitions at a time
    (``partitions``: how many to cut, default one per worker). ``shard``: only this shard's share.
    ``settle``: the change feed's settle window, for ``watermark()``."""
    return FullExport(
        api,
        concurrency=concurrency,
        partitions=partitions,
        page_size=page_size,
        filter=filter,
        fields=fields,
        shard=shard,
        shard_width=shard_width,
        settle=settle,
    )
