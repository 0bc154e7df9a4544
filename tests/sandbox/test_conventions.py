"""The sandbox's conventions, on the wire: each preset speaks the JSON:API its model server speaks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from casebook_async.sandbox import PRESETS, Conventions, Sandbox

from .conftest import client_for, doc

pytestmark = pytest.mark.anyio


async def serve(preset: str) -> tuple[Sandbox, httpx.AsyncClient]:
    sb = Sandbox(seed=2, s3=False, conventions=preset)
    sb.seed_data(people=25, providers=2, cases=0, notes=0, users=0, units_of_work=0)
    return sb, client_for(sb, sb.issue_token())


@pytest.fixture
async def drf() -> AsyncIterator[httpx.AsyncClient]:
    sb, client = await serve("drf")
    async with sb, client:
        yield client


def test_unknown_presets_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown conventions preset 'rails'"):
        Conventions.preset("rails")
    assert set(PRESETS) >= {
        "casebook",
        "drf",
        "jsonapi-resources",
        "offset",
        "cursor",
        "link-objects",
        "no-links",
    }


@pytest.mark.parametrize(
    ("preset", "query", "status", "first_id_index"),
    [
        ("casebook", "page=2&page[size]=10", 200, 10),
        ("casebook", "page[number]=2&page[size]=10", 200, 10),
        ("drf", "page=2&page[size]=10", 200, 0),  # a plain `page` is silently ignored
        ("drf", "page[number]=2&page[size]=10", 200, 10),
        ("jsonapi-resources", "page=2&page[size]=10", 400, None),  # Rack cannot hold both
        ("jsonapi-resources", "page[size]=10&page[offset]=3", 400, None),  # strict: an unknown page member
        ("offset", "page[offset]=5&page[limit]=10", 200, 5),
        ("offset", "page[offset]=5&page[size]=3", 200, 5),  # lenient: page[size] ignored, default limit
    ],
)
async def test_page_parameters_per_preset(
    preset: str, query: str, status: int, first_id_index: int | None
) -> None:
    sb, client = await serve(preset)
    async with sb, client:
        ids = [r["id"] for r in sb.inspect.records("people")]
        response = await client.get(f"/people/people?{query}")
    assert response.status_code == status, response.text
    if first_id_index is not None:
        assert response.json()["data"][0]["id"] == ids[first_id_index]
    else:
        assert response.json()["errors"][0]["source"]["parameter"].startswith("page")


async def test_links_and_meta_take_the_presets_shape() -> None:
    sb, client = await serve("link-objects")
    async with sb, client:
        body = (await client.get("/people/people?page[size]=10")).json()
    assert body["links"]["next"] == {"href": "http://localhost/people/people?page=2&page[size]=10"}
    assert body["links"]["prev"] is None
    assert body["meta"] == {"record_count": 25, "page_count": 3, "page_number": 1, "page_size": 10}


async def test_drf_preset_links_and_meta(drf: httpx.AsyncClient) -> None:
    body = (await drf.get("/people/people?page[size]=10&page[number]=3")).json()
    assert set(body["links"]) == {"first", "prev", "next", "last"}  # no self
    assert body["links"]["prev"].endswith("page[number]=2&page[size]=10")
    assert body["links"]["next"] is None
    assert body["meta"] == {"pagination": {"page": 3, "pages": 3, "count": 25}}


async def test_cursor_preset_pages_by_opaque_cursor_without_totals() -> None:
    sb, client = await serve("cursor")
    async with sb, client:
        first = (await client.get("/people/people?page[size]=10")).json()
        second = (await client.get(first["links"]["next"]["href"])).json()
        forged = await client.get("/people/people?page[cursor]=bm9wZQ")
    assert "meta" not in first
    assert set(first["links"]) == {"self", "first", "next"}
    assert len(second["data"]) == 10
    assert second["data"][0]["id"] != first["data"][0]["id"]
    assert forged.status_code == 400


async def test_no_links_preset_sends_totals_only() -> None:
    sb, client = await serve("no-links")
    async with sb, client:
        body = (await client.get("/people/people?page=3&page[size]=10")).json()
    assert "links" not in body
    assert len(body["data"]) == 5
    assert body["meta"]["page_number"] == 3


def location(attributes: dict[str, Any], relationships: Any = ...) -> dict[str, Any]:
    document = doc("locations", {"name": "Main St", **attributes})
    if relationships is not ...:
        document["data"]["relationships"] = relationships
    return document


async def test_relationships_set_foreign_keys(client: httpx.AsyncClient, sb: Sandbox) -> None:
    provider = sb.inspect.records("providers")[0]["id"]
    created = await client.post(
        "/providers/locations",
        json=location({}, {"provider": {"data": {"type": "providers", "id": provider}}}),
    )
    assert created.status_code == 201, created.text
    assert created.json()["data"]["attributes"]["provider_id"] == provider
    assert created.json()["data"]["relationships"]["provider"]["data"] == {
        "type": "providers",
        "id": provider,
    }


@pytest.mark.parametrize(
    ("relationships", "status", "pointer"),
    [
        (None, 400, "/data/relationships"),
        ({"owner": {"data": None}}, 400, "/data/relationships/owner"),
        ({"provider": "p1"}, 422, "/data/relationships/provider"),
        ({"provider": {"data": {"type": "people", "id": "x"}}}, 409, "/data/relationships/provider/data"),
        (
            {"provider": {"data": [{"type": "providers", "id": "x"}]}},
            422,
            "/data/relationships/provider/data",
        ),
        (
            {"provider": {"data": {"type": "providers", "id": "nope"}}},
            422,
            "/data/relationships/provider/data",
        ),
    ],
)
async def test_bad_relationships_are_refused_with_pointers(
    client: httpx.AsyncClient, relationships: Any, status: int, pointer: str
) -> None:
    response = await client.post("/providers/locations", json=location({}, relationships))
    assert response.status_code == status, response.text
    assert response.json()["errors"][0]["source"]["pointer"] == pointer


async def test_a_reverse_relationship_is_written_from_the_other_side(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    provider = sb.inspect.records("providers")[0]["id"]
    body = doc("providers", {}, provider)
    body["data"]["relationships"] = {"staff": {"data": []}}
    response = await client.patch(f"/providers/providers/{provider}", json=body)
    assert response.status_code == 403
    assert response.json()["errors"][0]["source"]["pointer"] == "/data/relationships/staff"


async def test_attribute_and_relationship_must_agree(client: httpx.AsyncClient, sb: Sandbox) -> None:
    one, two = (p["id"] for p in sb.inspect.records("providers")[:2])
    linkage = {"provider": {"data": {"type": "providers", "id": one}}}
    response = await client.post("/providers/locations", json=location({"provider_id": two}, linkage))
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "conflict"


async def test_drf_ignores_and_hides_key_attributes_and_answers_validation_with_400(
    drf: httpx.AsyncClient,
) -> None:
    providers = (await drf.get("/providers/providers")).json()["data"]
    provider = providers[0]["id"]
    assert "location_ids" not in providers[0]["attributes"]
    dropped = (await drf.post("/providers/locations", json=location({"provider_id": provider}))).json()
    assert dropped["data"]["relationships"]["provider"]["data"] is None  # silently not linked
    invalid = await drf.post("/providers/locations", json=location({"name": 42}))
    assert invalid.status_code == 400
    assert invalid.json()["errors"][0]["source"]["pointer"] == "/data/attributes/name"


async def test_drf_reports_every_validation_error_as_400_not_only_the_first(drf: httpx.AsyncClient) -> None:
    linkage = {"bogus": {"data": None}, "provider": {"data": "not-an-identifier"}}
    response = await drf.post("/providers/locations", json=location({}, linkage))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert len(errors) == 2
    assert {e["status"] for e in errors} == {"400"}


async def test_jsonapi_resources_refuses_key_attributes() -> None:
    sb, client = await serve("jsonapi-resources")
    async with sb, client:
        provider = sb.inspect.records("providers")[0]["id"]
        response = await client.post("/providers/locations", json=location({"provider_id": provider}))
    assert response.status_code == 400
    assert response.json()["errors"][0]["source"]["pointer"] == "/data/attributes/provider_id"
