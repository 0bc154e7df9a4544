"""Writes with Casebook's rules: required fields, foreign keys, server-set fields, soft delete."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from .errors import ApiError, ErrorObject, invalid
from .spec import Attribute, Resource
from .store import Record, Store
from .validation import timestamp

TIMESTAMPS = ("created_at", "updated_at")
POLYMORPHIC = "record_type"  # x-foreign-key value meaning: the type is named by the sibling record_type


class Records:
    def __init__(self, store: Store, now: Callable[[], datetime]) -> None:
        self.store = store
        self.now = now
        # Read-only attributes some other key points at ("<type>.<attr>") are ids the server hands out.
        self.generated: dict[str, set[str]] = {}
        for resource in store.resources.values():
            for attr in resource.attributes.values():
                if attr.foreign_key and "." in attr.foreign_key:
                    type_, name = attr.foreign_key.split(".", 1)
                    self.generated.setdefault(type_, set()).add(name)

    def _exists(self, attr: Attribute, value: Any, merged: dict[str, Any]) -> bool:
        fk = str(attr.foreign_key)
        if fk == POLYMORPHIC:
            target = merged.get(POLYMORPHIC)
            return isinstance(target, str) and self.store.get(target, value) is not None
        if "." in fk:
            type_, name = fk.split(".", 1)
            return self.store.collection(type_).has(name, value)
        return self.store.get(fk, value) is not None

    def foreign_key_errors(
        self,
        resource: Resource,
        changes: dict[str, Any],
        merged: dict[str, Any],
        pointers: dict[str, str] | None = None,
    ) -> list[ErrorObject]:
        """Every foreign key being set (or whose polymorphic type changes) must point at a live record.
        ``pointers`` names where a key came from when a relationship set it (else its attribute)."""
        errors: list[ErrorObject] = []
        for attr in resource.attributes.values():
            if attr.foreign_key is None:
                continue
            retyped = attr.foreign_key == POLYMORPHIC and POLYMORPHIC in changes
            if attr.name not in changes and not retyped:
                continue
            value = merged.get(attr.name)
            values = value if isinstance(value, list) else [value]
            for index, item in enumerate(values):
                if item is None or self._exists(attr, item, merged):
                    continue
                base = (pointers or {}).get(attr.name, f"/data/attributes/{attr.name}")
                pointer = base + (f"/{index}" if isinstance(value, list) else "")
                target = (
                    f"the type named by {POLYMORPHIC}"
                    if attr.foreign_key == POLYMORPHIC
                    else attr.foreign_key
                )
                errors.append(
                    invalid(
                        pointer,
                        "foreign_key",
                        f"`{attr.name}` {item!r} does not reference an existing {target}.",
                    )
                )
        return errors

    def _server_fields(self, resource: Resource, attributes: dict[str, Any], created: str) -> None:
        for name in self.generated.get(resource.type, ()):
            attributes[name] = self.store.new_id()
        for name in TIMESTAMPS:
            if name in resource.attributes:
                attributes[name] = created

    def build(self, resource: Resource, given: dict[str, Any], created: str | None = None) -> dict[str, Any]:
        """Attributes of a new record: absent ones take the spec's default, else null where nullable,
        else stay absent."""
        attributes: dict[str, Any] = {}
        for name, attr in resource.attributes.items():  # spec order first, then tenant custom fields
            if name in given:
                attributes[name] = given[name]
            elif attr.default is not None:
                attributes[name] = attr.default
            elif attr.nullable and not attr.read_only:
                attributes[name] = None
        attributes.update(given)
        self._server_fields(resource, attributes, created or timestamp(self.now()))
        return attributes

    def create(
        self,
        resource: Resource,
        given: dict[str, Any],
        pointers: dict[str, str] | None = None,
        at: datetime | None = None,
    ) -> Record:
        """``at``: when the write arrived, if it commits later (its timestamps say when it arrived).
        ``pointers``: where each foreign key came from when a relationship set it (for its errors)."""
        errors = self.foreign_key_errors(resource, given, given, pointers)
        if errors:
            raise ApiError(errors)
        return self.store.insert(resource.type, self.build(resource, given, timestamp(at or self.now())))

    def update(
        self,
        resource: Resource,
        record: Record,
        changes: dict[str, Any],
        pointers: dict[str, str] | None = None,
        at: datetime | None = None,
    ) -> None:
        errors = self.foreign_key_errors(resource, changes, {**record.attributes, **changes}, pointers)
        if errors:
            raise ApiError(errors)
        changes = dict(changes)
        if "updated_at" in resource.attributes:
            changes["updated_at"] = timestamp(at or self.now())
        self.store.update(record, changes)

    def delete(self, record: Record) -> None:
        self.store.delete(record)
