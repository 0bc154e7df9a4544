"""Writes against servers that take foreign keys differently (sandbox Conventions.foreign_keys): as
``*_id`` attributes (our inferred spec), only as relationships with the attribute silently dropped (Django
REST framework JSON:API), or only as relationships with the attribute refused (JSONAPI::Resources). A link
is kept, or the client says it was not; never a record silently written without its link."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from casebook_async import (
    BadRequestError,
    Casebook,
    RelationshipNotSavedError,
    UnprocessableEntityError,
)
from casebook_async.bulk import bulk_create
from casebook_async.flows import create_provider_with_location
from casebook_async.sandbox import Sandbox

pytestmark = pytest.mark.anyio


@pytest.fixture(params=["casebook", "drf", "jsonapi-resources"])
async def sb(request: pytest.FixtureRequest) -> AsyncIterator[Sandbox]:
    async with Sandbox(seed=5, s3=False, conventions=request.param) as sandbox:
        sandbox.seed_data(people=2, providers=2, cases=0, notes=0, users=0, units_of_work=0)
        yield sandbox


def client(sb: Sandbox, **kwargs: Any) -> Casebook:
    # A strict server refuses the *_id attribute: its users say so once.
    if sb.conventions.foreign_keys == "strict":
        kwargs.setdefault("foreign_keys", "relationships")
    return Casebook(base_url=sb.base_url, transport=sb.transport, token=sb.issue_token(), **kwargs)


def stored(sb: Sandbox, type_: str, id_: str) -> dict[str, Any]:
    record = sb.inspect.record(type_, id_)
    assert record is not None
    return dict(record["attributes"])


async def test_a_location_is_created_linked_to_its_provider(sb: Sandbox) -> None:
    provider = sb.inspect.records("providers")[0]["id"]
    async with client(sb) as cb:
        created = await cb.locations.create({"name": "Main St", "provider_id": provider})
        by_name = await cb.locations.create({"name": "Side St"}, relationships={"provider": provider})
        assert cb.locations.related_ids(created, "provider") == [provider]
        assert cb.locations.related_ids(by_name, "provider") == [provider]
        moved = await cb.locations.update(created.id, relationships={"provider": None})
        assert cb.locations.related_ids(moved, "provider") == []
    assert stored(sb, "locations", created.id)["provider_id"] is None
    assert stored(sb, "locations", by_name.id)["provider_id"] == provider


async def test_a_to_many_link_is_written(sb: Sandbox) -> None:
    provider = sb.inspect.records("providers")[0]["id"]
    locations = [r["id"] for r in sb.inspect.records("locations")][:3]
    async with client(sb) as cb:
        updated = await cb.providers.update(provider, {"location_ids": locations})
        assert sorted(cb.providers.related_ids(updated, "locations") or []) == sorted(locations)
    assert stored(sb, "providers", provider)["location_ids"] == locations


async def test_the_provider_flow_links_both_ways(sb: Sandbox) -> None:
    async with client(sb) as cb:
        pair = await create_provider_with_location(
            cb, provider={"name": "Northside Food Bank"}, location={"name": "Main St"}
        )
        assert cb.providers.related_ids(pair.provider, "locations") == [pair.location.id]
    assert stored(sb, "providers", pair.provider.id)["location_ids"] == [pair.location.id]
    assert stored(sb, "locations", pair.location.id)["provider_id"] == pair.provider.id


async def test_validation_errors_carry_pointers_whatever_their_status(sb: Sandbox) -> None:
    async with client(sb) as cb:
        with pytest.raises((UnprocessableEntityError, BadRequestError)) as raised:
            await cb.locations.create({"name": "Main St"}, relationships={"provider": "no-such-provider"})
    error = raised.value
    assert isinstance(
        error, BadRequestError if sb.conventions.validation_status == 400 else UnprocessableEntityError
    )
    assert error.pointers in (["/data/attributes/provider_id"], ["/data/relationships/provider/data"])


async def test_attributes_only_against_a_server_that_drops_them_is_an_error_not_silence() -> None:
    # What the client used to send: Django REST framework JSON:API ignores `provider_id` and answers 201.
    async with Sandbox(seed=5, s3=False, conventions="drf") as sb:
        sb.seed_data(people=0, providers=1, cases=0, notes=0, users=0, units_of_work=0)
        provider = sb.inspect.records("providers")[0]["id"]
        async with client(sb, foreign_keys="attributes") as cb:
            with pytest.raises(
                RelationshipNotSavedError, match=r"not its relationship.s. provider"
            ) as raised:
                await cb.locations.create({"name": "Main St", "provider_id": provider})
        written = raised.value.record.id
        assert stored(sb, "locations", written)["provider_id"] is None  # the record exists, unlinked


async def test_a_strict_server_refuses_the_attribute_loudly() -> None:
    async with Sandbox(seed=5, s3=False, conventions="jsonapi-resources") as sb:
        sb.seed_data(people=0, providers=1, cases=0, notes=0, users=0, units_of_work=0)
        provider = sb.inspect.records("providers")[0]["id"]
        async with client(sb, foreign_keys="both") as cb:
            with pytest.raises(BadRequestError) as raised:
                await cb.locations.create({"name": "Main St", "provider_id": provider})
        assert raised.value.pointers == ["/data/attributes/provider_id"]
        assert sb.inspect.count("locations") == 2  # the seeded ones: nothing written


async def test_a_bulk_create_the_server_keeps_unlinked_reports_each_record_once_and_never_resends(
    tmp_path: Path,
) -> None:
    async with Sandbox(seed=5, s3=False, conventions="drf") as sb:
        sb.seed_data(people=0, providers=1, cases=0, notes=0, users=0, units_of_work=0)
        provider = sb.inspect.records("providers")[0]["id"]
        rows = [{"name": f"Site {i}", "provider_id": provider} for i in range(5)]
        journal = tmp_path / "locations.checkpoint.jsonl"
        async with client(sb, foreign_keys="attributes") as cb:
            report = await bulk_create(cb.locations, rows, checkpoint=journal)
            again = await bulk_create(cb.locations, rows, checkpoint=journal)
    assert [r.status for r in report.results] == ["failed"] * 5
    assert all(r.id and "RelationshipNotSavedError" in (r.error or "") for r in report.results)
    assert sb.inspect.count("locations") == 2 + 5  # written once each, unlinked, and not sent again
    # Resumed, nothing is sent again, and the records are still failed (not "done"): the links were lost.
    assert [(r.status, r.id, r.error) for r in again.results] == [
        ("failed", r.id, r.error) for r in report.results
    ]
    assert not again.ok
