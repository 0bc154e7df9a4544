"""The facade against the in-process sandbox: pagination at scale, include, errors, auth expiry, faults."""

from __future__ import annotations

import gc
import weakref
from collections.abc import AsyncIterator

import pytest

from casebook_async import (
    Casebook,
    InvalidInputError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RetryPolicy,
    UnprocessableEntityError,
    documents,
)
from casebook_async.sandbox import Faults, Sandbox
from casebook_async.sandbox import spec as sb_spec
from casebook_openapi.models import Location, Person

from .conftest import FakeSleep

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def sb() -> AsyncIterator[Sandbox]:
    sandbox = Sandbox(seed=1, s3=False)
    async with sandbox:
        yield sandbox


def client(sb: Sandbox, **kwargs: object) -> Casebook:
    if "token" not in kwargs and "client_id" not in kwargs:
        app = sb.register_application()
        kwargs.update(client_id=app.client_id, client_secret=app.client_secret)
    return Casebook(base_url=sb.base_url, transport=sb.transport, **kwargs)  # type: ignore[arg-type]


async def test_ten_thousand_records_exactly_once_in_order(sb: Sandbox) -> None:
    sb.seed_data(people=10_000, providers=0, cases=0, notes=0, users=0, units_of_work=0)
    expected = [r["id"] for r in sb.inspect.records("people")]
    async with client(sb) as cb:
        async with cb.people.list(page_size=100, concurrency=8) as people:
            concurrent = [p.id async for p in people]
        plain = [p.id async for p in cb.people.list(page_size=100, concurrency=8)]
    assert len(expected) == 10_000
    assert concurrent == expected
    assert plain == expected
    page_requests = [r for r in sb.inspect.requests if r.path == "/people/people"]
    assert len(page_requests) == 2 * 100  # one request per page, no duplicates


async def test_listings_ask_for_the_largest_page_the_spec_allows(sb: Sandbox) -> None:
    sb.seed_data(people=1_234, providers=0, cases=0, notes=0, users=0, units_of_work=0)
    maximum = sb_spec.resources()["people"].page_size_max  # read from spec/ by the sandbox's own reader
    async with client(sb, token=sb.issue_token()) as cb:
        assert cb.people.spec.max_page_size == maximum == 100
        people = [p.id async for p in cb.people.list()]
        last = await cb.people.page(13)
    pages = [r for r in sb.inspect.requests if r.path == "/people/people"]
    assert len(people) == len(set(people)) == 1_234
    assert len(pages) == 13 + 1  # 13 for the listing; page(13) from what the listing's page 1 taught
    assert all(f"page[size]={maximum}" in r.query for r in pages)
    assert len(last.data) == 34


async def test_sorted_and_filtered_listing_matches_sequential(sb: Sandbox) -> None:
    sb.seed_data(people=500, providers=0, cases=0, notes=0, users=0, units_of_work=0)
    async with client(sb) as cb:
        kwargs = {"sort": ["last_name", "-created_at"], "filter": {"email": {"neq": None}}, "page_size": 7}
        concurrent = [p.id for p in await cb.people.list(concurrency=6, **kwargs).collect()]  # type: ignore[arg-type]
        sequential = [p.id for p in await cb.people.list(concurrency=1, **kwargs).collect()]  # type: ignore[arg-type]
    assert concurrent == sequential
    assert len(concurrent) == len(set(concurrent)) > 100


async def test_include_resolves_related_records(sb: Sandbox) -> None:
    sb.seed_data(people=20, providers=3, locations_per_provider=2, cases=5, notes=0, users=0, units_of_work=0)
    async with client(sb) as cb:
        page = await cb.cases.page(include=["primary_person"], page_size=5)
        assert page.data
        for case in page.data:
            person = page.related_one(case, "primary_person", as_=Person)
            expected = sb.inspect.record("cases", case.id)
            assert expected is not None
            assert person is not None
            assert person.id == expected["attributes"]["primary_person_id"]
            assert (
                person.attributes.last_name
                == sb.inspect.record("people", person.id)["attributes"]["last_name"]
            )  # type: ignore[index]

        provider_id = sb.inspect.records("providers")[0]["id"]
        doc = await cb.providers.retrieve(provider_id, include="locations")
        locations = doc.related("locations", as_=Location)
        expected_ids = {
            r["id"] for r in sb.inspect.records("locations") if r["attributes"]["provider_id"] == provider_id
        }
        assert {loc.id for loc in locations} == expected_ids
        assert all(isinstance(loc, Location) for loc in locations)


