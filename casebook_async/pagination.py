"""Auto-pagination with concurrent page fetching, in order, in bounded memory.

Page 1 is fetched first. If its ``meta.page_count`` says there are N pages, pages 2..N are fetched with at
most ``window`` pages in flight or buffered; records are yielded in page order. Without totals, the
iterator follows ``links.next`` one page at a time (same origin only, so the token never leaves).

Design decision (async generators + task groups): a task group must not stay open across a ``yield``
(trio forbids it; on asyncio an abandoned generator leaks its tasks until GC). So there are no async
generators here. Two modes, both structured:

* ``async with cb.people.list(...) as people: async for p in people`` — a sliding window: the task group
  is opened in ``__aenter__`` and closed in ``__aexit__``, so fetching overlaps with consumption, and
  leaving the block (``break``, an exception, cancellation) cancels every outstanding fetch
  deterministically. ``collect()`` uses this mode.
* plain ``async for p in cb.people.list(...)`` — batches: when its buffer is empty, ``__anext__`` fetches
  the next ``window`` pages concurrently in a task group that opens and closes inside that one call. No task
  outlives an ``__anext__``, so breaking out early leaves nothing running.

A failed page fetch is raised as its own typed error when the consumer reaches that page.

A listing is not a snapshot: pages are offsets into a live collection. If a later page reports a higher
``page_count`` (records were added), the new pages are fetched too; records inserted before or deleted
behind the current position can still shift others across page boundaries (seen twice, or missed). For
change capture use ``casebook_async.bulk.export_changed``, which pages by timestamp instead.
"""

from __future__ import annotations

import builtins
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from types import TracebackType
from typing import Generic, Self

import anyio
import anyio.abc
import httpx
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from .documents import M, Page
from .errors import PaginationError

FetchNumber = Callable[[int], Awaitable[Page[M]]]
FetchURL = Callable[[str], Awaitable[Page[M]]]


class _Slot(Generic[M]):
    """Result of one page fetch, filled by a task and awaited by the consumer."""

    def __init__(self) -> None:
        self.done = anyio.Event()
        self.page: Page[M] | None = None
        self.error: BaseException | None = None

    async def fill(self, fetch: FetchNumber[M], number: int) -> None:
        try:
            self.page = await fetch(number)
        except Exception as exc:  # delivered to the consumer in page order
            self.error = exc
        self.done.set()

    async def result(self) -> Page[M]:
        await self.done.wait()
        if self.error is not None:
            raise self.error
        assert self.page is not None
        return self.page


