"""Pagination against respx: order, bounded concurrency, cancellation on early exit, links.next fallback."""

from __future__ import annotations

import math
from typing import Any

import anyio
import httpx
import pytest
import respx

from casebook_async import Casebook, F, InsecureURLError, NotFoundError, PaginationError
from casebook_async.paging import PageTemplate, resize

from .conftest import BASE, jsonapi, person

pytestmark = pytest.mark.anyio


class Collection:
    """A fake /people/people with `total` records that tracks concurrency and cancellations."""

    def __init__(
        self,
        total: int,
        *,
        meta: bool = True,
        fail_page: int | None = None,
        block_from: int | None = None,
        hold_page: int | None = None,
    ) -> None:
        self.block_from = block_from  # pages from here on never answer (until cancelled)
        self.hold_page = hold_page  # this page answers only once `release` is set
        self.release = anyio.Event()
        self._grew = anyio.Event()
        self.total = total
        self.meta = meta
        self.fail_page = fail_page
        self.started: list[int] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.cancelled = 0

    async def wait_started(self, count: int) -> None:
        while len(self.started) < count:
            await self._grew.wait()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        number = int(request.url.params.get("page", "1"))
        size = int(request.url.params.get("page[size]", "10"))
        self.started.append(number)
        self._grew.set()
        self._grew = anyio.Event()
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            # Later pages answer sooner, so completion order differs from page order.
            await anyio.sleep(0.002 * (1 + (7 - number % 8)))
            if self.block_from is not None and number >= self.block_from:
                await anyio.Event().wait()
            if number == self.hold_page:
                await self.release.wait()
        except anyio.get_cancelled_exc_class():
            self.cancelled += 1
            raise
        finally:
            self.in_flight -= 1
        if number == self.fail_page:
            return httpx.Response(404, json={"errors": [{"detail": f"page {number} gone"}]})
        first = (number - 1) * size
        data = [person(str(i)) for i in range(first, min(first + size, self.total))]
        pages = math.ceil(self.total / size)
        body: dict[str, Any] = {"data": data}
        if self.meta:
            body["meta"] = {
                "record_count": self.total,
                "page_count": pages,
                "page_number": number,
                "page_size": size,
            }
        else:
            nxt = f"{BASE}/people/people?page={number + 1}&page[size]={size}" if number < pages else None
            body["links"] = {"next": nxt}
        return jsonapi(body)


async def test_async_with_yields_every_record_once_in_order(router: respx.MockRouter, cb: Casebook) -> None:
    coll = Collection(250)
    router.get("/people/people").mock(side_effect=coll)
    async with cb.people.list(page_size=10, concurrency=4) as people:
        ids = [p.id async for p in people]
    assert ids == [str(i) for i in range(250)]
    assert sorted(coll.started) == list(range(1, 26))
    assert 1 < coll.max_in_flight <= 4


async def test_plain_async_for_is_concurrent_and_ordered(router: respx.MockRouter, cb: Casebook) -> None:
    coll = Collection(95)
    router.get("/people/people").mock(side_effect=coll)
    ids = [p.id async for p in cb.people.list(page_size=10, concurrency=3)]
    assert ids == [str(i) for i in range(95)]
    assert 1 < coll.max_in_flight <= 3


async def test_collect_and_pages_expose_meta(router: respx.MockRouter, cb: Casebook) -> None:
    router.get("/people/people").mock(side_effect=Collection(30))
    assert [p.id for p in await cb.people.list(page_size=10).collect()] == [str(i) for i in range(30)]
    pages = [page async for page in cb.people.list(page_size=10).pages()]
    assert [p.number for p in pages] == [1, 2, 3]
    assert {(p.page_count, p.record_count) for p in pages} == {(3, 30)}


async def test_early_break_in_async_with_cancels_outstanding_fetches(
    router: respx.MockRouter, cb: Casebook
) -> None:
    coll = Collection(1000)
    router.get("/people/people").mock(side_effect=coll)
    async with cb.people.list(page_size=10, concurrency=4) as people:
        async for p in people:
            if p.id == "15":  # second page
                break
    started = len(coll.started)
    assert started <= 2 + 2 * 4  # pages consumed + twice the window held, never the 100 pages
    await anyio.sleep(0.05)
    assert len(coll.started) == started  # nothing starts after the block exits
    assert coll.in_flight == 0