@pytest.mark.parametrize("how", ["async for", "async with", "collect", "pages", "get"])
async def test_records_resolve_their_relationships_however_they_were_reached(sb: Sandbox, how: str) -> None:
    sb.seed_data(people=30, providers=0, cases=12, notes=0, users=0, units_of_work=0)
    async with client(sb, token=sb.issue_token()) as cb:
        listing = cb.cases.list(include="primary_person", page_size=5)  # 3 pages
        if how == "async for":
            cases = [case async for case in listing]
        elif how == "async with":
            async with listing as items:
                cases = [case async for case in items]
        elif how == "collect":
            cases = await listing.collect()
        elif how == "pages":
            cases = [case async for page in listing.pages() for case in page.data]
        else:
            cases = [
                await cb.cases.get(r["id"], include="primary_person") for r in sb.inspect.records("cases")
            ]
        assert len(cases) == 12
        for case in cases:
            person = cb.cases.related_one(case, "primary_person", as_=Person)
            assert person is not None
            assert person.id == sb.inspect.record("cases", case.id)["attributes"]["primary_person_id"]  # type: ignore[index]
            assert cb.cases.related(case, "primary_person")[0].id == person.id
            assert cb.cases.related(case, "goals") == []  # not included
        plain = await cb.cases.get(cases[0].id)  # without include=: nothing side-loaded to resolve
        assert cb.cases.related_one(plain, "primary_person") is None
        with pytest.raises(InvalidInputError, match=r"no relationship 'person' \(known: goals, involvements"):
            cb.cases.related(cases[0], "person")


async def test_a_record_keeps_only_its_own_pages_side_loaded_records_alive(sb: Sandbox) -> None:
    sb.seed_data(people=30, providers=0, cases=12, notes=0, users=0, units_of_work=0)
    async with client(sb, token=sb.issue_token()) as cb:
        cases = [case async for case in cb.cases.list(include="primary_person", page_size=5)]
    pages = {id(documents.linked_to(case)) for case in cases}
    assert len(pages) == 3  # one per page, shared by that page's records only
    first_page = weakref.ref(documents.linked_to(cases[0]))  # type: ignore[arg-type]
    kept = cases[5:]
    del cases
    gc.collect()
    assert first_page() is None  # its records are gone: so are its included records
    assert all(cb.cases.related_one(case, "primary_person") is not None for case in kept)
    before = len(documents._attached)
    del kept
    gc.collect()
    assert len(documents._attached) == before - 7


async def test_sparse_fieldsets_parse(sb: Sandbox) -> None:
    sb.seed_data(people=3, providers=0, cases=0, notes=0, users=0, units_of_work=0)
    async with client(sb) as cb:
        page = await cb.people.page(fields={"people": ["first_name"]})
    assert all(isinstance(p.attributes.first_name, str) for p in page.data)


async def test_errors_from_the_sandbox(sb: Sandbox) -> None:
    async with client(sb) as cb:
        with pytest.raises(NotFoundError) as nf:
            await cb.people.get("does-not-exist")
        assert nf.value.request_id
        with pytest.raises(UnprocessableEntityError) as bad:
            await cb.involvements.create({"case_id": "nope", "person_id": "nope"})
        assert any(p.startswith("/data/attributes/") for p in bad.value.pointers)
    app = sb.register_application(roles=["People - View"])
    async with client(sb, client_id=app.client_id, client_secret=app.client_secret) as cb:
        await cb.people.list().collect()
        with pytest.raises(PermissionDeniedError):
            await cb.people.create({"first_name": "A", "last_name": "B"})


async def test_token_expiry_with_the_sandbox_clock() -> None:
    server_clock, client_clock = Clock(), Clock()
    async with Sandbox(seed=2, s3=False, clock=server_clock, token_lifetime=3600) as sb:
        sb.seed_data(people=5, providers=0, cases=0, notes=0, users=0, units_of_work=0)
        async with client(sb, clock=client_clock) as cb:

            def token_requests() -> int:
                return sum(1 for r in sb.inspect.requests if r.path == "/oauth/token")

            await cb.people.list().collect()
            assert token_requests() == 1
            # Both clocks move past the lifetime: the client refreshes before the server would refuse.
            server_clock.now = client_clock.now = 3600 - 30
            await cb.people.list().collect()
            assert token_requests() == 2
            assert not [r for r in sb.inspect.requests if r.status == 401]
            # Only the server's clock moves (e.g. a revoked or skewed token): one 401, one re-auth, success.
            server_clock.now += 3600
            people = await cb.people.list().collect()
            assert len(people) == 5
            assert token_requests() == 3
            assert len([r for r in sb.inspect.requests if r.status == 401]) == 1


async def test_listing_survives_injected_faults(sb: Sandbox) -> None:
    sb.seed_data(people=300, providers=0, cases=0, notes=0, users=0, units_of_work=0)
    expected = [r["id"] for r in sb.inspect.records("people")]
    sleep = FakeSleep()
    async with client(sb, retry=RetryPolicy(attempts=10, sleep=sleep)) as cb:
        sb.faults = Faults(
            rate_5xx=0.2, rate_connect_error=0.1, rate_drop=0.1, rate_429=0.1, retry_after=2, seed=3
        )
        got = [p.id for p in await cb.people.list(page_size=10, concurrency=4).collect()]
    assert got == expected
    assert sleep.delays  # faults happened and were retried
    assert sum(sb.inspect.fault_counts.values()) > 0


async def test_ambiguous_post_is_reported_not_retried(sb: Sandbox) -> None:
    async with client(sb) as cb:
        sb.faults = Faults(rate_ambiguous_post=1.0)
        with pytest.raises(OutcomeUnknownError) as info:
            await cb.people.create({"first_name": "Ambi", "last_name": "Guous"})
        assert info.value.status == 502
    committed = [r for r in sb.inspect.records("people") if r["attributes"]["first_name"] == "Ambi"]
    assert len(committed) == 1  # the server did apply it: exactly why the client must not blindly retry