class Pages(Generic[M]):
    """Async iterator over ``Page`` objects (with ``meta``, ``links``, ``included``).

    Use ``async with`` for a sliding window of concurrent fetches; plain ``async for`` fetches in batches.
    """

    def __init__(self, fetch_number: FetchNumber[M], fetch_url: FetchURL[M], window: int) -> None:
        if window < 1:
            raise ValueError("window must be >= 1")
        self._fetch_number = fetch_number
        self._fetch_url = fetch_url
        self._window = window
        self._started = False
        self._next_number = 2
        self._page_count: int | None = None
        self._next_url: str | None = None
        self._followed: set[str] = set()  # links.next URLs already fetched (a repeat would loop forever)
        self._finished = False
        self._buffer: deque[_Slot[M]] = deque()
        self._stack: AsyncExitStack | None = None
        self._task_group: anyio.abc.TaskGroup | None = None
        self._slots: MemoryObjectReceiveStream[_Slot[M]] | None = None
        self._send: MemoryObjectSendStream[_Slot[M]] | None = None
        self.pages_requested = 0  # fetches started (observability; lets tests check cancellation)

    async def __aenter__(self) -> Self:
        if self._stack is not None:
            raise RuntimeError("already entered")
        stack = AsyncExitStack()
        self._task_group = await stack.enter_async_context(anyio.create_task_group())
        self._stack = stack
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool | None:
        stack, self._stack = self._stack, None
        if self._task_group is not None:
            # The consumer is done: stop outstanding fetches. Shielded first, so an outer cancellation
            # pending at this point cannot replace the body's exception with Cancelled (which the outer
            # scope would then swallow); the scope is cancelled itself, so closing it still cannot block.
            self._task_group.cancel_scope.shield = True
            self._task_group.cancel_scope.cancel()
        self._task_group = None
        self._finished = True
        try:
            if stack is not None:
                # Fetch errors never escape the tasks (they are delivered in order by _Slot), so the task
                # group holds only cancellations: close it without the consumer's exception, which then
                # propagates unchanged (not wrapped in an ExceptionGroup).
                await stack.aclose()
        finally:
            if self._slots is not None:
                self._slots.close()
            if self._send is not None:
                self._send.close()
        return None

    def __aiter__(self) -> Self:
        return self

    async def _fetch(self, number: int) -> Page[M]:
        self.pages_requested += 1
        page = await self._fetch_number(number)
        grown = page.page_count
        if grown is not None and self._page_count is not None and grown > self._page_count:
            self._page_count = grown  # records were added while we paged: fetch the new pages too
        return page

    async def __anext__(self) -> Page[M]:
        if not self._started:
            self._started = True
            first = await self._fetch(1)
            self._page_count = first.page_count
            self._next_url = first.next_url
            if not first.data:
                self._finished = True
            elif self._task_group is not None and self._remaining():
                self._start_producer(self._task_group)
            return first
        if self._finished:
            raise StopAsyncIteration
        if self._page_count is None:
            return await self._follow_next()
        if self._slots is not None:
            return await self._next_windowed()
        return await self._next_batched()

    def _remaining(self) -> bool:
        return self._page_count is not None and self._next_number <= self._page_count

    async def _follow_next(self) -> Page[M]:
        if self._next_url is None:
            self._finished = True
            raise StopAsyncIteration
        if self._next_url in self._followed:
            self._finished = True
            raise PaginationError(f"links.next repeats an already fetched page: {self._next_url}")
        self._followed.add(self._next_url)
        try:
            httpx.URL(self._next_url)
        except httpx.InvalidURL:
            self._finished = True
            raise PaginationError("links.next is not a valid URL") from None
        self.pages_requested += 1
        page = await self._fetch_url(self._next_url)
        self._next_url = page.next_url
        if not page.data:
            self._finished = True
            raise StopAsyncIteration
        return page

    def _start_producer(self, task_group: anyio.abc.TaskGroup) -> None:
        # At most `window` pages in flight or unconsumed: `window - 1` queued slots + the awaited one.
        send, receive = anyio.create_memory_object_stream[_Slot[M]](max_buffer_size=self._window - 1)
        self._slots, self._send = receive, send
        task_group.start_soon(self._produce, task_group, send)

    async def _produce(self, task_group: anyio.abc.TaskGroup, send: MemoryObjectSendStream[_Slot[M]]) -> None:
        async with send:
            while self._remaining():
                slot: _Slot[M] = _Slot()
                try:
                    await send.send(slot)  # blocks while the window is full
                except anyio.BrokenResourceError:  # the consumer is gone
                    return
                task_group.start_soon(slot.fill, self._fetch, self._next_number)
                self._next_number += 1

    async def _next_windowed(self) -> Page[M]:
        assert self._slots is not None
        try:
            slot = await self._slots.receive()
        except anyio.EndOfStream:
            if self._remaining() and self._task_group is not None:
                # A page fetched after the producer finished reported more pages: page on.
                self._slots.close()
                self._start_producer(self._task_group)
                return await self._next_windowed()
            self._finished = True
            raise StopAsyncIteration from None
        try:
            return await slot.result()
        except Exception:
            self._finished = True
            raise

    async def _next_batched(self) -> Page[M]:
        if not self._buffer:
            if not self._remaining():
                self._finished = True
                raise StopAsyncIteration
            assert self._page_count is not None
            last = min(self._page_count, self._next_number + self._window - 1)
            slots: builtins.list[_Slot[M]] = []
            async with anyio.create_task_group() as task_group:
                for number in range(self._next_number, last + 1):
                    slot: _Slot[M] = _Slot()
                    slots.append(slot)
                    task_group.start_soon(slot.fill, self._fetch, number)
            self._next_number = last + 1
            self._buffer.extend(slots)
        try:
            return await self._buffer.popleft().result()
        except Exception:
            self._finished = True
            self._buffer.clear()
            raise


class Items(Generic[M]):
    """Records of successive pages, one at a time."""

    def __init__(self, pages: Pages[M]) -> None:
        self._pages = pages
        self._current: deque[M] = deque()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> M:
        while not self._current:
            page = await self._pages.__anext__()
            self._current.extend(page.data)
        return self._current.popleft()


class Paginator(Generic[M]):
    """What ``cb.<resource>.list(...)`` returns.

    ``async for item in paginator`` (batched concurrency), ``async with paginator as items: async for ...``
    (sliding window, deterministic cleanup), ``paginator.pages()`` for Page objects, ``await
    paginator.collect()`` for a list.
    """

    def __init__(self, make_pages: Callable[[], Pages[M]]) -> None:
        self._make_pages = make_pages
        self._entered: Pages[M] | None = None

    def pages(self) -> Pages[M]:
        """A fresh page iterator (it is also an async context manager for the sliding window)."""
        return self._make_pages()

    async def collect(self) -> builtins.list[M]:
        """Every record, in order. Holds the whole result in memory: prefer iteration for large sets."""
        out: builtins.list[M] = []
        async with self.pages() as pages:
            async for page in pages:
                out.extend(page.data)
        return out

    async def __aenter__(self) -> Items[M]:
        if self._entered is not None:
            raise RuntimeError("already entered")
        self._entered = self._make_pages()
        await self._entered.__aenter__()
        return Items(self._entered)

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool | None:
        pages, self._entered = self._entered, None
        if pages is None:
            return None
        return await pages.__aexit__(exc_type, exc, tb)

    def __aiter__(self) -> Items[M]:
        return Items(self._make_pages())
