"""Every resource in spec/: list/get/create/update/delete, soft delete, partial PATCH, foreign keys."""

from __future__ import annotations

import httpx
import pytest

from casebook_async.sandbox import Sandbox
from casebook_async.sandbox.spec import resources

from .conftest import JSONAPI, doc

pytestmark = pytest.mark.anyio


def valid_attributes(sb: Sandbox, type_: str) -> dict[str, object]:
    """Minimal valid create attributes for any resource, with foreign keys pointing at seeded records."""
    person = sb.inspect.records("people")[0]["id"]
    provider = sb.inspect.records("providers")[0]["id"]
    case = sb.inspect.records("cases")[0]["id"]
    user = sb.inspect.records("users")[0]["id"]
    assignment = sb.inspect.records("units_of_work")[0]["attributes"]["assignment_id"]
    return {
        "people": {"first_name": "Ada", "last_name": "Lovelace"},
        "reports": {"summary": "Concern", "reported_at": "2025-02-01T10:00:00Z"},
        "cases": {"name": "New case", "primary_person_id": person},
        "involvements": {"case_id": case, "person_id": person},
        "goals": {"case_id": case, "description": "Stable housing"},
        "providers": {"name": "Harbor House"},
        "locations": {"name": "Main office", "provider_id": provider},
        "staff": {"provider_id": provider, "first_name": "Sam", "last_name": "Kim"},
        "service_offerings": {"provider_id": provider, "name": "Food Pantry", "archived": False},
        "attachments": {
            "file_name": "a.txt",
            "content_type": "text/plain",
            "file_size": 3,
            "record_type": "people",
            "record_id": person,
        },
        "notes": {"body": "Called back.", "record_type": "cases", "record_id": case},
        "users": {"first_name": "Wen", "last_name": "Ali", "email": "wen@example.org"},
        "assignment_users": {"assignment_id": assignment, "user_id": user},
        "units_of_work": {"name": "Follow up", "record_type": "people", "record_id": person},
    }[type_]


