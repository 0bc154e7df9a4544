"""All the sandbox knows about Casebook comes from spec/: routes, types, attributes, keys, roles, limits.

The documents are loaded once per process; `resources()` turns them into small immutable descriptions.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

JSON = dict[str, Any]
Verb = Literal["list", "get", "create", "update", "delete"]
RelationKind = Literal["to_one", "to_many_ids", "to_many_reverse"]

# The C loader is ~10x faster; the pure-Python one is the fallback when libyaml is missing.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def spec_dir() -> Path:
    """A wheel carries the spec inside the package; a source checkout reads the repository's spec/."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "spec", here.parents[1] / "spec"):
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    raise FileNotFoundError(f"Casebook spec documents not found next to {here}")


@functools.cache
def documents() -> dict[str, JSON]:
    """Raw OpenAPI documents by service name (file stem). Callers must not mutate them."""
    return {
        path.stem: yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe loader
        for path in sorted(spec_dir().glob("*.yaml"))
    }


def resolve(doc: JSON, node: JSON) -> JSON:
    """Follow local `$ref`s (the documents only reference their own components)."""
    while "$ref" in node:
        target: Any = doc
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


@dataclass(frozen=True)
class Attribute:
    name: str
    type: str  # string, integer, number, boolean, array
    format: str | None = None
    enum: tuple[Any, ...] | None = None
    nullable: bool = False
    read_only: bool = False
    minimum: float | None = None
    maximum: float | None = None
    item_type: str | None = None
    foreign_key: str | None = None  # a JSON:API type, "record_type" (polymorphic) or "<type>.<attribute>"
    default: Any = None  # the spec's `default`, applied when a create leaves the attribute out

    @property
    def comparable(self) -> bool:
        """The documented range operators (g, ge, l, le) apply to dates and numbers."""
        return self.type in ("integer", "number") or self.format in ("date", "date-time")


@dataclass(frozen=True)
class Relationship:
    name: str
    kind: RelationKind
    target: str  # JSON:API type of the related records
    attribute: (
        str  # to_one/to_many_ids: our *_id(s) attribute; to_many_reverse: the target's key pointing here
    )


@dataclass(frozen=True)
class Resource:
    service: str
    type: str
    path: str  # collection path, e.g. /people/people
    schema: str  # schema name prefix, e.g. "Person" (Person, PersonAttributes, PersonCreateAttributes, ...)
    attributes: dict[str, Attribute]
    required: tuple[str, ...]  # required on create
    relationships: dict[str, Relationship] = field(default_factory=dict)
    roles: dict[Verb, tuple[str, ...]] = field(default_factory=dict)
    page_size_default: int = 10
    page_size_max: int = 100

    @property
    def writable(self) -> dict[str, Attribute]:
        return {name: attr for name, attr in self.attributes.items() if not attr.read_only}


_VERBS: dict[tuple[bool, str], Verb] = {
    (False, "get"): "list",
    (False, "post"): "create",
    (True, "get"): "get",
    (True, "patch"): "update",
    (True, "delete"): "delete",
}


def _attribute(name: str, schema: JSON) -> Attribute:
    enum = schema.get("enum")
    items = schema.get("items") or {}
    return Attribute(
        name=name,
        type=schema.get("type", "string"),
        format=schema.get("format"),
        enum=tuple(enum) if enum is not None else None,
        nullable=bool(schema.get("nullable", False)),
        read_only=bool(schema.get("readOnly", False)),
        minimum=schema.get("minimum"),
        maximum=schema.get("maximum"),
        item_type=items.get("type"),
        foreign_key=schema.get("x-foreign-key"),
        default=schema.get("default"),
    )


def _resource_type(doc: JSON, list_op: JSON) -> tuple[str, str]:
    """The JSON:API type and the schema prefix (e.g. "people", "Person") from the list response schema."""
    content = resolve(doc, list_op["responses"]["200"])["content"]["application/vnd.api+json"]
    collection = resolve(doc, content["schema"])
    item_ref: str = collection["properties"]["data"]["items"]["$ref"]
    prefix = item_ref.rsplit("/", 1)[-1]
    item = resolve(doc, collection["properties"]["data"]["items"])
    type_enum = resolve(doc, item["properties"]["type"])["enum"]
    return str(type_enum[0]), prefix


