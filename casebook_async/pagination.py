"""Auto-pagination with concurrent page fetching, in order, in bounded memory.

Page 1 is fetched first, without a page number. What happens next is decided by the server's answer
(see ``casebook_async.paging`` for the rules):

* its links show a page-number or offset parameter and it says how many pages there are: pages 2..N are
  made from its own ``links.next`` and fetched with at most ``window`` pages in flight (and twice that
  in flight or buffered), each checked against what the server says it is; records are yielded in page order;
* its links show no such parameter (a cursor) or no total: ``links.next`` is followed one page at a time
  (same origin only, so the token never leaves);
* it sends no pagination links at all: pages are numbered with the client's ``page_parameter`` (``page``,
  as documented), concurrently when meta gives a total, else one at a time until a short page.

A page that is not what it was asked to be, a ``links.next`` that repeats, or links that contradict meta
stop the listing with PaginationError: a listing never silently loses or repeats pages.

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

A listing is not a snapshot: pages are offsets into a live collection. If a later page reports more pages
(records were added), the new pages are fetched too; records inserted before or deleted behind the current
position can still shift others across page boundaries (seen twice, or missed). For change capture use
``casebook_async.bulk.export_changed``, which pages by timestamp instead.
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
from .paging import PageTemplate, check_page, current_page, derive_template, page_count

Fetch = Callable[[str, int], Awaitable[Page[M]]]  # (url, its place in the listing) -> the parsed page


class _Slot(Generic[M]):
    """Result of one page fetch, filled by a task and awaited by the consumer."""

    def __init__(self) -> None:
        self.done = anyio.Event()
        self.page: Page[M] | None = None
        self.error: BaseException | None = None

    async def fill(self, fetch: Callable[[int], Awaitable[Page[M]]], number: int) -> None:
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
    ``first`` fetches page 1; ``page_parameter`` numbers the pages of a server that sends no pagination
    links; ``page_size`` is what page 1 asked for (a page that short ends such a listing); ``learned`` hears
    the template page 1 gave.
    """

    def __init__(
        self,
        fetch: Fetch[M],
        first: Callable[[], Awaitable[Page[M]]],
        page_parameter: str,
        window: int,
        *,
        page_size: int | None = None,
        learned: Callable[[PageTemplate], None] | None = None,
    ) -> None:
        if window < 1:
            raise ValueError("window must be >= 1")
        self._fetch_url = fetch
        self._first = first
        self._page_parameter = page_parameter
        self._window = window
        self._page_size = page_size
        self._learned = learned
        self._started = False
        self._template: PageTemplate | None = None  # None: follow links.next
        self._page_count: int | None = None  # None with a template: one page at a time until a short one
        self._next_number = 2
        self._first_ids: list[str] = []
        self._previous_ids: list[str] = []
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

    async def __anext__(self) -> Page[M]:
        if not self._started:
            self._started = True
            self.pages_requested += 1
            first = await self._first()
            try:
                self._plan(first)
            except PaginationError:
                self._finished = True
                raise
            if self._task_group is not None and self._remaining():
                self._start_producer(self._task_group)
            return first
        if self._finished:
            raise StopAsyncIteration
        try:
            if self._template is None:
                return await self._follow_next()
            if self._page_count is None:
                return await self._probe_next()
        except BaseException:
            self._finished = True
            raise
        if self._slots is not None:
            return await self._next_windowed()
        return await self._next_batched()

    def _plan(self, first: Page[M]) -> None:
        """Decide from page 1's answer how to reach the other pages."""
        self._first_ids = self._previous_ids = first.ids
        current = current_page(first.meta)
        if current is not None and current != 1:
            raise PaginationError(f"asked for the first page, the server's meta says it is page {current}")
        links, pages = first.links, first.page_count
        if links.paginated:
            if links.next is None:
                if pages is not None and pages > 1:
                    raise PaginationError(
                        f"the server contradicts itself: page 1 has no links.next, meta says {pages} pages"
                    )
                self._finished = True
                return
            template = derive_template(first.url or "", links, len(first.data))
            count = None if template is None else page_count(template, links, first.meta, len(first.data))
            if template is None or count is None:
                self._next_url = links.next  # a cursor, or no total: the server's own next, one by one
                return
            if count < 2:
                raise PaginationError(
                    f"the server contradicts itself: page 1 has a links.next, its totals say {count} page(s)"
                )
            if self._learned is not None:
                self._learned(template)
            self._template, self._page_count = template, count
            return
        if not first.data:
            self._finished = True
            return
        # No pagination links: number the pages ourselves and check every answer.
        self._template = PageTemplate(first.url or "", self._page_parameter)
        self._page_count = page_count(self._template, links, first.meta, len(first.data))
        short = self._page_size is not None and len(first.data) < self._page_size
        if self._page_count is None and short:
            self._finished = True

    def _remaining(self) -> bool:
        return self._page_count is not None and self._next_number <= self._page_count

    async def _numbered(self, number: int) -> Page[M]:
        """Page ``number`` made from the template, checked, and its news of a grown listing taken in."""
        template = self._template
        assert template is not None
        self.pages_requested += 1
        page = await self._fetch_url(template.url_for(number), number)
        check_page(template, number, page.links, page.meta, page.ids, self._first_ids)
        if self._page_count is not None:
            said = [page.page_count, template.number_of(page.links.last), template.number_of(page.links.next)]
            grown = max((n for n in said if n is not None), default=0)
            if grown > self._page_count:
                self._page_count = grown  # records were added while we paged: fetch the new pages too
        return page

    async def _probe_next(self) -> Page[M]:
        """No links and no totals: the next numbered page, until an empty or short one."""
        number = self._next_number
        self._next_number += 1
        page = await self._numbered(number)
        if page.data and page.ids == self._previous_ids:
            raise PaginationError(
                f"page {number} repeats page {number - 1}: the server ignores the page number"
            )
        self._previous_ids = page.ids
        if not page.data:
            self._finished = True
            raise StopAsyncIteration
        if len(page.data) < len(self._first_ids):
            self._finished = True
        return page

    async def _follow_next(self) -> Page[M]:
        if self._next_url is None:
            self._finished = True
            raise StopAsyncIteration
        if self._next_url in self._followed:
            raise PaginationError("links.next repeats an already fetched page")
        self._followed.add(self._next_url)
        try:
            httpx.URL(self._next_url)
        except httpx.InvalidURL:
            raise PaginationError("links.next is not a valid URL") from None
        self.pages_requested += 1
        number = self._next_number
        self._next_number += 1
        page = await self._fetch_url(self._next_url, number)
        if page.data and page.ids == self._previous_ids:
            raise PaginationError(f"links.next led to a repeat of page {number - 1}")
        self._previous_ids = page.ids
        self._next_url = page.next_url
        if not page.data and self._next_url is None:
            self._finished = True
            raise StopAsyncIteration
        return page

    def _start_producer(self, task_group: anyio.abc.TaskGroup) -> None:
        # `window` workers, so at most `window` pages in flight; at most `2 * window` held (in flight or
        # fetched, not yet consumed). The slack lets a worker start its next page as soon as its own answer
        # is in, instead of waiting for the consumer to reach the slowest page of the window (which made
        # every round as slow as its slowest page). A worker per window slot, not a task per page.
        held = 2 * self._window
        send, receive = anyio.create_memory_object_stream[_Slot[M]](max_buffer_size=held - 1)
        self._slots, self._send = receive, send
        jobs, queued = anyio.create_memory_object_stream[tuple[int, _Slot[M]]](max_buffer_size=held)
        task_group.start_soon(self._produce, send, jobs)
        with queued:
            for _ in range(self._window):
                task_group.start_soon(self._work, queued.clone())

    async def _produce(
        self, send: MemoryObjectSendStream[_Slot[M]], jobs: MemoryObjectSendStream[tuple[int, _Slot[M]]]
    ) -> None:
        async with send, jobs:
            while self._remaining():
                slot: _Slot[M] = _Slot()
                try:
                    await send.send(slot)  # blocks while the window is full
                except anyio.BrokenResourceError:  # the consumer is gone
                    return
                jobs.send_nowait((self._next_number, slot))  # never full: at most `held` slots exist
                self._next_number += 1

    async def _work(self, jobs: MemoryObjectReceiveStream[tuple[int, _Slot[M]]]) -> None:
        async with jobs:
            async for number, slot in jobs:
                await slot.fill(self._numbered, number)

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
                    task_group.start_soon(slot.fill, self._numbered, number)
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
