"""Query semantics from casebook-request-format: filters, sort, paging, include, sparse fieldsets, 400s."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from casebook_async.sandbox import Sandbox

from .conftest import doc

pytestmark = pytest.mark.anyio


async def ids(client: httpx.AsyncClient, path: str, **params: Any) -> list[str]:
    response = await client.get(path, params={"page[size]": 100, **params})
    assert response.status_code == 200, response.text
    return [r["id"] for r in response.json()["data"]]


def expected(sb: Sandbox, type_: str, predicate: Any) -> list[str]:
    return [r["id"] for r in sb.inspect.records(type_) if predicate(r["attributes"])]


async def test_exact_filter_is_case_sensitive(client: httpx.AsyncClient, sb: Sandbox) -> None:
    name = sb.inspect.records("people")[0]["attributes"]["last_name"]
    assert await ids(client, "/people/people", **{"filter[last_name]": name}) == expected(
        sb, "people", lambda a: a["last_name"] == name
    )
    assert await ids(client, "/people/people", **{"filter[last_name]": name.upper()}) == []
    assert await ids(client, "/people/people", **{"filter[last_name][neq]": name}) == expected(
        sb, "people", lambda a: a["last_name"] != name
    )


async def test_like_matches_substrings_and_wildcards(client: httpx.AsyncClient, sb: Sandbox) -> None:
    await client.post("/people/people", json=doc("people", {"first_name": "J", "last_name": "Doe-Smith"}))
    got = await ids(client, "/people/people", **{"filter[last_name][like]": "doe"})
    assert got == expected(sb, "people", lambda a: "doe" in a["last_name"].lower())
    assert len(got) >= 2
    assert await ids(client, "/people/people", **{"filter[last_name][like]": "Doe-%"}) == expected(
        sb, "people", lambda a: a["last_name"].startswith("Doe-")
    )


async def test_range_filters_on_dates_and_numbers(client: httpx.AsyncClient, sb: Sandbox) -> None:
    got = await ids(
        client,
        "/people/people",
        **{"filter[date_of_birth][ge]": "1980-01-01", "filter[date_of_birth][l]": "2000-01-01"},
    )
    assert got == expected(sb, "people", lambda a: "1980-01-01" <= a["date_of_birth"] < "2000-01-01")
    assert got  # the seed spans 1940-2015
    created = sb.inspect.records("notes")[2]["attributes"]["created_at"]
    assert await ids(client, "/attachments/notes", **{"filter[created_at][g]": created}) == expected(
        sb, "notes", lambda a: a["created_at"] > created
    )
    assert await ids(client, "/attachments/notes", **{"filter[created_at][le]": created}) == expected(
        sb, "notes", lambda a: a["created_at"] <= created
    )
    person = sb.inspect.records("people")[0]["id"]
    for size in (100, 2000, 3000):
        await client.post(
            "/attachments/attachments",
            json=doc(
                "attachments",
                {
                    "file_name": "f",
                    "content_type": "text/plain",
                    "file_size": size,
                    "record_type": "people",
                    "record_id": person,
                },
            ),
        )
    sizes = await client.get("/attachments/attachments", params={"filter[file_size][g]": "1000"})
    assert sorted(r["attributes"]["file_size"] for r in sizes.json()["data"]) == [2000, 3000]


async def test_null_filters_and_and_semantics(client: httpx.AsyncClient, sb: Sandbox) -> None:
    assert await ids(client, "/people/people", **{"filter[gender]": "null"}) == expected(
        sb, "people", lambda a: a["gender"] is None
    )
    assert await ids(client, "/people/people", **{"filter[gender][neq]": "null"}) == expected(
        sb, "people", lambda a: a["gender"] is not None
    )
    got = await ids(
        client, "/people/people", **{"filter[gender]": "female", "filter[hispanic_or_latino]": "yes"}
    )
    assert got == expected(
        sb, "people", lambda a: a["gender"] == "female" and a["hispanic_or_latino"] == "yes"
    )
    provider = sb.inspect.records("providers")[0]["id"]
    offerings = await ids(
        client,
        "/services/service_offerings",
        **{"filter[provider_id]": provider, "filter[archived]": "false"},
    )
    assert offerings == expected(
        sb, "service_offerings", lambda a: a["provider_id"] == provider and a["archived"] is False
    )


async def test_sort_ascending_descending_multiple(client: httpx.AsyncClient, sb: Sandbox) -> None:
    response = await client.get(
        "/people/people", params={"sort": "last_name,-date_of_birth", "page[size]": 100}
    )
    got = [(r["attributes"]["last_name"], r["attributes"]["date_of_birth"]) for r in response.json()["data"]]
    people = [r["attributes"] for r in sb.inspect.records("people")]
    by_dob = sorted(people, key=lambda a: a["date_of_birth"], reverse=True)
    assert got == [(a["last_name"], a["date_of_birth"]) for a in sorted(by_dob, key=lambda a: a["last_name"])]


async def test_pages_meta_and_links(client: httpx.AsyncClient, sb: Sandbox) -> None:
    all_ids = [r["id"] for r in sb.inspect.records("people")]
    first = (await client.get("/people/people")).json()
    assert first["meta"] == {"record_count": 30, "page_count": 3, "page_number": 1, "page_size": 10}
    assert [r["id"] for r in first["data"]] == all_ids[:10]
    assert first["links"]["prev"] is None
    second = (await client.get(first["links"]["next"])).json()
    assert [r["id"] for r in second["data"]] == all_ids[10:20]
    last = (await client.get(second["links"]["last"])).json()
    assert [r["id"] for r in last["data"]] == all_ids[20:]
    assert last["links"]["next"] is None
    assert (await client.get(last["links"]["prev"])).json()["data"] == second["data"]
    by_number = await client.get("/people/people", params={"page[number]": 2, "page[size]": 7})
    assert [r["id"] for r in by_number.json()["data"]] == all_ids[7:14]
    assert by_number.json()["meta"]["page_count"] == 5
    beyond = (await client.get("/people/people", params={"page": 9})).json()
    assert beyond["data"] == []
    assert beyond["links"]["next"] is None
    filtered = (
        await client.get("/people/people", params={"filter[gender][neq]": "null", "page[size]": 2})
    ).json()
    assert "filter[gender][neq]=null" in filtered["links"]["next"]


async def test_include_side_loads_to_one_and_reverse_to_many(client: httpx.AsyncClient, sb: Sandbox) -> None:
    case = sb.inspect.records("cases")[0]
    response = await client.get(
        f"/cases/cases/{case['id']}", params={"include": "primary_person,involvements"}
    )
    body = response.json()
    involvements = [r for r in sb.inspect.records("involvements") if r["attributes"]["case_id"] == case["id"]]
    assert {r["id"] for r in body["data"]["relationships"]["involvements"]["data"]} == {
        r["id"] for r in involvements
    }
    included = {(r["type"], r["id"]) for r in body["included"]}
    assert ("people", case["attributes"]["primary_person_id"]) in included
    assert {("involvements", r["id"]) for r in involvements} <= included
    listed = await client.get("/cases/involvements", params={"include": "case,person", "page[size]": 3})
    assert {r["type"] for r in listed.json()["included"]} == {"cases", "people"}


async def test_sparse_fieldsets(client: httpx.AsyncClient) -> None:
    body = (
        await client.get(
            "/cases/involvements",
            params={
                "include": "person",
                "fields[people]": "last_name",
                "fields[involvements]": "role,person",
            },
        )
    ).json()
    assert all(set(r["attributes"]) == {"role"} for r in body["data"])
    assert all(set(r["relationships"]) == {"person"} for r in body["data"])
    assert all(set(r["attributes"]) == {"last_name"} for r in body["included"])


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"filter[last_name][contains]": "x"}, "filter[last_name][contains]"),
        ({"filter[shoe_size]": "9"}, "filter[shoe_size]"),
        ({"filter[last_name][g]": "D"}, "filter[last_name][g]"),
        ({"filter[date_of_birth][ge]": "yesterday"}, "filter[date_of_birth][ge]"),
        ({"page[size]": "101"}, "page[size]"),
        ({"page[size]": "0"}, "page[size]"),
        ({"page[size]": "ten"}, "page[size]"),
        ({"page": "-1"}, "page"),
        ({"page": "1", "page[number]": "2"}, "page"),
        ({"sort": "-shoe_size"}, "sort"),
        ({"include": "friends"}, "include"),
        ({"fields[planets]": "name"}, "fields[planets]"),
        ({"fields[people]": "shoe_size"}, "fields[people]"),
        ({"last_name": "Doe"}, "last_name"),  # the flattened deepObject trap must not silently pass
    ],
)
async def test_bad_query_parameters_are_400_naming_the_parameter(
    client: httpx.AsyncClient, params: dict[str, str], parameter: str
) -> None:
    response = await client.get("/people/people", params=params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["source"] == {"parameter": parameter}


async def test_page_size_maximum_comes_from_the_spec(client: httpx.AsyncClient) -> None:
    response = await client.get("/people/people", params={"page[size]": 100})
    assert response.status_code == 200
    assert response.json()["meta"]["page_size"] == 100
