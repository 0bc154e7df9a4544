"""Foreign keys in request documents: ``*_id`` attributes and/or relationship linkage, as the conventions say.

The records store foreign keys as attributes (spec/: ``x-foreign-key``); a relationship of the spec maps onto
one of them (sandbox/spec.py). Casebook's docs say write bodies carry "attributes and relationships", so
relationships are always read; ``*_id`` attributes are read, silently ignored, or refused by convention.
"""

from __future__ import annotations

from typing import Any

from .conventions import Conventions
from .errors import ApiError, ErrorObject, api_error, invalid
from .spec import Relationship, Resource

RELATIONSHIPS_POINTER = "/data/relationships"


def key_attributes(resource: Resource) -> dict[str, Relationship]:
    """Foreign-key attributes a relationship of this resource writes, by attribute name."""
    return {r.attribute: r for r in resource.relationships.values() if r.kind != "to_many_reverse"}


def _linkage_ids(rel: Relationship, raw: Any) -> tuple[Any, list[ErrorObject]]:
    """The foreign-key value a relationship object sets, or the problems with it."""
    pointer = f"{RELATIONSHIPS_POINTER}/{rel.name}"
    if not isinstance(raw, dict) or "data" not in raw:
        return None, [
            invalid(pointer, "invalid_relationship", f"`{rel.name}` must be an object with `data`.")
        ]
    data = raw["data"]
    items = data if rel.kind == "to_many_ids" else [data]
    if rel.kind == "to_many_ids" and not isinstance(data, list):
        return None, [
            invalid(f"{pointer}/data", "invalid_relationship", f"`{rel.name}` is to-many: an array.")
        ]
    if rel.kind == "to_one" and data is None:
        return None, []
    errors: list[ErrorObject] = []
    for index, item in enumerate(items):
        where = f"{pointer}/data" + (f"/{index}" if rel.kind == "to_many_ids" else "")
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or "type" not in item:
            errors.append(
                invalid(where, "invalid_relationship", "A resource identifier needs `type` and `id`.")
            )
        elif item["type"] != rel.target:
            errors.append(
                ErrorObject(
                    409, "type_mismatch", "Mismatched type", f"`{rel.name}` links {rel.target}.", where
                )
            )
    ids = [item["id"] for item in items] if not errors else None
    return (ids if rel.kind == "to_many_ids" else ids[0] if ids else None), errors


def foreign_keys(
    resource: Resource,
    conventions: Conventions,
    attributes: dict[str, Any],
    relationships: dict[str, Any] | None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The attributes to store, with the keys the request's relationships set, and the pointer that set each
    key (for errors about its target); ApiError for what this server refuses."""
    keys = key_attributes(resource)
    attributes = dict(attributes)
    pointers: dict[str, str] = {}
    given = [name for name in attributes if name in keys]
    if given and conventions.foreign_keys == "strict":
        raise api_error(
            400,
            "param_not_allowed",
            "Param not allowed",
            f"`{given[0]}` is not an attribute; set `{keys[given[0]].name}` in relationships.",
            pointer=f"/data/attributes/{given[0]}",
        )
    if conventions.foreign_keys == "relationships":
        for name in given:
            del attributes[name]  # as a stock server would: an unknown attribute, dropped
    if relationships is None:
        return attributes, pointers
    errors: list[ErrorObject] = []
    for name, raw in relationships.items():
        rel = resource.relationships.get(name)
        pointer = f"{RELATIONSHIPS_POINTER}/{name}"
        if rel is None:
            errors.append(
                ErrorObject(400, "unknown_relationship", "Unknown field", f"No `{name}` here.", pointer)
            )
            continue
        if rel.kind == "to_many_reverse":
            errors.append(
                ErrorObject(
                    403,
                    "read_only_relationship",
                    "Forbidden",
                    f"`{name}` is set through the {rel.target} records' `{rel.attribute}`.",
                    pointer,
                )
            )
            continue
        value, problems = _linkage_ids(rel, raw)
        errors.extend(problems)
        if problems:
            continue
        if rel.attribute in attributes and attributes[rel.attribute] != value:
            errors.append(
                invalid(pointer, "conflict", f"`{rel.attribute}` and relationship `{name}` disagree.")
            )
            continue
        if rel.attribute not in attributes:  # given both ways: errors point at the attribute
            pointers[rel.attribute] = f"{pointer}/data"
        attributes[rel.attribute] = value
    if errors:
        raise ApiError(errors)
    return attributes, pointers
