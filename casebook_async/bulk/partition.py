"""A full export that is consistent under concurrent writes and still concurrent: partitioned keyset paging.

    async with export_all(cb.people, concurrency=8) as export:
        async for records in export:          # one list per page, partitions interleaved
            write(records)

Offset paging over a live collection misses or repeats records that writers shift across page boundaries.
Here the ``created_at`` range is cut into partitions, and each partition is paged by keyset on
``created_at`` (see ``keyset``), the partitions concurrently. ``created_at`` never changes, so a record
stays in its partition and at its place in the order whatever is written meanwhile: every record that
exists for the whole export is delivered exactly once. (Records created or deleted during the export may
or may not be.) Partition boundaries are quantiles of the collection, read with one-record pages at
evenly spaced offsets, so partitions are about equal whatever the distribution over time. One partition per
worker by default (each partition costs a short last page and a boundary probe); ask for more
(``partitions=``) when partitions may come out uneven, so no worker is left with a long tail alone.

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
from ..documents import M
from ..errors import InvalidInputError
from ..query import Condition, FilterArg, build_params
from ..resources import Fields, ResourceAPI
from .feed import DEFAULT_SETTLE, Watermark
from .keyset import KeysetScan, edge, other_conditions, stamp_of

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
    """``lower <= created_at < upper`` (``<= upper`` when ``closed``)."""

    lower: datetime
    upper: datetime
    closed: bool = False


def quantile_partitions(
    boundaries: Sequence[datetime], oldest: datetime, newest: datetime
) -> list[Partition]:
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


_Item = tuple[list[M], None] | tuple[None, Exception]


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
        queue = deque(self.partitions)
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
            records, error = await self._receive.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None
        if error is not None:
            raise error
        assert records is not None
        self.delivered += len(records)
        if self.head is not None:
            start = self.head - self.settle
            for record in records:
                stamp = peek_timestamp(record, "updated_at")
                if isinstance(stamp, datetime) and stamp >= start:
                    self._seen.setdefault(stamp, set()).add(record.id)
        return records

    async def _plan(self) -> None:
        """Probe the collection (oldest and newest record, count, feed head: one round trip, concurrently)
        and cut it into partitions (quantiles: one more round trip)."""
        name = self.field_name
        found: dict[str, Any] = {}

        async def probe(key: str, field_name: str, newest: bool, base: list[Condition]) -> None:
            found[key] = await edge(self.api, field_name, newest=newest, base=base)

        async with anyio.create_task_group() as tg:
            tg.start_soon(probe, "oldest", name, False, self.base)
            tg.start_soon(probe, "newest", name, True, self.base)
            tg.start_soon(probe, "head", "updated_at", True, [])
        self.pages += 3
        (oldest, oldest_page), (newest, _) = found["oldest"], found["newest"]
        self.head = found["head"][0]
        if oldest is None or newest is None:
            return
        self.total = oldest_page.record_count
        if self.shard is not None:
            self.partitions = shard_partitions(self.shard, self.shard_width, oldest, newest)
            return
        count = self.wanted_partitions
        if self.total is not None:
            count = max(1, min(count, self.total // self.page_size))
        self.partitions = quantile_partitions(await self._quantiles(count, oldest, newest), oldest, newest)

    async def _quantiles(self, count: int, oldest: datetime, newest: datetime) -> list[datetime]:
        """The ``created_at`` at each 1/count of the collection: one-record pages at offsets. Offsets into a
        live collection may shift a little; that only makes partitions a little uneven."""
        if count <= 1:
            return []
        if self.total is None:  # no count to take offsets from: even slices of time instead
            return [oldest + (newest - oldest) * j / count for j in range(1, count)]
        found: list[datetime] = []
        limiter = anyio.CapacityLimiter(self.concurrency)

        async def probe(position: int) -> None:
            async with limiter:
                page = await self.api.page(
                    position + 1,
                    filter=[*self.base] or None,
                    sort=[self.field_name, "id"],
                    page_size=1,
                    fields=self.fields,
                )
            if page.data:
                found.append(stamp_of(page.data[0], self.field_name, self.api.spec.jsonapi_type))

        async with anyio.create_task_group() as tg:
            for j in range(1, count):
                tg.start_soon(probe, j * self.total // count)
        self.pages += count - 1
        return found

    async def _work(self, queue: deque[Partition], send: MemoryObjectSendStream[_Item[M]]) -> None:
        async with send:
            while queue:
                part = queue.popleft()
                scan: KeysetScan[M] = KeysetScan(
                    self.api,
                    self.field_name,
                    lower=part.lower,
                    upper=part.upper,
                    upper_open=not part.closed,
                    base=self.base,
                    page_size=self.page_size,
                    fields=self.fields,
                )
                try:
                    while not scan.done:
                        records = await scan.next()
                        self.pages += 1
                        for stamp in [t for t in scan.seen if t < scan.complete_before]:
                            del scan.seen[stamp]  # older ids are behind the cursor for good
                        if records:
                            await send.send((records, None))
                except anyio.BrokenResourceError:
                    return  # the consumer left
                except Exception as exc:  # delivered to the consumer, after the pages before it
                    with contextlib.suppress(anyio.BrokenResourceError):
                        await send.send((None, exc))
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