@pytest.mark.parametrize("type_", sorted(resources()))
async def test_full_lifecycle_of_every_resource(sb: Sandbox, client: httpx.AsyncClient, type_: str) -> None:
    path = resources()[type_].path
    created = await client.post(path, json=doc(type_, valid_attributes(sb, type_)))
    assert created.status_code == 201, created.text
    assert created.headers["content-type"] == JSONAPI
    record = created.json()["data"]
    assert created.headers["location"].endswith(f"{path}/{record['id']}")
    assert record["attributes"]["created_at"] == record["attributes"]["updated_at"]

    fetched = await client.get(f"{path}/{record['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["data"]["id"] == record["id"]
    listed = await client.get(path, params={"filter[id]": record["id"]})
    assert [r["id"] for r in listed.json()["data"]] == [record["id"]]

    deleted = await client.delete(f"{path}/{record['id']}")
    assert deleted.status_code == 204
    assert (await client.get(f"{path}/{record['id']}")).status_code == 404
    assert (await client.get(path, params={"filter[id]": record["id"]})).json()["data"] == []
    assert (await client.delete(f"{path}/{record['id']}")).status_code == 404
    assert sb.inspect.record(type_, record["id"]) is None
    assert [(w.method, w.type) for w in sb.inspect.writes if w.id == record["id"]] == [
        ("POST", type_),
        ("DELETE", type_),
    ]


async def test_patch_changes_only_the_given_attributes(client: httpx.AsyncClient, sb: Sandbox) -> None:
    person = sb.inspect.records("people")[0]
    before = person["attributes"]
    response = await client.patch(
        f"/people/people/{person['id']}", json=doc("people", {"preferred_name": "Bee"}, person["id"])
    )
    assert response.status_code == 200, response.text
    after = response.json()["data"]["attributes"]
    assert after["preferred_name"] == "Bee"
    unchanged = {k: v for k, v in after.items() if k not in ("preferred_name", "updated_at")}
    assert unchanged == {k: v for k, v in before.items() if k not in ("preferred_name", "updated_at")}
    assert after["updated_at"] != before["updated_at"]
    assert sb.inspect.record("people", person["id"])["attributes"]["preferred_name"] == "Bee"  # type: ignore[index]


async def test_foreign_keys_must_point_at_live_records(client: httpx.AsyncClient, sb: Sandbox) -> None:
    response = await client.post(
        "/providers/staff",
        json=doc("staff", {"provider_id": "no-such-provider", "first_name": "A", "last_name": "B"}),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["source"]["pointer"] == "/data/attributes/provider_id"

    provider = sb.inspect.records("providers")[0]["id"]
    assert (await client.delete(f"/providers/providers/{provider}")).status_code == 204
    response = await client.post(
        "/providers/locations", json=doc("locations", {"name": "X", "provider_id": provider})
    )
    assert response.status_code == 422  # a soft-deleted record is not a valid target

    response = await client.post(
        "/attachments/notes",
        json=doc(
            "notes", {"body": "x", "record_type": "cases", "record_id": sb.inspect.records("people")[0]["id"]}
        ),
    )
    assert response.status_code == 422  # polymorphic: the id must exist in the type record_type names
    assert response.json()["errors"][0]["source"]["pointer"] == "/data/attributes/record_id"

    location = sb.inspect.records("locations")[0]["id"]
    response = await client.patch(
        f"/providers/providers/{sb.inspect.records('providers')[1]['id']}",
        json=doc(
            "providers", {"location_ids": [location, "missing"]}, sb.inspect.records("providers")[1]["id"]
        ),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["source"]["pointer"] == "/data/attributes/location_ids/1"


async def test_validation_errors_point_at_each_attribute(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/people/people",
        json=doc("people", {"first_name": 5, "hispanic_or_latino": "maybe", "date_of_birth": "13/01/2000"}),
    )
    assert response.status_code == 422
    pointers = {e["source"]["pointer"]: e["code"] for e in response.json()["errors"]}
    assert pointers == {
        "/data/attributes/first_name": "invalid_value",
        "/data/attributes/hispanic_or_latino": "invalid_value",
        "/data/attributes/date_of_birth": "invalid_value",
        "/data/attributes/last_name": "required",
    }
    for value in ("yes", "no", "unable to determine", "unknown"):
        ok = await client.post(
            "/people/people",
            json=doc("people", {"first_name": "A", "last_name": "B", "hispanic_or_latino": value}),
        )
        assert ok.status_code == 201


async def test_server_sets_read_only_attributes(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/people/people",
        json=doc("people", {"first_name": "A", "last_name": "B", "created_at": "2020-01-01T00:00:00Z"}),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["source"]["pointer"] == "/data/attributes/created_at"


async def test_custom_fields_round_trip(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/people/people",
        json=doc("people", {"first_name": "A", "last_name": "B", "favourite_colour": "teal"}),
    )
    assert response.json()["data"]["attributes"]["favourite_colour"] == "teal"


async def test_document_shape_errors(client: httpx.AsyncClient, sb: Sandbox) -> None:
    wrong_type = await client.post("/people/people", json=doc("providers", {"name": "x"}))
    assert wrong_type.status_code == 409
    assert wrong_type.json()["errors"][0]["source"]["pointer"] == "/data/type"
    person = sb.inspect.records("people")[0]["id"]
    wrong_id = await client.patch(f"/people/people/{person}", json=doc("people", {}, "other"))
    assert wrong_id.status_code == 409
    assert wrong_id.json()["errors"][0]["source"]["pointer"] == "/data/id"
    not_json = await client.post("/people/people", content=b"{nope")
    assert not_json.status_code == 400
    no_data = await client.post("/people/people", json={"meta": {}})
    assert no_data.status_code == 400
    for content_type in ("application/json", None):
        headers = {"Content-Type": content_type} if content_type else {}
        request = client.build_request("POST", "/people/people", content=b"{}", headers=headers)
        if content_type is None:
            del request.headers["Content-Type"]
        assert (await client.send(request)).status_code == 415


async def test_unknown_routes_are_json_api_404s(client: httpx.AsyncClient) -> None:
    for path in ("/nope", "/people/persons", "/people/people/x/y"):
        response = await client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"] == JSONAPI
        assert response.json()["errors"][0]["status"] == "404"
    missing = await client.get("/people/people/does-not-exist")
    assert missing.status_code == 404
    assert response.headers["x-request-id"]


async def test_location_does_not_link_provider_back_until_provider_patch(client: httpx.AsyncClient) -> None:
    provider = (await client.post("/providers/providers", json=doc("providers", {"name": "P"}))).json()[
        "data"
    ]
    location = (
        await client.post(
            "/providers/locations", json=doc("locations", {"name": "L", "provider_id": provider["id"]})
        )
    ).json()["data"]
    again = (
        await client.get(f"/providers/providers/{provider['id']}", params={"include": "locations"})
    ).json()
    assert again["data"]["relationships"]["locations"]["data"] == []
    assert again["data"]["attributes"].get("location_ids") in (None, [])
    assert "included" in again
    assert again["included"] == []

    patched = await client.patch(
        f"/providers/providers/{provider['id']}",
        json=doc("providers", {"location_ids": [location["id"]]}, provider["id"]),
    )
    assert patched.status_code == 200
    linked = (
        await client.get(f"/providers/providers/{provider['id']}", params={"include": "locations"})
    ).json()
    assert linked["data"]["relationships"]["locations"]["data"] == [
        {"type": "locations", "id": location["id"]}
    ]
    assert [r["id"] for r in linked["included"]] == [location["id"]]


async def test_units_of_work_carry_an_assignment_id_for_assignment_users(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    unit = (
        await client.post("/workflows/units_of_work", json=doc("units_of_work", {"name": "Call"}))
    ).json()["data"]
    assignment_id = unit["attributes"]["assignment_id"]
    assert isinstance(assignment_id, str)
    assert assignment_id
    user = sb.inspect.records("users")[0]["id"]
    bogus = await client.post(
        "/memberships/assignment_users",
        json=doc("assignment_users", {"assignment_id": "not-an-assignment", "user_id": user}),
    )
    assert bogus.status_code == 422
    assert bogus.json()["errors"][0]["source"]["pointer"] == "/data/attributes/assignment_id"
    linked = await client.post(
        "/memberships/assignment_users",
        json=doc("assignment_users", {"assignment_id": assignment_id, "user_id": user}),
    )
    assert linked.status_code == 201
    found = await client.get(
        "/memberships/assignment_users", params={"filter[assignment_id]": assignment_id, "include": "user"}
    )
    assert [r["id"] for r in found.json()["data"]] == [linked.json()["data"]["id"]]
    assert found.json()["included"][0]["id"] == user


async def test_spec_defaults_apply_to_omitted_attributes(client: httpx.AsyncClient, sb: Sandbox) -> None:
    provider = sb.inspect.records("providers")[0]["id"]
    created = await client.post(
        "/services/service_offerings",
        json=doc("service_offerings", {"provider_id": provider, "name": "Meals"}),
    )
    assert created.json()["data"]["attributes"]["archived"] is False
    active = await client.get(
        "/services/service_offerings", params={"filter[archived]": "false", "filter[name]": "Meals"}
    )
    assert [r["id"] for r in active.json()["data"]] == [created.json()["data"]["id"]]