async def test_a_slow_page_does_not_hold_back_the_rest_of_the_window(
    router: respx.MockRouter, cb: Casebook
) -> None:
    # While the consumer waits for page 2, workers whose pages are in go on to the next ones: at most
    # `window` in flight, at most twice that held, so one slow answer no longer idles the whole window.
    coll = Collection(1000, hold_page=2)
    router.get("/people/people").mock(side_effect=coll)
    ids: list[str] = []
    async with cb.people.list(page_size=10, concurrency=4) as people, anyio.create_task_group() as tg:

        async def consume() -> None:
            ids.extend([p.id async for p in people])

        tg.start_soon(consume)
        with anyio.fail_after(5):
            await coll.wait_started(1 + 2 * 4)  # page 1, then pages 2..9 held
        await anyio.sleep(0.05)  # long enough for pages 3..9 to answer
        assert sorted(coll.started) == list(range(1, 10))  # no more than twice the window held
        assert coll.max_in_flight <= 4
        coll.release.set()
    assert ids == [str(i) for i in range(1000)]
    assert coll.max_in_flight <= 4


async def test_early_break_in_plain_async_for_leaves_nothing_running(
    router: respx.MockRouter, cb: Casebook
) -> None:
    coll = Collection(1000)
    router.get("/people/people").mock(side_effect=coll)
    async for p in cb.people.list(page_size=10, concurrency=4):
        if p.id == "3":
            break
    assert coll.in_flight == 0
    assert len(coll.started) == 1


async def test_cancelling_the_consumer_cancels_fetches(router: respx.MockRouter, cb: Casebook) -> None:
    coll = Collection(10_000, block_from=4)
    router.get("/people/people").mock(side_effect=coll)
    seen = 0
    with anyio.CancelScope() as scope:
        async with cb.people.list(page_size=10, concurrency=5) as people:
            async for _ in people:
                seen += 1
                if seen == 25:
                    scope.cancel()
    assert scope.cancelled_caught
    assert coll.in_flight == 0
    assert coll.cancelled == len(coll.started) - 3  # every outstanding fetch was cancelled, none awaited
    assert 4 <= len(coll.started) <= 3 + 5


async def test_page_errors_surface_in_order(router: respx.MockRouter, cb: Casebook) -> None:
    router.get("/people/people").mock(side_effect=Collection(100, fail_page=4))
    ids: list[str] = []

    async def consume() -> None:
        async with cb.people.list(page_size=10, concurrency=4) as people:
            async for p in people:
                ids.append(p.id)

    with pytest.raises(NotFoundError, match="page 4 gone"):
        await consume()
    assert ids == [str(i) for i in range(30)]


async def test_follows_links_next_without_totals(router: respx.MockRouter, cb: Casebook) -> None:
    coll = Collection(35, meta=False)
    router.get("/people/people").mock(side_effect=coll)
    async with cb.people.list(page_size=10) as people:
        ids = [p.id async for p in people]
    assert ids == [str(i) for i in range(35)]
    assert coll.started == [1, 2, 3, 4]
    assert coll.max_in_flight == 1


async def test_links_next_to_another_host_is_refused(router: respx.MockRouter, cb: Casebook) -> None:
    router.get("/people/people").mock(
        return_value=jsonapi({"data": [person("1")], "links": {"next": "https://evil.example/people?page=2"}})
    )
    evil = router.get("https://evil.example/people")
    with pytest.raises(InsecureURLError, match="not the configured base URL"):
        await cb.people.list().collect()
    assert evil.call_count == 0


async def test_relative_and_equivalent_links_next_are_followed(
    router: respx.MockRouter, cb: Casebook
) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params.get("page", "1"))
        nxt = {1: "/people/people?page=2", 2: "HTTPS://API.Casebook.net:443/people/people?page=3"}.get(number)
        return jsonapi({"data": [person(str(number))], "links": {"next": nxt}})

    route = router.get("/people/people").mock(side_effect=page)
    assert [p.id for p in await cb.people.list().collect()] == ["1", "2", "3"]
    assert route.call_count == 3


