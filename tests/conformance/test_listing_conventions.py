"""Listings against every legal JSON:API variation the sandbox emulates (casebook_async.sandbox.PRESETS).

Each preset is a server a user may meet: Casebook as documented, JSONAPI::Resources on Rails (page[number],
a plain `page` refused), Django REST framework JSON:API (page[number], a plain `page` silently ignored, no
self link, totals under `pagination`), offsets, opaque cursors, JSON:API 1.1 link objects, no links at all.
Whatever the server, a listing yields every record exactly once and in order, `page(n)` is page n, and a
server the client cannot page correctly is a PaginationError, never a silent truncation or repeat.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest

from casebook_async import BadRequestError, Casebook, PaginationError
from casebook_async.bulk import export_all, export_changed
from casebook_async.sandbox import PRESETS, Conventions, Faults, Sandbox
from casebook_async.sandbox.conventions import LinkStyle, Paging

from ..inflight import InFlight

pytestmark = pytest.mark.anyio

PEOPLE = 137  # 14 pages of 10: the last one short
PAGE = 10
PAGED = sorted(set(PRESETS) - {"no-links-number-only"})  # presets the client must page without help
# Presets whose links or totals let the client number pages itself, so it fetches them concurrently.
CONCURRENT = {"casebook", "link-objects", "jsonapi-resources", "drf", "offset", "no-links"}


async def sandbox(preset: str) -> Sandbox:
    sb = Sandbox(seed=3, s3=False, conventions=preset, faults=Faults(latency=0.002))
    sb.seed_data(people=PEOPLE, providers=0, cases=0, notes=0, users=0, units_of_work=0)
    return sb


@pytest.fixture(params=PAGED)
async def preset(request: pytest.FixtureRequest) -> AsyncIterator[tuple[str, Sandbox]]:
    sb = await sandbox(request.param)
    async with sb:
        yield request.param, sb


def client(sb: Sandbox, **kwargs: Any) -> Casebook:
    return Casebook(base_url=sb.base_url, transport=sb.transport, token=sb.issue_token(), **kwargs)


def expected_ids(sb: Sandbox) -> list[str]:
    return [r["id"] for r in sb.inspect.records("people")]


@pytest.mark.parametrize("mode", ["sliding-window", "batched", "collect"])
async def test_every_record_once_in_order(preset: tuple[str, Sandbox], mode: str) -> None:
    name, sb = preset
    flight = InFlight()
    async with client(sb, event_hooks=flight.hooks()) as cb:
        listing = cb.people.list(page_size=PAGE, concurrency=4)
        if mode == "sliding-window":
            async with listing as people:
                ids = [p.id async for p in people]
        elif mode == "batched":
            ids = [p.id async for p in listing]
        else:
            ids = [p.id for p in await listing.collect()]
    assert ids == expected_ids(sb)
    assert flight.responses == -(-PEOPLE // PAGE)  # one request a page: none repeated, none extra
    assert flight.retries == []
    if name in CONCURRENT:
        assert 1 < flight.most <= 4
    else:  # a cursor: only the server can make the next URL
        assert flight.most == 1


async def test_page_n_is_page_n(preset: tuple[str, Sandbox]) -> None:
    _, sb = preset
    expected = expected_ids(sb)
    async with client(sb) as cb:
        for number in (3, 1, 14, 2):
            page = await cb.people.page(number, page_size=PAGE)
            assert page.ids == expected[(number - 1) * PAGE : number * PAGE], number
            assert page.number == number


async def test_filters_and_sort_survive_the_servers_links(preset: tuple[str, Sandbox]) -> None:
    _, sb = preset
    people = sb.inspect.records("people")
    last_names = sorted({p["attributes"]["last_name"] for p in people})[:3]
    wanted = [p for p in people if p["attributes"]["last_name"] in last_names[:1]]
    expected = sorted(wanted, key=lambda p: (p["attributes"]["first_name"], p["id"]), reverse=True)
    async with client(sb) as cb:
        found = await cb.people.list(
            filter={"last_name": last_names[0]}, sort=["-first_name", "-id"], page_size=2
        ).collect()
    assert [p.id for p in found] == [p["id"] for p in expected]
    assert len(found) > 2  # more than one page


async def test_a_listing_that_grows_while_paged_is_followed(preset: tuple[str, Sandbox]) -> None:
    _, sb = preset
    async with client(sb) as cb:
        ids: list[str] = []
        async with cb.people.list(page_size=PAGE, concurrency=2) as people:
            async for person in people:
                ids.append(person.id)
                if len(ids) == 5:  # on page 1: records appended at the end of the collection
                    sb.seed_data(people=30, providers=0, cases=0, notes=0, users=0, units_of_work=0)
    assert ids == expected_ids(sb)


async def test_the_bulk_exports_read_every_record_once(preset: tuple[str, Sandbox]) -> None:
    # The keyset scans under export_all and export_changed page through the same page() as a listing.
    _, sb = preset
    async with client(sb) as cb:
        exported: list[str] = []
        async with export_all(cb.people, concurrency=4, page_size=PAGE) as export:
            async for records in export:
                exported += [r.id for r in records]
        sent = [f"{r.path}?{r.query}" for r in sb.inspect.requests if r.method == "GET"]
        changed = await export_changed(cb.people, page_size=PAGE).collect()
    assert sorted(exported) == sorted(expected_ids(sb))
    # Planned without walking a cursor to far pages, and without reading a page twice (page 1 is not
    # asked again before each partition's first page, links or none).
    assert len(sent) == len(set(sent)) <= 2 + -(-PEOPLE // (PAGE - 1)) + len(export.partitions)
    assert sorted(r.id for r in changed.records) == sorted(expected_ids(sb))


@pytest.mark.parametrize("paging", ["page", "offset", "cursor"])
async def test_a_server_capping_the_page_size_silently_is_read_whole(paging: Paging) -> None:
    # Asked for 20 a page, it answers 7 (Django REST framework's max_page_size): a page shorter than
    # asked is not the end while the server's links or count say there is more.
    conventions = Conventions(
        paging=paging, page_size_cap=7, meta="none" if paging == "cursor" else "casebook"
    )
    sb = Sandbox(seed=6, s3=False, conventions=conventions)
    sb.seed_data(people=PEOPLE, providers=0, cases=0, notes=0, users=0, units_of_work=0)
    async with sb, client(sb) as cb:
        listed = [p.id for p in await cb.people.list(page_size=20).collect()]
        async with export_all(cb.people, concurrency=4, page_size=20) as export:
            exported = [r.id async for records in export for r in records]
        changed = await export_changed(cb.people, page_size=20).collect()
    assert listed == expected_ids(sb)
    assert sorted(exported) == sorted(expected_ids(sb))
    assert sorted(r.id for r in changed.records) == sorted(expected_ids(sb))


def capping(paging: Paging = "page", links: LinkStyle = "strings", seed: int = 7) -> Sandbox:
    conventions = Conventions(paging=paging, links=links, page_size_cap=7)
    return Sandbox(seed=seed, s3=False, conventions=conventions)


async def test_a_capping_server_without_links_is_exported_whole() -> None:
    # Page numbers times the size asked overstate where a capped page sits: the count alone must not
    # end a partition at its first page (84 of 287 records were lost so).
    sb = capping(links="none")
    sb.seed_data(people=287, providers=0, cases=0, notes=0, users=0, units_of_work=0)
    async with sb, client(sb) as cb, export_all(cb.people, concurrency=8, page_size=10) as export:
        exported = [r.id async for records in export for r in records]
    assert sorted(exported) == sorted(expected_ids(sb))


@pytest.mark.parametrize("paging", ["page", "offset"])
async def test_a_group_sharing_one_timestamp_is_read_whole_from_a_capping_server(paging: Paging) -> None:
    # Seven records of one millisecond fill a capped page: the group is paged by number, and is over when
    # the server says so, not after as many pages as the size asked for would need.
    sb = capping(paging)
    sb.seed_data(people=60, providers=0, cases=0, notes=0, users=0, units_of_work=0)
    at = datetime(2024, 5, 1, 12, tzinfo=UTC)
    group = [
        sb.records.create(sb.resources["people"], {"first_name": "G", "last_name": str(i)}, at=at).id
        for i in range(30)
    ]
    async with sb, client(sb) as cb:
        async with export_all(cb.people, concurrency=3, page_size=20) as export:
            exported = [r.id async for records in export for r in records]
        changed = await export_changed(cb.people, page_size=20, field_name="created_at").collect()
    assert sorted(exported) == sorted(expected_ids(sb))
    assert sorted(r.id for r in changed.records) == sorted(expected_ids(sb))
    assert set(group) <= set(exported)


async def test_partitions_are_even_on_a_capping_server() -> None:
    # Pages are numbered by the size the server serves, so partitions come out about equal.
    sb = capping()
    sb.seed_data(people=600, providers=0, cases=0, notes=0, users=0, units_of_work=0)
    async with sb, client(sb) as cb:
        async with export_all(cb.people, concurrency=4, page_size=20) as export:
            exported = [r.id async for records in export for r in records]
        stamps = [r.attributes.created_at for r in await cb.people.list().collect()]
    assert sorted(exported) == sorted(expected_ids(sb))
    sizes = [
        sum(
            (part.lower < t if part.lower_open else part.lower <= t)
            and (t <= part.upper if part.closed else t < part.upper)
            for t in stamps
        )
        for part in export.partitions
    ]
    assert len(sizes) == 4
    assert max(sizes) <= 1.5 * min(sizes), sizes


async def test_a_server_that_ignores_the_page_number_is_an_error_not_repeated_pages() -> None:
    # No links, totals in meta, and the documented `page=N` silently ignored: every page would be page 1.
    async with await sandbox("no-links-number-only") as sb, client(sb) as cb:
        with pytest.raises(PaginationError, match=r"asked for page 2 .*meta says it is page 1"):
            await cb.people.list(page_size=PAGE).collect()
        with pytest.raises(PaginationError, match="asked for page 3"):
            await cb.people.page(3, page_size=PAGE)
        # Told how this server numbers its pages, the client pages it correctly.
        async with client(sb, page_parameter="page[number]") as told:
            ids = [p.id for p in await told.people.list(page_size=PAGE).collect()]
            assert ids == expected_ids(sb)
            assert (await told.people.page(14, page_size=PAGE)).ids == expected_ids(sb)[130:]


async def test_the_documented_page_beside_page_size_is_never_sent_to_a_nested_parser() -> None:
    # Rack cannot hold `page=3` beside `page[size]=10`: JSONAPI::Resources answers 400.
    async with await sandbox("jsonapi-resources") as sb, client(sb) as cb:
        await cb.people.list(page_size=PAGE).collect()
        await cb.people.page(5, page_size=PAGE)
        queries = [r.query for r in sb.inspect.requests if r.path == "/people/people"]
        assert not any(q.startswith("page=") or "&page=" in q for q in queries)
        assert all(r.status == 200 for r in sb.inspect.requests)
        with pytest.raises(BadRequestError) as caught:  # what the old client sent
            await cb.http.request_json("GET", "/people/people?page=3&page[size]=10")
        assert caught.value.errors[0].parameter == "page"


async def test_page_beyond_a_single_page_listing_is_empty() -> None:
    async with await sandbox("drf") as sb, client(sb) as cb:
        page = await cb.people.page(2, page_size=100, filter={"last_name": "nobody"})
        assert page.data == []
        assert page.number == 2
