"""Create and update documents: attributes *and* relationships, and a check that the links were kept.

Casebook's docs say create and update bodies carry "attributes and relationships", and call a foreign key "a
relationship field that points to another entity"; our inferred spec models each foreign key as a ``*_id``
attribute (``provider_id``, ``location_ids``). A server that takes foreign keys only as relationships
ignores such an attribute and silently drops the link; one that takes them only as attributes ignores
relationships. So, by default (``foreign_keys="both"``), a foreign key goes out both ways, and the answer is
read back: a relationship the server's answer contradicts raises ``RelationshipNotSavedError`` (the record
was written, without the link). ``"relationships"`` sends linkage only (for servers that refuse unknown
attributes, e.g. JSONAPI::Resources), ``"attributes"`` the ``*_id`` attributes only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal, Protocol, TypeVar

from .errors import InvalidInputError

ForeignKeys = Literal["both", "relationships", "attributes"]
FOREIGN_KEYS: Final = ("both", "relationships", "attributes")
# A relationship given by id: a string (to-one), None (clear a to-one), a sequence of strings (to-many).
Linkage = str | Sequence[str] | None


class Relationship(Protocol):
    """What a write needs of a relationship (resources.RelationshipSpec has it)."""

    @property
    def name(self) -> str: ...
    @property
    def to_many(self) -> bool: ...
    @property
    def target(self) -> str: ...
    @property
    def attribute(self) -> str | None: ...


Relationships = Mapping[str, Relationship]


R = TypeVar("R", bound=Relationship)


def relationship(type_: str, relationships: Mapping[str, R], name: str) -> R:
    """The relationship ``name`` of ``type_``; InvalidInputError naming the known ones if there is none."""
    spec = relationships.get(name)
    if spec is None:
        known = ", ".join(sorted(relationships)) or "none"
        raise InvalidInputError(f"{type_}: no relationship {name!r} (known: {known})")
    return spec


def merge_relationships(
    type_: str,
    relationships: Relationships,
    given: Mapping[str, Linkage] | None,
    attributes: Mapping[str, Any],
) -> dict[str, Any]:
    """``attributes`` with each relationship given by name set on its foreign-key attribute; local errors
    for unknown names, reverse relationships, wrong shapes, and a key given twice with two values."""
    merged = dict(attributes)
    if given is None:
        return merged
    if not isinstance(given, Mapping):
        raise InvalidInputError(f"{type_}: relationships must be a mapping of name to id(s)")
    for name, value in given.items():
        spec = relationship(type_, relationships, name)
        if spec.attribute is None:
            raise InvalidInputError(
                f"{type_}.{name} is written from the other side (the {spec.target} records' key to {type_})"
            )
        _check_linkage(type_, spec, value)
        ids = list(value) if spec.to_many and value is not None else value
        if spec.attribute in merged and merged[spec.attribute] != ids:
            raise InvalidInputError(
                f"{type_}: {spec.attribute} and relationships[{name!r}] give different values"
            )
        merged[spec.attribute] = ids
    return merged


def _check_linkage(type_: str, spec: Relationship, value: Any) -> None:
    where = f"{type_}: relationships[{spec.name!r}]"
    if spec.to_many:
        if isinstance(value, str | bytes) or not isinstance(value, Sequence):
            raise InvalidInputError(f"{where} is to-many: pass a list of ids, got {type(value).__name__}")
        bad = [v for v in value if not isinstance(v, str) or not v]
        if bad:
            raise InvalidInputError(f"{where}: ids must be non-empty strings, got {bad[0]!r}")
    elif value is not None and (not isinstance(value, str) or not value):
        raise InvalidInputError(f"{where} is to-one: pass an id (a non-empty string) or None, got {value!r}")


def _identifier(target: str, id_: Any) -> dict[str, Any]:
    return {"type": target, "id": id_}


def write_data(
    type_: str,
    relationships: Relationships,
    attributes: Mapping[str, Any],
    foreign_keys: ForeignKeys,
    id_: str | None = None,
) -> dict[str, Any]:
    """The ``data`` member of a create (``id_`` None) or update document. Foreign-key attributes are sent
    as attributes, as relationship linkage, or both (``foreign_keys``)."""
    linkage: dict[str, Any] = {}
    sent = dict(attributes)
    for spec in relationships.values():
        if spec.attribute is None or spec.attribute not in attributes:
            continue
        value = attributes[spec.attribute]
        if spec.to_many:
            ids = value if isinstance(value, list) else []
            linkage[spec.name] = {"data": [_identifier(spec.target, i) for i in ids]}
        else:
            linkage[spec.name] = {"data": None if value is None else _identifier(spec.target, value)}
        if foreign_keys == "relationships":
            del sent[spec.attribute]
    data: dict[str, Any] = {"type": type_}
    if id_ is not None:
        data["id"] = id_
    data["attributes"] = sent
    if linkage and foreign_keys != "attributes":
        data["relationships"] = linkage
    return data


def _said_ids(spec: Relationship, value: Any) -> Any:
    """A foreign key's value as comparable ids: a sorted list for to-many, the id or None for to-one."""
    if spec.to_many:
        return sorted(str(v) for v in value) if isinstance(value, list) else value
    return value


def _linkage_ids(spec: Relationship, linkage: Any) -> Any:
    data = linkage.get("data", ...) if isinstance(linkage, Mapping) else ...
    if data is ...:  # only links, or nothing: the server does not say
        return ...
    if spec.to_many:
        items = data if isinstance(data, list) else []
        return sorted(str(i.get("id")) for i in items if isinstance(i, Mapping))
    return str(data["id"]) if isinstance(data, Mapping) and "id" in data else None


def unsaved(relationships: Relationships, attributes: Mapping[str, Any], answer: Any) -> list[str]:
    """Names of the relationships written (by their foreign-key ``attributes``) that the server's answer
    (the raw ``data`` resource object) shows with another value. An answer that shows neither the
    attribute nor linkage data says nothing, and contradicts nothing."""
    if not isinstance(answer, Mapping):
        return []
    shown = answer.get("attributes")
    shown = shown if isinstance(shown, Mapping) else {}
    linked = answer.get("relationships")
    linked = linked if isinstance(linked, Mapping) else {}
    dropped = []
    for spec in relationships.values():
        if spec.attribute is None or spec.attribute not in attributes:
            continue
        expected = _said_ids(spec, attributes[spec.attribute])
        said = []
        if spec.attribute in shown:
            said.append(_said_ids(spec, shown[spec.attribute]))
        if spec.name in linked:
            said.append(_linkage_ids(spec, linked[spec.name]))
        if any(value is not ... and value != expected for value in said):
            dropped.append(spec.name)
    return dropped