@pytest.mark.parametrize("relative", ["?page={n}", "people?page={n}", "./people?page={n}"])
async def test_relative_links_next_resolve_against_the_page_they_came_from(
    router: respx.MockRouter, cb: Casebook, relative: str
) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params.get("page", "1"))
        nxt = relative.format(n=number + 1) if number < 3 else None
        return jsonapi({"data": [person(str(number))], "links": {"next": nxt}})

    route = router.get("/people/people").mock(side_effect=page)
    assert [p.id for p in await cb.people.list().collect()] == ["1", "2", "3"]
    assert [c.request.url.path for c in route.calls] == ["/people/people"] * 3


async def test_a_links_next_that_is_not_a_url_is_a_pagination_error(
    router: respx.MockRouter, cb: Casebook
) -> None:
    router.get("/people/people").mock(
        return_value=jsonapi({"data": [person("1")], "links": {"next": f"{BASE}/people/people?page=\x01"}})
    )
    with pytest.raises(PaginationError, match="not a valid URL"):
        await cb.people.list().collect()


async def test_links_next_repeating_a_fetched_url_is_a_pagination_error(
    router: respx.MockRouter, cb: Casebook
) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params.get("page", "1"))
        nxt = f"{BASE}/people/people?page={2 if number == 1 else 3 if number == 2 else 2}"
        return jsonapi({"data": [person(str(number))], "links": {"next": nxt}})

    route = router.get("/people/people").mock(side_effect=page)
    with pytest.raises(PaginationError, match="repeats"):
        await cb.people.list().collect()
    assert route.call_count == 3


async def test_empty_collection(router: respx.MockRouter, cb: Casebook) -> None:
    router.get("/people/people").mock(side_effect=Collection(0))
    assert await cb.people.list().collect() == []
    assert [p async for p in cb.people.list()] == []


async def test_filter_given_as_generator_applies_to_every_page(
    router: respx.MockRouter, cb: Casebook
) -> None:
    route = router.get("/people/people").mock(side_effect=Collection(25))
    conditions = (c for c in [F("last_name").like("Doe")])
    assert len(await cb.people.list(filter=conditions, page_size=10).collect()) == 25
    queries = [call.request.url.query.decode() for call in route.calls]
    # Page 1 without a number (the server's default page); no links, so pages 2-3 by the documented `page`.
    assert queries[0] == "filter[last_name][like]=Doe&page[size]=10"
    assert sorted(queries[1:]) == [f"filter[last_name][like]=Doe&page={n}&page[size]=10" for n in (2, 3)]


async def test_body_exception_survives_a_pending_outer_cancel(router: respx.MockRouter, cb: Casebook) -> None:
    router.get("/people/people").mock(side_effect=Collection(100, block_from=3))

    async def consume() -> None:
        with anyio.CancelScope() as outer:
            async with cb.people.list(page_size=10) as people:
                async for _ in people:
                    outer.cancel()
                    raise ValueError("user bug")

    with pytest.raises(ValueError, match="user bug"):
        await consume()


@pytest.mark.parametrize("entered", [True, False], ids=["sliding-window", "batched"])
async def test_records_appended_during_the_listing_are_not_silently_dropped(
    router: respx.MockRouter, cb: Casebook, entered: bool
) -> None:
    coll = Collection(30)

    async def growing(request: httpx.Request) -> httpx.Response:
        if int(request.url.params.get("page", "1")) == 3:
            coll.total = 45  # appended while pages 1-3 were being fetched
        return await coll(request)

    router.get("/people/people").mock(side_effect=growing)
    if entered:
        async with cb.people.list(page_size=10, concurrency=3) as people:
            ids = [p.id async for p in people]
    else:
        ids = [p.id async for p in cb.people.list(page_size=10, concurrency=3)]
    assert ids == [str(i) for i in range(45)]
    assert sorted(coll.started) == [1, 2, 3, 4, 5]


