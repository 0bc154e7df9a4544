"""Request-document validation against the attribute schemas in spec/ (422 with a source.pointer per problem).

Hand-written rather than a JSON Schema library: the subset is small, and each problem needs its own pointer,
code and message the way a JSON:API server reports them.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from .errors import ErrorObject, api_error, invalid
from .spec import Attribute, Resource

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
# JSON:API answers a `data.type` or `data.id` that does not match the endpoint with 409 (spec/: Conflict).
MISMATCH_STATUS = 409
_TYPE_NAMES = {"string": str, "boolean": bool, "array": list, "object": dict}


def parse_date(text: str) -> date | None:
    if not _DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_date_time(text: str) -> datetime | None:
    if not _DATE_TIME.match(text):
        return None
    try:
        return datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None


def _type_ok(type_: str, value: Any) -> bool:
    if type_ == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_ == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    expected = _TYPE_NAMES.get(type_)
    return expected is None or isinstance(value, expected)


def value_problem(attr: Attribute, value: Any) -> str | None:
    """Why `value` is not acceptable for `attr`, or None when it is."""
    if value is None:
        return None if attr.nullable else "must not be null"
    if not _type_ok(attr.type, value):
        return f"must be of type {attr.type}"
    if attr.enum is not None and value not in attr.enum:
        return "must be one of: " + ", ".join(repr(v) for v in attr.enum)
    if attr.type == "array" and attr.item_type and not all(_type_ok(attr.item_type, v) for v in value):
        return f"must contain only values of type {attr.item_type}"
    if isinstance(value, str):
        if attr.format == "date" and parse_date(value) is None:
            return "must be a date (YYYY-MM-DD)"
        if attr.format == "date-time" and parse_date_time(value) is None:
            return "must be an RFC 3339 date-time"
        if attr.format == "email" and not _EMAIL.match(value):
            return "must be an email address"
    if isinstance(value, int | float):
        if attr.minimum is not None and value < attr.minimum:
            return f"must be at least {attr.minimum:g}"
        if attr.maximum is not None and value > attr.maximum:
            return f"must be at most {attr.maximum:g}"
    return None


def check_document(body: Any, resource: Resource, *, url_id: str | None) -> tuple[dict[str, Any], Any]:
    """Structural checks shared by create and update; returns the attributes object and the relationships
    member as given (None when absent; sandbox/linkage.py reads it)."""
    if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
        raise api_error(
            400,
            "invalid_document",
            "Invalid document",
            "The body must be an object with `data`.",
            pointer="/data",
        )
    data = body["data"]
    if "type" not in data:
        raise api_error(
            400, "invalid_document", "Invalid document", "`data.type` is required.", pointer="/data/type"
        )
    if data["type"] != resource.type:
        raise api_error(
            MISMATCH_STATUS,
            "type_mismatch",
            "Mismatched type",
            f"`data.type` must be {resource.type!r} at this endpoint.",
            pointer="/data/type",
        )
    if url_id is not None:
        if "id" not in data:
            raise api_error(
                400, "invalid_document", "Invalid document", "`data.id` is required.", pointer="/data/id"
            )
        if data["id"] != url_id:
            raise api_error(
                MISMATCH_STATUS,
                "id_mismatch",
                "Mismatched id",
                "`data.id` must match the id in the URL.",
                pointer="/data/id",
            )
    attributes = data.get("attributes", {} if url_id is not None else None)
    if not isinstance(attributes, dict):
        raise api_error(
            400,
            "invalid_document",
            "Invalid document",
            "`data.attributes` must be an object.",
            pointer="/data/attributes",
        )
    relationships = data.get("relationships")
    if "relationships" in data and not isinstance(relationships, dict):
        raise api_error(
            400,
            "invalid_document",
            "Invalid document",
            "`data.relationships` must be an object.",
            pointer="/data/relationships",
        )
    return attributes, relationships


def attribute_errors(attributes: dict[str, Any], resource: Resource, *, creating: bool) -> list[ErrorObject]:
    """Type, enum, format and range problems, plus missing required attributes on create."""
    errors: list[ErrorObject] = []
    for name, value in attributes.items():
        pointer = f"/data/attributes/{name}"
        attr = resource.attributes.get(name)
        if attr is None:
            continue  # additionalProperties: tenant custom fields are stored as given
        if attr.read_only:
            errors.append(invalid(pointer, "read_only", f"`{name}` is set by the server."))
            continue
        problem = value_problem(attr, value)
        if problem is not None:
            errors.append(invalid(pointer, "invalid_value", f"`{name}` {problem}."))
    if creating:
        for name in resource.required:
            if name not in attributes:
                errors.append(invalid(f"/data/attributes/{name}", "required", f"`{name}` is required."))
    return errors


def timestamp(moment: datetime) -> str:
    """Server timestamps: UTC, millisecond precision, `Z` suffix."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
