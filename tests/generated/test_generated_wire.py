"""For every service, the generated client sends the right request and parses realistic JSON:API documents."""

from __future__ import annotations

import datetime as dt
import importlib
import json
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import respx

from casebook_openapi import AuthenticatedClient, Client
from casebook_openapi import models as m
from casebook_openapi.api.o_auth import create_token
from casebook_openapi.api.people import list_people
from casebook_openapi.types import Unset

BASE = "https://api.casebook.net"
JSONAPI = "application/vnd.api+json"
ID = "0b0c1f8e-3f1a-4a52-9d8e-2c9f5f0e7a11"
STAMP = "2025-03-04T05:06:07Z"  # as servers send it
SENT_STAMP = "2025-03-04T05:06:07+00:00"  # as the generated models serialise it (datetime.isoformat)


@dataclass(frozen=True)
class Case:
    api: str  # module under casebook_openapi.api
    single: str  # snake_case name in create_/get_/update_/delete_<single>
    plural: str  # snake_case name in list_<plural>
    model: str  # model name prefix
    path: str
    type: str
    attributes: dict[str, Any]  # a valid create body's attributes

    def function(self, verb: str) -> Any:
        name = f"list_{self.plural}" if verb == "list" else f"{verb}_{self.single}"
        return importlib.import_module(f"casebook_openapi.api.{self.api}.{name}")

    def model_class(self, suffix: str) -> Any:
        return getattr(m, f"{self.model}{suffix}")


FK = "5d41402a-bc4b-2a76-b971-9d911017c592"
CASES = [
    Case(
        "people",
        "person",
        "people",
        "Person",
        "/people/people",
        "people",
        {
            "first_name": "Jane",
            "last_name": "Doe",
            "hispanic_or_latino": "unable to determine",
            "date_of_birth": "1990-02-03",
        },
    ),
    Case(
        "reports",
        "report",
        "reports",
        "Report",
        "/intake/reports",
        "reports",
        {"summary": "Neighbour concern", "reported_at": SENT_STAMP, "status": "submitted"},
    ),
    Case("cases", "case", "cases", "Case", "/cases/cases", "cases", {"name": "Doe family", "status": "open"}),
    Case(
        "involvements",
        "involvement",
        "involvements",
        "Involvement",
        "/cases/involvements",
        "involvements",
        {"case_id": FK, "person_id": FK, "role": "parent"},
    ),
    Case(
        "goals",
        "goal",
        "goals",
        "Goal",
        "/cases/goals",
        "goals",
        {"case_id": FK, "description": "Stable housing"},
    ),
    Case(
        "providers",
        "provider",
        "providers",
        "Provider",
        "/providers/providers",
        "providers",
        {"name": "Northside Food Bank", "location_ids": [FK]},
    ),
    Case(
        "locations",
        "location",
        "locations",
        "Location",
        "/providers/locations",
        "locations",
        {"name": "Main St", "city": "Springfield", "provider_id": FK},
    ),
    Case(
        "staff",
        "staff_member",
        "staff",
        "StaffMember",
        "/providers/staff",
        "staff",
        {"provider_id": FK, "first_name": "Ann", "last_name": "Lee"},
    ),
    Case(
        "service_offerings",
        "service_offering",
        "service_offerings",
        "ServiceOffering",
        "/services/service_offerings",
        "service_offerings",
        {"provider_id": FK, "name": "Meals", "archived": False},
    ),
    Case(
        "attachments",
        "attachment",
        "attachments",
        "Attachment",
        "/attachments/attachments",
        "attachments",
        {
            "file_name": "a.pdf",
            "content_type": "application/pdf",
            "file_size": 1024,
            "record_type": "people",
            "record_id": FK,
        },
    ),
    Case(
        "notes",
        "note",
        "notes",
        "Note",
        "/attachments/notes",
        "notes",
        {"body": "Called the family.", "record_type": "cases", "record_id": FK},
    ),
    Case(
        "users",
        "user",
        "users",
        "User",
        "/memberships/users",
        "users",
        {"first_name": "Sam", "last_name": "Ray", "email": "sam@example.org"},
    ),
    Case(
        "assignment_users",
        "assignment_user",
        "assignment_users",
        "AssignmentUser",
        "/memberships/assignment_users",
        "assignment_users",
        {"assignment_id": FK, "user_id": FK},
    ),
    Case(
        "units_of_work",
        "unit_of_work",
        "units_of_work",
        "UnitOfWork",
        "/workflows/units_of_work",
        "units_of_work",
        {"name": "Home visit", "status": "open", "due_at": SENT_STAMP},
    ),
]
IDS = [case.type for case in CASES]


