"""spec/ is valid OpenAPI, shaped as upstream publishes it, and encodes every documented constraint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

SPEC_DIR = Path(__file__).resolve().parents[2] / "spec"
DOCUMENTS = {path.stem: yaml.safe_load(path.read_text()) for path in sorted(SPEC_DIR.glob("*.yaml"))}
JSONAPI = "application/vnd.api+json"
METHODS = ("get", "post", "patch", "put", "delete")

# (service document, collection path, JSON:API type) — the resources the Foundation issue requires.
RESOURCES = [
    ("people", "/people/people", "people"),
    ("intake", "/intake/reports", "reports"),
    ("cases", "/cases/cases", "cases"),
    ("cases", "/cases/involvements", "involvements"),
    ("cases", "/cases/goals", "goals"),
    ("providers", "/providers/providers", "providers"),
    ("providers", "/providers/locations", "locations"),
    ("providers", "/providers/staff", "staff"),
    ("services", "/services/service_offerings", "service_offerings"),
    ("attachments", "/attachments/attachments", "attachments"),
    ("attachments", "/attachments/notes", "notes"),
    ("memberships", "/memberships/assignment_users", "assignment_users"),
    ("memberships", "/memberships/users", "users"),
    ("workflows", "/workflows/units_of_work", "units_of_work"),
]


def resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        _, *parts = node["$ref"].split("/")
        target: Any = doc
        for part in parts:
            target = target[part]
        node = target
    return node


def schema(service: str, name: str) -> dict[str, Any]:
    return DOCUMENTS[service]["components"]["schemas"][name]


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, m, item[m]) for path, item in doc["paths"].items() for m in METHODS if m in item]


def response_schema(doc: dict[str, Any], operation: dict[str, Any], status: str) -> dict[str, Any]:
    response = resolve(doc, operation["responses"][status])
    return resolve(doc, response["content"][JSONAPI]["schema"])


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_is_valid_openapi_3_0(name: str) -> None:
    assert DOCUMENTS[name]["openapi"].startswith("3.0.")
    validate(DOCUMENTS[name])


def test_one_document_per_service_with_both_regions() -> None:
    expected = {
        "people",
        "intake",
        "cases",
        "providers",
        "services",
        "attachments",
        "memberships",
        "workflows",
    }
    assert expected <= set(DOCUMENTS)
    for name, doc in DOCUMENTS.items():
        urls = [server["url"] for server in doc["servers"]]
        assert urls == ["https://api.casebook.net", "https://api.casebookca.net"], name


@pytest.mark.parametrize(("service", "path", "type_"), RESOURCES)
def test_resource_has_full_crud_with_jsonapi_query_parameters(service: str, path: str, type_: str) -> None:
    doc = DOCUMENTS[service]
    collection, member = doc["paths"][path], doc["paths"][path + "/{id}"]
    assert set(collection) >= {"get", "post"}
    assert set(member) >= {"get", "patch", "delete"}
    list_params = {resolve(doc, p)["name"]: resolve(doc, p) for p in collection["get"]["parameters"]}
    assert set(list_params) == {"fields", "filter", "include", "page", "page[size]", "sort"}
    assert list_params["filter"]["style"] == list_params["fields"]["style"] == "deepObject"
    assert list_params["page[size]"]["schema"]["default"] == 10  # documented: 10 records per page by default
    assert "204" in member["delete"]["responses"]
    assert "soft" in member["delete"]["description"].lower()
    created = response_schema(doc, collection["post"], "201")
    data = resolve(doc, created["properties"]["data"])
    assert resolve(doc, data["properties"]["type"])["enum"] == [type_]


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_operation_is_bearer_secured_except_the_token_endpoint(name: str) -> None:
    doc = DOCUMENTS[name]
    for path, method, operation in operations(doc):
        security = operation.get("security", doc.get("security"))
        if path == "/oauth/token":
            assert security == []
        else:
            assert security == [{"bearerAuth": []}], f"{method} {path}"
            assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


@pytest.mark.parametrize("name", sorted(set(DOCUMENTS) - {"oauth"}))
def test_bodies_are_jsonapi_documents_and_errors_have_pointers(name: str) -> None:
    doc = DOCUMENTS[name]
    for path, method, operation in operations(doc):
        if "requestBody" in operation:
            assert list(operation["requestBody"]["content"]) == [JSONAPI], f"{method} {path}"
        for status, response in operation["responses"].items():
            content = resolve(doc, response).get("content")
            if content is not None:
                assert list(content) == [JSONAPI], f"{method} {path} {status}"
            if status.startswith("4"):
                errors = response_schema(doc, operation, status)
                error = resolve(doc, errors["properties"]["errors"]["items"])
                assert {"status", "code", "title", "detail", "source"} <= set(error["properties"])
                assert "pointer" in resolve(doc, error["properties"]["source"])["properties"]
    collection = schema(
        name, next(k for k in doc["components"]["schemas"] if k.endswith("CollectionDocument"))
    )
    assert {"data", "included", "meta", "links"} <= set(collection["properties"])
    resource = schema(name, "Resource")
    assert {"id", "type", "attributes", "relationships", "links", "meta"} <= set(resource["properties"])


def test_hispanic_or_latino_is_the_documented_enum() -> None:
    for variant in ("PersonAttributes", "PersonCreateAttributes", "PersonUpdateAttributes"):
        values = schema("people", variant)["properties"]["hispanic_or_latino"]["enum"]
        assert values == ["yes", "no", "unable to determine", "unknown"]


def test_attachment_file_limit_and_presigned_upload_url() -> None:
    assert (
        schema("attachments", "AttachmentCreateAttributes")["properties"]["file_size"]["maximum"]
        == 10 * 1024 * 1024
    )
    assert "file_size" in schema("attachments", "AttachmentCreateAttributes")["required"]
    doc = DOCUMENTS["attachments"]
    created = response_schema(doc, doc["paths"]["/attachments/attachments"]["post"], "201")
    attributes = resolve(doc, resolve(doc, created["properties"]["data"])["properties"]["attributes"])
    upload_url = attributes["properties"]["upload_url"]
    assert upload_url["format"] == "uri"
    assert upload_url["readOnly"] is True
    assert "upload_url" not in schema("attachments", "AttachmentCreateAttributes")["properties"]


def test_provider_and_location_relate_both_ways() -> None:
    provider = schema("providers", "ProviderRelationships")["properties"]
    location = schema("providers", "LocationRelationships")["properties"]
    assert provider["locations"]["$ref"].endswith("/ToManyRelationship")
    assert location["provider"]["$ref"].endswith("/ToOneRelationship")
    assert (
        schema("providers", "ProviderUpdateAttributes")["properties"]["location_ids"]["x-foreign-key"]
        == "locations"
    )
    assert (
        schema("providers", "LocationCreateAttributes")["properties"]["provider_id"]["x-foreign-key"]
        == "providers"
    )


def test_units_of_work_and_assignment_users() -> None:
    assignment_id = schema("workflows", "UnitOfWorkAttributes")["properties"]["assignment_id"]
    assert assignment_id["readOnly"] is True
    assert set(schema("memberships", "AssignmentUserCreateAttributes")["required"]) == {
        "assignment_id",
        "user_id",
    }


@pytest.mark.parametrize(("service", "path", "type_"), RESOURCES)
def test_required_fields_and_roles_are_declared(service: str, path: str, type_: str) -> None:
    doc = DOCUMENTS[service]
    post = doc["paths"][path]["post"]
    request = resolve(doc, post["requestBody"]["content"][JSONAPI]["schema"])
    attributes = resolve(doc, resolve(doc, request["properties"]["data"])["properties"]["attributes"])
    assert attributes["required"], f"{type_} declares no required attribute"
    assert set(attributes["required"]) <= set(attributes["properties"])
    for _, method, operation in operations({"paths": {path: doc["paths"][path]}}):
        assert operation["x-casebook-roles"], method


def test_documented_roles_are_verbatim() -> None:
    providers = DOCUMENTS["providers"]["paths"]["/providers/providers"]
    assert providers["post"]["x-casebook-roles"] == ["Providers - Create"]
    assert DOCUMENTS["cases"]["paths"]["/cases/cases"]["get"]["x-casebook-roles"] == [
        "Engage - View",
        "People - View",
    ]


def test_inferred_parts_are_marked() -> None:
    """What the docs do not say is distinguishable from what they do."""
    assert DOCUMENTS["workflows"]["info"]["x-inferred"] is True
    assert DOCUMENTS["oauth"]["info"]["x-inferred"] is True
    assert schema("people", "CollectionMeta")["x-inferred"] is True
    person = schema("people", "PersonAttributes")["properties"]
    assert "x-inferred" not in person["hispanic_or_latino"]
    assert person["gender"]["x-inferred"] is True
