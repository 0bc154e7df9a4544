"""In-memory records with soft delete, kept in insertion order so unfiltered pages cost O(page), plus
sorted indexes so keyset and offset pages over a sort key cost O(log n + page), not a scan and a sort."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sortedcontainers import SortedList

from .spec import Resource


class Record:
    __slots__ = ("attributes", "deleted", "id", "type")

    def __init__(self, type_: str, id_: str, attributes: dict[str, Any]) -> None:
        self.type = type_
        self.id = id_
        self.attributes = attributes
        self.deleted = False

    def to_plain(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "attributes": dict(self.attributes)}


class SortIndex:
    """Live records ordered by (normalised value, id): what ``sort=<attribute>,id`` returns. Records whose
    value is null are kept apart (``nulls``), since null sorts after every value."""

    def __init__(self, normalise: Callable[[Any], Any]) -> None:
        self.normalise = normalise  # stored value -> comparable value (timestamps parsed once, here)
        self.keys: SortedList = SortedList()
        self.nulls: set[str] = set()

    def key(self, record: Record, attribute: str) -> tuple[Any, str] | None:
        value = self.normalise(record.attributes.get(attribute))
        return None if value is None else (value, record.id)

    def add(self, record: Record, attribute: str) -> None:
        key = self.key(record, attribute)
        if key is None:
            self.nulls.add(record.id)
        else:
            self.keys.add(key)

    def remove(self, record: Record, attribute: str) -> None:
        key = self.key(record, attribute)
        if key is None:
            self.nulls.discard(record.id)
        else:
            self.keys.discard(key)


@dataclass(frozen=True)
class Write:
    method: str  # POST, PATCH or DELETE
    type: str
    id: str


class Collection:
    """One resource type. `live` preserves creation order; deleted records stay in `everything`."""

    def __init__(self, resource: Resource, indexed: Iterable[str]) -> None:
        self.resource = resource
        self.everything: dict[str, Record] = {}
        self.live: dict[str, Record] = {}
        self._snapshot: list[Record] | None = None
        # attribute -> value -> ids (dict as an ordered set): foreign-key lookups without scanning.
        self.indexes: dict[str, dict[Any, dict[str, None]]] = {name: {} for name in indexed}
        self.sort_indexes: dict[str, SortIndex] = {}  # built on first use (see sort_index)

    def live_list(self) -> list[Record]:
        if self._snapshot is None:
            self._snapshot = list(self.live.values())
        return self._snapshot

    def get(self, id_: str) -> Record | None:
        return self.live.get(id_)

    def lookup(self, attribute: str, value: Any) -> list[Record]:
        ids = self.indexes[attribute].get(value, {})
        return [self.live[i] for i in ids]

    def has(self, attribute: str, value: Any) -> bool:
        return bool(self.indexes[attribute].get(value))

    def sort_index(self, attribute: str, normalise: Callable[[Any], Any]) -> SortIndex:
        """The sorted index of ``attribute``, built from the live records the first time it is asked for
        and kept current by every write from then on."""
        index = self.sort_indexes.get(attribute)
        if index is None:
            index = SortIndex(normalise)
            for record in self.live.values():
                index.add(record, attribute)
            self.sort_indexes[attribute] = index
        return index

    def _sort_indexes(self, record: Record, add: bool, only: Iterable[str] | None = None) -> None:
        for name, index in self.sort_indexes.items():
            if only is None or name in only:
                (index.add if add else index.remove)(record, name)

    def _index(self, record: Record, add: bool) -> None:
        for name, index in self.indexes.items():
            value = record.attributes.get(name)
            if value is None or isinstance(value, list | dict):
                continue
            if add:
                index.setdefault(value, {})[record.id] = None
            else:
                bucket = index.get(value)
                if bucket is not None:
                    bucket.pop(record.id, None)
                    if not bucket:
                        del index[value]

    def insert(self, record: Record) -> None:
        self.everything[record.id] = record
        self.live[record.id] = record
        self._index(record, add=True)
        self._sort_indexes(record, add=True)
        if self._snapshot is not None:
            self._snapshot.append(record)

    def update(self, record: Record, changes: dict[str, Any]) -> None:
        self._index(record, add=False)
        self._sort_indexes(record, add=False, only=changes)
        record.attributes.update(changes)
        self._index(record, add=True)
        self._sort_indexes(record, add=True, only=changes)

    def delete(self, record: Record) -> None:
        self._index(record, add=False)
        self._sort_indexes(record, add=False)
        record.deleted = True
        del self.live[record.id]
        self._snapshot = None


class Store:
    def __init__(self, resources: dict[str, Resource], seed: int) -> None:
        self.resources = resources
        self._ids = random.Random(f"casebook-sandbox-ids:{seed}")  # noqa: S311 - determinism, not secrecy
        indexed: dict[str, set[str]] = {type_: set() for type_ in resources}
        for resource in resources.values():
            for attr in resource.attributes.values():
                fk = attr.foreign_key
                if fk is None or attr.type == "array":
                    continue
                indexed[resource.type].add(attr.name)
                if "." in fk:  # "<type>.<attribute>": the referenced attribute needs an index too
                    target_type, target_attr = fk.split(".", 1)
                    indexed[target_type].add(target_attr)
        self.collections = {type_: Collection(r, indexed[type_]) for type_, r in resources.items()}
        self.writes: list[Write] = []

    def new_id(self) -> str:
        return str(uuid.UUID(int=self._ids.getrandbits(128), version=4))

    def collection(self, type_: str) -> Collection:
        return self.collections[type_]

    def get(self, type_: str, id_: str) -> Record | None:
        collection = self.collections.get(type_)
        return collection.get(id_) if collection is not None else None

    def insert(self, type_: str, attributes: dict[str, Any], *, record_write: bool = True) -> Record:
        record = Record(type_, self.new_id(), attributes)
        self.collections[type_].insert(record)
        if record_write:
            self.writes.append(Write("POST", type_, record.id))
        return record

    def update(self, record: Record, changes: dict[str, Any]) -> None:
        self.collections[record.type].update(record, changes)
        self.writes.append(Write("PATCH", record.type, record.id))

    def delete(self, record: Record) -> None:
        self.collections[record.type].delete(record)
        self.writes.append(Write("DELETE", record.type, record.id))