def resource(case: Case, id_: str = ID) -> dict[str, Any]:
    return {
        "type": case.type,
        "id": id_,
        "attributes": {**case.attributes, "created_at": STAMP, "updated_at": STAMP, "x_custom_field": "kept"},
        "links": {"self": f"{BASE}{case.path}/{id_}"},
    }


INCLUDED = {
    "type": "people",
    "id": FK,
    "attributes": {"first_name": "Jane"},
    "links": {"self": f"{BASE}/people/people/{FK}"},
}


@pytest.fixture
def client() -> AuthenticatedClient:
    return AuthenticatedClient(base_url=BASE, token="wire-test-token")


def jsonapi(status: int, document: dict[str, Any] | None = None) -> httpx.Response:
    if document is None:
        return httpx.Response(status)
    return httpx.Response(status, json=document, headers={"Content-Type": JSONAPI})


def assert_request(request: httpx.Request, method: str, path: str, body: dict[str, Any] | None) -> None:
    assert request.method == method
    assert request.url.path == path
    assert request.headers["Authorization"] == "Bearer wire-test-token"
    if body is None:
        assert request.content == b""
    else:
        assert request.headers["Content-Type"] == JSONAPI
        assert json.loads(request.content) == body


@pytest.mark.anyio
@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_create_sends_a_jsonapi_document_and_parses_the_created_record(
    case: Case, client: AuthenticatedClient
) -> None:
    body = {"data": {"type": case.type, "attributes": case.attributes}}
    with respx.mock(base_url=BASE, assert_all_called=True) as mock:
        route = mock.post(case.path).mock(return_value=jsonapi(201, {"data": resource(case)}))
        response = await case.function("create").asyncio_detailed(
            client=client, body=case.model_class("CreateRequest").from_dict(body)
        )
    assert_request(route.calls.last.request, "POST", case.path, body)
    document = response.parsed
    assert isinstance(document, case.model_class("Document"))
    assert document.data.id == ID
    assert document.data.type_.value == case.type
    assert document.data.attributes.created_at == dt.datetime(2025, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
    assert document.data.attributes.additional_properties == {"x_custom_field": "kept"}


@pytest.mark.anyio
@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_list_parses_data_included_meta_and_links(case: Case, client: AuthenticatedClient) -> None:
    page = {
        "data": [resource(case, ID), resource(case, FK)],
        "included": [INCLUDED],
        "meta": {"record_count": 12, "page_count": 6, "page_number": 2, "page_size": 2},
        "links": {
            "self": f"{BASE}{case.path}?page=2&page%5Bsize%5D=2",
            "first": f"{BASE}{case.path}?page=1&page%5Bsize%5D=2",
            "prev": f"{BASE}{case.path}?page=1&page%5Bsize%5D=2",
            "next": f"{BASE}{case.path}?page=3&page%5Bsize%5D=2",
            "last": f"{BASE}{case.path}?page=6&page%5Bsize%5D=2",
        },
    }
    with respx.mock(base_url=BASE, assert_all_called=True) as mock:
        route = mock.get(case.path).mock(return_value=jsonapi(200, page))
        response = await case.function("list").asyncio_detailed(
            client=client, page=2, pagesize=2, sort="-created_at"
        )
    request = route.calls.last.request
    assert_request(request, "GET", case.path, None)
    assert request.url.params["page"] == "2"
    assert request.url.params["page[size]"] == "2"
    assert request.url.params["sort"] == "-created_at"
    document = response.parsed
    assert isinstance(document, case.model_class("CollectionDocument"))
    assert [record.id for record in document.data] == [ID, FK]
    assert isinstance(document.included[0], m.Resource)
    assert document.included[0].type_ == "people"
    assert document.included[0].attributes.additional_properties == {"first_name": "Jane"}
    assert (document.meta.record_count, document.meta.page_count) == (12, 6)
    assert document.links.next_ == page["links"]["next"]
    assert document.links.prev == page["links"]["prev"]


@pytest.mark.anyio
@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_get_update_and_delete_address_one_record(case: Case, client: AuthenticatedClient) -> None:
    member = f"{case.path}/{ID}"
    patch = {"data": {"type": case.type, "id": ID, "attributes": dict(list(case.attributes.items())[:1])}}
    with respx.mock(base_url=BASE, assert_all_called=True) as mock:
        got = mock.get(member).mock(return_value=jsonapi(200, {"data": resource(case)}))
        patched = mock.patch(member).mock(return_value=jsonapi(200, {"data": resource(case)}))
        deleted = mock.delete(member).mock(return_value=jsonapi(204))
        fetched = await case.function("get").asyncio_detailed(ID, client=client)
        updated = await case.function("update").asyncio_detailed(
            ID, client=client, body=case.model_class("UpdateRequest").from_dict(patch)
        )
        removed = await case.function("delete").asyncio_detailed(ID, client=client)
    assert_request(got.calls.last.request, "GET", member, None)
    assert_request(patched.calls.last.request, "PATCH", member, patch)
    assert_request(deleted.calls.last.request, "DELETE", member, None)
    assert isinstance(fetched.parsed, case.model_class("Document"))
    assert isinstance(updated.parsed, case.model_class("Document"))
    assert removed.status_code == 204


@pytest.mark.anyio
async def test_error_documents_parse_with_pointers(client: AuthenticatedClient) -> None:
    errors = {
        "errors": [
            {
                "status": "422",
                "code": "inclusion",
                "title": "Invalid value",
                "detail": "hispanic_or_latino is not included in the list",
                "source": {"pointer": "/data/attributes/hispanic_or_latino"},
            }
        ]
    }
    body = {"data": {"type": "people", "attributes": {"first_name": "J", "last_name": "D"}}}
    with respx.mock(base_url=BASE) as mock:
        mock.post("/people/people").mock(return_value=jsonapi(422, errors))
        response = (
            await CASES[0]
            .function("create")
            .asyncio_detailed(client=client, body=m.PersonCreateRequest.from_dict(body))
        )
    assert isinstance(response.parsed, m.ErrorDocument)
    error = response.parsed.errors[0]
    assert not isinstance(error.source, Unset)
    assert error.source.pointer == "/data/attributes/hispanic_or_latino"


def test_enums_reject_undocumented_values() -> None:
    with pytest.raises(ValueError, match="maybe"):
        m.PersonCreateAttributes.from_dict(
            {"first_name": "J", "last_name": "D", "hispanic_or_latino": "maybe"}
        )


@pytest.mark.anyio
async def test_token_endpoint_posts_a_form_without_bearer() -> None:
    with respx.mock(base_url=BASE) as mock:
        route = mock.post("/oauth/token").mock(
            return_value=httpx.Response(
                200, json={"access_token": "t", "token_type": "Bearer", "expires_in": 3600}
            )
        )
        response = await create_token.asyncio_detailed(
            client=Client(base_url=BASE),
            body=m.TokenRequest(
                grant_type=m.TokenRequestGrantType.CLIENT_CREDENTIALS, client_id="id", client_secret="s"
            ),
        )
    request = route.calls.last.request
    assert "Authorization" not in request.headers
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert dict(httpx.QueryParams(request.content.decode())) == {
        "grant_type": "client_credentials",
        "client_id": "id",
        "client_secret": "s",
    }
    assert isinstance(response.parsed, m.TokenResponse)
    assert response.parsed.expires_in == 3600


@pytest.mark.anyio
async def test_the_generated_client_flattens_deep_object_filters(client: AuthenticatedClient) -> None:
    """The known trap, pinned: this is why casebook_async encodes JSON:API queries itself."""
    with respx.mock(base_url=BASE) as mock:
        route = mock.get("/people/people").mock(return_value=jsonapi(200, {"data": []}))
        await list_people.asyncio_detailed(
            client=client, filter_=m.ListPeopleFilter.from_dict({"last_name": {"like": "Doe"}})
        )
    query = route.calls.last.request.url.query.decode()
    assert "filter%5Blast_name%5D%5Blike%5D" not in query
    assert "last_name=" in query


@pytest.mark.parametrize(
    "region", ["https://api.casebook.net", "https://api.casebookca.net", "http://127.0.0.1:8080"]
)
def test_the_client_targets_any_base_url(region: str) -> None:
    client = AuthenticatedClient(base_url=region, token="t")
    assert client.get_async_httpx_client().base_url == httpx.URL(region)
