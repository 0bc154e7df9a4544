"""Create/update documents on the wire: foreign keys as attributes and/or relationships, and the answer read
back so that a link the server did not keep is an error, never silence."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from casebook_async import Casebook, InvalidInputError, RelationshipNotSavedError

from .conftest import jsonapi

pytestmark = pytest.mark.anyio


def location(id_: str, attributes: dict[str, Any], relationships: dict[str, Any] | None = None) -> Any:
    data: dict[str, Any] = {"type": "locations", "id": id_, "attributes": {"name": "Main St", **attributes}}
    if relationships is not None:
        data["relationships"] = relationships
    return {"data": data}


def echo(id_: str = "l1") -> Callable[[httpx.Request], httpx.Response]:
    """A server that keeps whatever it is sent, both ways."""

    def answer(request: httpx.Request) -> httpx.Response:
        data = json.loads(request.content)["data"]
        return jsonapi({"data": {**data, "id": id_}}, 201)

    return answer


def sent(route: respx.Route) -> Any:
    return json.loads(route.calls.last.request.content)["data"]


@pytest.mark.parametrize(
    ("mode", "attributes", "relationships"),
    [
        (
            "both",
            {"name": "Main St", "provider_id": "p1"},
            {"provider": {"data": {"type": "providers", "id": "p1"}}},
        ),
        ("relationships", {"name": "Main St"}, {"provider": {"data": {"type": "providers", "id": "p1"}}}),
        ("attributes", {"name": "Main St", "provider_id": "p1"}, None),
    ],
)
async def test_a_foreign_key_goes_out_as_the_client_is_told(
    router: respx.MockRouter,
    make_client: Callable[..., Casebook],
    mode: str,
    attributes: Any,
    relationships: Any,
) -> None:
    route = router.post("/providers/locations").mock(side_effect=echo())
    async with make_client(foreign_keys=mode) as cb:
        created = await cb.locations.create({"name": "Main St", "provider_id": "p1"})
    assert created.id == "l1"
    expected: dict[str, Any] = {"type": "locations", "attributes": attributes}
    if relationships is not None:
        expected["relationships"] = relationships
    assert sent(route) == expected


async def test_relationships_by_name_to_one_and_to_many(router: respx.MockRouter, cb: Casebook) -> None:
    route = router.patch("/providers/providers/p1").mock(
        return_value=jsonapi(
            {
                "data": {
                    "type": "providers",
                    "id": "p1",
                    "attributes": {"name": "N", "location_ids": ["l2", "l1"], "parent_organization_id": None},
                }
            }
        )
    )
    await cb.providers.update("p1", relationships={"locations": ["l1", "l2"], "parent_organization": None})
    assert sent(route) == {
        "type": "providers",
        "id": "p1",
        "attributes": {"location_ids": ["l1", "l2"], "parent_organization_id": None},
        "relationships": {
            "locations": {"data": [{"type": "locations", "id": "l1"}, {"type": "locations", "id": "l2"}]},
            "parent_organization": {"data": None},
        },
    }


@pytest.mark.parametrize(
    ("attributes", "relationships", "message"),
    [
        ({"name": "x"}, {"owner": "u1"}, r"no relationship 'owner' \(known: provider\)"),
        ({"name": "x"}, {"provider": ["p1"]}, "is to-one: pass an id"),
        ({"name": "x"}, {"provider": ""}, "is to-one: pass an id"),
        (
            {"name": "x", "provider_id": "p2"},
            {"provider": "p1"},
            "provider_id and relationships.'provider'. give",
        ),
        ({"name": "x"}, "provider=p1", "relationships must be a mapping"),
    ],
)
async def test_bad_relationships_are_refused_before_any_request(
    router: respx.MockRouter, cb: Casebook, attributes: Any, relationships: Any, message: str
) -> None:
    route = router.post("/providers/locations")
    with pytest.raises(InvalidInputError, match=message):
        await cb.locations.create(attributes, relationships=relationships)
    assert route.call_count == 0


@pytest.mark.parametrize(
    ("relationships", "message"),
    [
        ({"locations": "l1"}, "is to-many: pass a list of ids"),
        ({"locations": ["l1", 2]}, "ids must be non-empty strings"),
        ({"staff": ["s1"]}, "providers.staff is written from the other side"),
    ],
)
async def test_bad_to_many_relationships_are_refused_before_any_request(
    router: respx.MockRouter, cb: Casebook, relationships: Any, message: str
) -> None:
    route = router.patch("/providers/providers/p1")
    with pytest.raises(InvalidInputError, match=message):
        await cb.providers.update("p1", relationships=relationships)
    assert route.call_count == 0


async def test_a_required_foreign_key_may_be_given_as_a_relationship(
    router: respx.MockRouter, cb: Casebook
) -> None:
    route = router.post("/providers/staff").mock(
        return_value=jsonapi(
            {"data": {"type": "staff", "id": "s1", "attributes": {"first_name": "A", "provider_id": "p1"}}},
            201,
        )
    )
    await cb.staff.create({"first_name": "A", "last_name": "B"}, relationships={"provider": "p1"})
    assert sent(route)["relationships"] == {"provider": {"data": {"type": "providers", "id": "p1"}}}


@pytest.mark.parametrize(
    "answer",
    [
        location("l1", {"provider_id": None}),  # the attribute came back empty
        location("l1", {}, {"provider": {"data": None}}),  # the linkage came back empty
        location("l1", {"provider_id": "p1"}, {"provider": {"data": {"type": "providers", "id": "p9"}}}),
    ],
    ids=["attribute-null", "linkage-null", "linkage-other"],
)
async def test_a_link_the_answer_contradicts_is_an_error_naming_the_written_record(
    router: respx.MockRouter, cb: Casebook, answer: Any
) -> None:
    router.post("/providers/locations").mock(return_value=jsonapi(answer, 201))
    with pytest.raises(
        RelationshipNotSavedError, match=r"wrote record l1 but not its relationship.s. provider"
    ) as e:
        await cb.locations.create({"name": "Main St", "provider_id": "p1"})
    assert e.value.record.id == "l1"
    assert e.value.relationships == ["provider"]


@pytest.mark.parametrize(
    "answer",
    [
        location("l1", {}),  # says nothing of the key
        location(
            "l1", {}, {"provider": {"links": {"related": "/providers/locations/l1/provider"}}}
        ),  # links only
        location("l1", {}, {"provider": {"data": {"type": "providers", "id": "p1"}}}),
    ],
    ids=["silent", "links-only", "linkage-kept"],
)
async def test_an_answer_that_keeps_or_does_not_mention_the_link_is_accepted(
    router: respx.MockRouter, cb: Casebook, answer: Any
) -> None:
    router.post("/providers/locations").mock(return_value=jsonapi(answer, 201))
    created = await cb.locations.create({"name": "Main St", "provider_id": "p1"})
    assert created.id == "l1"


async def test_to_many_links_compare_as_sets(router: respx.MockRouter, cb: Casebook) -> None:
    kept = {
        "data": {"type": "providers", "id": "p1", "attributes": {"name": "N", "location_ids": ["b", "a"]}}
    }
    router.patch("/providers/providers/p1").mock(return_value=jsonapi(kept))
    await cb.providers.update("p1", {"location_ids": ["a", "b"]})
    router.patch("/providers/providers/p1").mock(
        return_value=jsonapi({**kept, "data": {**kept["data"], "attributes": {"location_ids": ["a"]}}})
    )
    with pytest.raises(RelationshipNotSavedError, match="locations"):
        await cb.providers.update("p1", {"location_ids": ["a", "b"]})


async def test_foreign_keys_mode_is_validated(make_client: Callable[..., Casebook]) -> None:
    with pytest.raises(InvalidInputError, match="foreign_keys must be one of"):
        make_client(foreign_keys="linkage")
    with pytest.raises(InvalidInputError, match="page_parameter must be one of"):
        make_client(page_parameter="offset")