async def test_a_malformed_links_next_is_a_pagination_error_even_with_totals(
    router: respx.MockRouter, cb: Casebook
) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params.get("page", "1"))
        meta = {"record_count": 2, "page_count": 2, "page_number": number, "page_size": 1}
        links = {"next": "http://[::1/people?page=2"}  # urljoin cannot even parse it
        return jsonapi({"data": [person(str(number))], "meta": meta, "links": links})

    router.get("/people/people").mock(side_effect=page)
    with pytest.raises(PaginationError, match="not a valid URL"):
        await cb.people.list(page_size=1).collect()


class StockServer:
    """A JSON:API server as stock stacks build one: pages by page[number] (a plain `page` is ignored), says
    so only in its links (as strings or JSON:API 1.1 link objects), totals optional."""

    def __init__(self, total: int, *, objects: bool = False, totals: bool = True) -> None:
        self.total, self.objects, self.totals = total, objects, totals

    def __call__(self, request: httpx.Request) -> httpx.Response:
        number = int(request.url.params.get("page[number]", "1"))
        size = int(request.url.params.get("page[size]", "10"))
        pages = max(math.ceil(self.total / size), 1)

        def link(n: int | None) -> Any:
            url = None if n is None else f"{BASE}/people/people?page%5Bnumber%5D={n}&page%5Bsize%5D={size}"
            return {"href": url} if self.objects and url else url

        first = (number - 1) * size
        body: dict[str, Any] = {
            "data": [person(str(i)) for i in range(first, min(first + size, self.total))],
            "links": {
                "self": link(number),
                "first": link(1),
                "prev": link(number - 1 if number > 1 else None),
                "next": link(number + 1 if number < pages else None),
                "last": link(pages) if self.totals else None,
            },
        }
        if self.totals:
            body["meta"] = {"record_count": self.total, "page_count": pages}
        return jsonapi(body)


@pytest.mark.parametrize("objects", [False, True], ids=["link-strings", "link-objects"])
@pytest.mark.parametrize("totals", [True, False], ids=["totals", "no-totals"])
async def test_a_stock_server_paging_by_page_number_is_listed_whole(
    router: respx.MockRouter, cb: Casebook, objects: bool, totals: bool
) -> None:
    route = router.get("/people/people").mock(side_effect=StockServer(620, objects=objects, totals=totals))
    ids = [p.id async for p in cb.people.list(page_size=100)]
    assert ids == [str(i) for i in range(620)]
    queries = sorted(call.request.url.query.decode() for call in route.calls)
    # Page 1 as asked, pages 2-7 exactly as the server's own links spell them.
    assert queries == ["page%5Bnumber%5D=" + f"{n}&page%5Bsize%5D=100" for n in range(2, 8)] + [
        "page[size]=100"
    ]


async def test_page_n_of_a_stock_server_is_page_n(router: respx.MockRouter, cb: Casebook) -> None:
    route = router.get("/people/people").mock(side_effect=StockServer(620))
    page = await cb.people.page(3, page_size=100)
    assert page.ids == [str(i) for i in range(200, 300)]
    again = await cb.people.page(7, page_size=100)  # the query's template is remembered: no second page 1
    assert again.ids == [str(i) for i in range(600, 620)]
    assert [c.request.url.query.decode() for c in route.calls] == [
        "page[size]=100",
        "page%5Bnumber%5D=3&page%5Bsize%5D=100",
        "page%5Bnumber%5D=7&page%5Bsize%5D=100",
    ]


async def test_page_1_read_first_teaches_page_n_so_page_1_is_not_fetched_again(
    router: respx.MockRouter, cb: Casebook
) -> None:
    # The usual pattern (page 1 for the count, then the rest at once) sends each page once.
    route = router.get("/people/people").mock(side_effect=StockServer(620))
    first = await cb.people.page(1, page_size=100)
    pages = {}

    async def page(number: int) -> None:
        pages[number] = (await cb.people.page(number, page_size=100)).ids

    async with anyio.create_task_group() as tg:
        for number in range(2, 5):
            tg.start_soon(page, number)
    queries = sorted(c.request.url.query.decode() for c in route.calls)
    assert first.ids == [str(i) for i in range(100)]
    assert pages[4] == [str(i) for i in range(300, 400)]
    assert queries == [f"page%5Bnumber%5D={n}&page%5Bsize%5D=100" for n in range(2, 5)] + ["page[size]=100"]
    await cb.people.page(2, page_size=100, sort=["id"])  # another query: its own page 1 first
    assert route.calls[-2].request.url.query.decode() == "sort=id&page[size]=100"


