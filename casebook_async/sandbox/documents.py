"""Records → JSON:API resource objects, with relationship linkage, side-loading and sparse fieldsets."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .linkage import key_attributes
from .spec import Relationship, Resource
from .store import Record, Store

AttributeHook = Callable[[Record, dict[str, Any]], None]


class Serializer:
    def __init__(
        self,
        store: Store,
        base_url: str,
        hook: AttributeHook | None = None,
        *,
        keys_as_attributes: bool = True,
    ) -> None:
        self.store = store
        self.base_url = base_url.rstrip("/")
        self.hook = hook
        self.keys_as_attributes = keys_as_attributes  # else foreign keys show only as relationships

    def _resource(self, type_: str) -> Resource:
        return self.store.resources[type_]

    def related(self, record: Record, rel: Relationship) -> list[Record]:
        """Live records on the other side of a relationship (deleted ones drop out)."""
        if rel.kind == "to_many_reverse":
            return self.store.collection(rel.target).lookup(rel.attribute, record.id)
        value = record.attributes.get(rel.attribute)
        ids = value if isinstance(value, list) else [value]
        found = (self.store.get(rel.target, i) for i in ids if isinstance(i, str))
        return [r for r in found if r is not None]

    def _linkage(self, record: Record, rel: Relationship) -> Any:
        if rel.kind == "to_one":
            value = record.attributes.get(rel.attribute)
            return {"type": rel.target, "id": value} if isinstance(value, str) else None
        if rel.kind == "to_many_ids":
            ids = record.attributes.get(rel.attribute) or []
            return [{"type": rel.target, "id": i} for i in ids]
        return [{"type": rel.target, "id": r.id} for r in self.related(record, rel)]

    def resource_object(self, record: Record, fields: dict[str, frozenset[str]]) -> dict[str, Any]:
        resource = self._resource(record.type)
        wanted = fields.get(record.type)
        attributes = dict(record.attributes)
        if self.hook is not None:
            self.hook(record, attributes)
        if not self.keys_as_attributes:
            for name in key_attributes(resource):
                attributes.pop(name, None)
        if wanted is not None:
            attributes = {k: v for k, v in attributes.items() if k in wanted}
        self_link = f"{self.base_url}{resource.path}/{record.id}"
        document: dict[str, Any] = {"type": record.type, "id": record.id, "attributes": attributes}
        relationships = {
            name: {"data": self._linkage(record, rel)}
            for name, rel in resource.relationships.items()
            if wanted is None or name in wanted
        }
        if relationships:
            document["relationships"] = relationships
        document["links"] = {"self": self_link}
        return document

    def included(
        self, primary: Iterable[Record], include: list[str], fields: dict[str, frozenset[str]]
    ) -> list[dict[str, Any]]:
        primary = list(primary)
        seen = {(r.type, r.id) for r in primary}
        out: list[dict[str, Any]] = []
        for record in primary:
            resource = self._resource(record.type)
            for name in include:
                for other in self.related(record, resource.relationships[name]):
                    if (other.type, other.id) not in seen:
                        seen.add((other.type, other.id))
                        out.append(self.resource_object(other, fields))
        return out