def _page_size_limits(doc: JSON, list_op: JSON) -> tuple[int, int]:
    for parameter in list_op.get("parameters", []):
        parameter = resolve(doc, parameter)
        if parameter["name"] == "page[size]":
            schema = parameter["schema"]
            return int(schema.get("default", 10)), int(schema["maximum"])
    return 10, 100


def _raw_resources(docs: Mapping[str, JSON]) -> list[tuple[Resource, JSON]]:
    found: list[tuple[Resource, JSON]] = []
    for service, doc in docs.items():
        schemas = doc.get("components", {}).get("schemas", {})
        for path, item in doc.get("paths", {}).items():
            if "{id}" in path or "get" not in item:
                continue
            type_, prefix = _resource_type(doc, item["get"])
            attrs_schema = schemas[f"{prefix}Attributes"]
            create_schema = schemas[f"{prefix}CreateAttributes"]
            roles: dict[Verb, tuple[str, ...]] = {}
            for member_path, is_member in ((path, False), (f"{path}/{{id}}", True)):
                for method, operation in doc["paths"].get(member_path, {}).items():
                    verb = _VERBS.get((is_member, method))
                    if verb is not None:
                        roles[verb] = tuple(operation.get("x-casebook-roles", ()))
            default_size, max_size = _page_size_limits(doc, item["get"])
            resource = Resource(
                service=service,
                type=type_,
                path=path,
                schema=prefix,
                attributes={n: _attribute(n, s) for n, s in attrs_schema.get("properties", {}).items()},
                required=tuple(create_schema.get("required", ())),
                roles=roles,
                page_size_default=default_size,
                page_size_max=max_size,
            )
            found.append((resource, schemas.get(f"{prefix}Relationships", {})))
    return found


def _relationship(resource: Resource, name: str, by_type: dict[str, Resource], raw: JSON) -> Relationship:
    """Map a relationship name onto the foreign key carrying it (the spec links through *_id attributes)."""
    is_many = raw.get("$ref", "").endswith("ToManyRelationship")
    attrs = resource.attributes
    if not is_many:
        candidates = [f"{name}_id"] if f"{name}_id" in attrs else []
        candidates = candidates or [
            a for a in attrs if a.startswith(f"{name}_") and a.endswith("_id") and attrs[a].foreign_key
        ]
        if len(candidates) == 1 and attrs[candidates[0]].foreign_key in by_type:
            fk = candidates[0]
            return Relationship(name, "to_one", str(attrs[fk].foreign_key), fk)
    else:
        ids = [a for a, spec in attrs.items() if spec.type == "array" and spec.foreign_key == name]
        if len(ids) == 1:
            return Relationship(name, "to_many_ids", name, ids[0])
        target = by_type.get(name)
        if target is not None:
            back = [a for a, spec in target.attributes.items() if spec.foreign_key == resource.type]
            if len(back) == 1:
                return Relationship(name, "to_many_reverse", name, back[0])
    raise ValueError(f"spec: cannot map relationship {resource.type}.{name} onto a foreign key")


@functools.cache
def resources() -> dict[str, Resource]:
    """Every JSON:API resource in spec/, by type."""
    return build_resources(documents())


def build_resources(docs: Mapping[str, JSON]) -> dict[str, Resource]:
    """Every JSON:API resource the given documents (by service name) describe, by type.

    scripts/generate.py derives the facade's resource table from this too (loading this module by path:
    it imports nothing but PyYAML, so regeneration works even while the facade cannot be imported).
    """
    raw = _raw_resources(docs)
    by_type = {resource.type: resource for resource, _ in raw}
    for resource, relationships_schema in raw:
        for name, rel_schema in relationships_schema.get("properties", {}).items():
            resource.relationships[name] = _relationship(resource, name, by_type, rel_schema)
    return by_type


@functools.cache
def all_roles() -> frozenset[str]:
    return frozenset(role for r in resources().values() for roles in r.roles.values() for role in roles)