async def test_a_page_the_server_labels_as_another_is_refused(router: respx.MockRouter, cb: Casebook) -> None:
    server = StockServer(620)

    def lying(request: httpx.Request) -> httpx.Response:  # page 4 is served when page 5 is asked for
        if request.url.params.get("page[number]") == "5":
            request = httpx.Request(
                "GET", str(request.url).replace("page%5Bnumber%5D=5", "page%5Bnumber%5D=4")
            )
        return server(request)

    router.get("/people/people").mock(side_effect=lying)
    with pytest.raises(PaginationError, match=r"asked for page 5 \(page\[number\]=5\).*links.self names"):
        await cb.people.list(page_size=100).collect()
    with pytest.raises(PaginationError, match="asked for page 5"):
        await cb.people.page(5, page_size=100)


async def test_links_that_contradict_meta_are_refused(router: respx.MockRouter, cb: Casebook) -> None:
    body = {"data": [person("1")], "links": {"self": f"{BASE}/people/people", "next": None}}
    router.get("/people/people").mock(return_value=jsonapi({**body, "meta": {"page_count": 3}}))
    with pytest.raises(PaginationError, match=r"no links\.next, meta says 3 pages"):
        await cb.people.list().collect()


async def test_without_links_or_totals_pages_are_probed_until_a_short_one(
    router: respx.MockRouter, cb: Casebook
) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params.get("page", "1"))
        first = (number - 1) * 10
        return jsonapi({"data": [person(str(i)) for i in range(first, min(first + 10, 25))]})

    route = router.get("/people/people").mock(side_effect=page)
    assert [p.id for p in await cb.people.list(page_size=10).collect()] == [str(i) for i in range(25)]
    assert route.call_count == 3
    route.mock(return_value=jsonapi({"data": [person(str(i)) for i in range(10)]}))  # ignores `page`
    with pytest.raises(PaginationError, match="its records are page 1's"):
        await cb.people.list(page_size=10).collect()


def offsets(request: httpx.Request) -> httpx.Response:
    """An offset server reading page[limit], not the documented page[size] (it echoes what it ignores)."""
    limit = int(request.url.params.get("page[limit]", "10"))
    offset = int(request.url.params.get("page[offset]", "0"))
    ignored = request.url.params.get("page[size]")
    echo = f"&page[size]={ignored}" if ignored is not None else ""

    def link(at: int) -> str:
        return f"{BASE}/people/people?page[limit]={limit}&page[offset]={at}{echo}"

    return jsonapi(
        {
            "data": [person(str(i)) for i in range(offset, min(offset + limit, 250))],
            "links": {"next": link(offset + limit) if offset + limit < 250 else None, "last": link(200)},
        }
    )


async def test_a_server_paging_by_its_own_size_parameter_is_asked_again_in_its_words(
    router: respx.MockRouter, cb: Casebook
) -> None:
    route = router.get("/people/people").mock(side_effect=offsets)
    assert [p.id for p in await cb.people.list(page_size=100).collect()] == [str(i) for i in range(250)]
    assert [c.request.url.query.decode() for c in route.calls][:2] == ["page[size]=100", "page[limit]=100"]
    assert route.call_count == 4  # page 1 twice (asked again by page[limit]), then offsets 100 and 200
    assert (await cb.people.page(2, page_size=100)).ids == [str(i) for i in range(100, 200)]
    await cb.people.page(1, page_size=50)  # another query: the learned size parameter from the start
    assert [c.request.url.query.decode() for c in route.calls][4:] == [
        "page[limit]=100&page[offset]=100",  # the listing's template, remembered
        "page[limit]=50",
    ]


async def test_page_n_at_another_size_is_addressed_from_the_template_learned_at_one(
    router: respx.MockRouter, cb: Casebook
) -> None:
    # Page 1 read at 100, page 4 wanted at 30: the server's own URL with its size parameter changed.
    numbers = router.get("/people/people").mock(side_effect=StockServer(620))
    await cb.people.page(1, page_size=100)
    assert (await cb.people.page(4, page_size=30)).ids == [str(i) for i in range(90, 120)]
    assert [c.request.url.query.decode() for c in numbers.calls] == [
        "page[size]=100",
        "page%5Bnumber%5D=4&page%5Bsize%5D=30",
    ]
    # An offset server: the offset moves by the new page length.
    numbers.side_effect = offsets
    await cb.people.page(1, page_size=100, sort=["id"])  # learns page[limit]: asked twice
    assert (await cb.people.page(3, page_size=30, sort=["id"])).ids == [str(i) for i in range(60, 90)]
    assert [c.request.url.query.decode() for c in numbers.calls][2:] == [
        "sort=id&page[size]=100",
        "sort=id&page[limit]=100",
        "page[limit]=30&page[offset]=60",
    ]


async def test_one_off_first_pages_do_not_push_out_the_templates_learned(
    router: respx.MockRouter, cb: Casebook
) -> None:
    # A keyset scan reads page 1 of a new query each time and never page 2.
    route = router.get("/people/people").mock(side_effect=StockServer(620))
    await cb.people.page(2, page_size=100)  # learns this query's template (page 1, then page 2)
    for n in range(100):
        await cb.people.page(1, page_size=100, filter={"last_name": f"Doe{n}"})
    before = route.call_count
    await cb.people.page(3, page_size=100)
    assert route.call_count == before + 1  # page 3 alone


def test_a_template_is_resized_only_where_its_url_says_how() -> None:
    numbers = PageTemplate(f"{BASE}/people/people?page=2&page%5Bsize%5D=100", "page")
    assert resize(numbers, 100, 30) == PageTemplate(f"{BASE}/people/people?page=2&page%5Bsize%5D=30", "page")
    offsets = PageTemplate(f"{BASE}/p?page[offset]=100&page[limit]=100", "page[offset]", 0, 100)
    assert resize(offsets, 100, 40) == PageTemplate(
        f"{BASE}/p?page[offset]=100&page[limit]=40", "page[offset]", 0, 40
    )
    assert resize(numbers, 50, 30) is None  # not the size its URL carries
    assert resize(PageTemplate(f"{BASE}/p?page=2&page[size]=1", "page"), 1, 30) is None  # numbers or offsets?
    assert resize(PageTemplate(f"{BASE}/p?page=2&page[size]=10&page[limit]=10", "page"), 10, 30) is None
    assert resize(PageTemplate(f"{BASE}/p?page=2", "page"), 10, 30) is None  # no size in the URL


async def test_what_a_view_learns_of_the_page_size_parameter_its_client_knows_too(
    router: respx.MockRouter, cb: Casebook
) -> None:
    route = router.get("/people/people").mock(side_effect=offsets)
    await cb.with_options(timeout=5).people.page(1, page_size=20)  # learned here: asked twice
    await cb.people.page(1, page_size=30)
    await cb.people.with_raw_response.page(1, page_size=40)
    await cb.people.page(1, page_size=50)
    assert [c.request.url.query.decode() for c in route.calls] == [
        "page[size]=20",
        "page[limit]=20",
        "page[limit]=30",
        "page[limit]=40",
        "page[limit]=50",
    ]


@pytest.mark.parametrize("entered", [True, False], ids=["sliding-window", "batched"])
async def test_a_server_capping_the_default_page_size_is_not_truncated(
    router: respx.MockRouter, cb: Casebook, entered: bool
) -> None:
    """No links, no totals, and 40 records a page whatever is asked: the default size (the spec's largest)
    must not make a 40-record page look like the last one."""

    def capped(request: httpx.Request) -> httpx.Response:
        assert request.url.params["page[size]"] == "100"
        number = int(request.url.params.get("page", "1"))
        first = (number - 1) * 40
        return jsonapi({"data": [person(str(i)) for i in range(first, min(first + 40, 130))]})

    router.get("/people/people").mock(side_effect=capped)
    if entered:
        async with cb.people.list() as people:
            ids = [p.id async for p in people]
    else:
        ids = [p.id async for p in cb.people.list()]
    assert ids == [str(i) for i in range(130)]
