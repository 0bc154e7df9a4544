"""JSON:API documents → generated attrs models, with side-loaded (``include``) records resolvable.

``Page`` (one page of a collection) and ``Document`` (one record) keep ``included`` and resolve a
relationship of a primary record onto the side-loaded records::

    page = await cb.cases.page(include=["primary_person"])
    for case in page.data:
        person = page.related_one(case, "primary_person", as_=Person)   # Person | None
        goals = page.related(case, "goals")                               # list[casebook_openapi Resource]

Only records the server side-loaded are returned (ask for them with ``include=``).
With sparse fieldsets (``fields=``) the server omits attributes; they come back as ``UNSET``.
"""

from __future__ import annotations

import builtins
import datetime
import enum
import functools
import typing
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, Self, TypeVar, overload

import attrs

import casebook_openapi.models as generated
from casebook_openapi.models import Resource as IncludedResource
from casebook_openapi.types import UNSET

from .decoding import FALLBACK_ERRORS, fast_parser, lazy_parser, type_hints
from .enums import enum_problem
from .errors import InvalidResponseError
from .paging import Links, page_total, record_total


class Model(Protocol):
    """What the facade needs from a generated attrs model."""

    def to_dict(self) -> dict[str, Any]: ...

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self: ...


class Record(Model, Protocol):
    id: str


M = TypeVar("M", bound=Record)
R = TypeVar("R", bound=Model)


def _placeholder(annotation: Any) -> Any:
    """A value the generated parser accepts for a required field the server left out (sparse fieldsets)."""
    if annotation is datetime.datetime:
        return "1970-01-01T00:00:00+00:00"
    if annotation is datetime.date:
        return "1970-01-01"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return next(iter(annotation)).value
    if annotation in (int, float):
        return 0
    if annotation is bool:
        return False
    return ""


_required_cache: dict[type[Any], dict[str, Any]] = {}


def _required_fields(cls: type[Any]) -> dict[str, Any]:
    """Required attrs fields of a generated attributes class, with their resolved types."""
    if cls not in _required_cache:
        try:
            hints = type_hints(cls)  # names resolved among the lazily loaded models
        except (NameError, TypeError):
            hints = {}
        _required_cache[cls] = {
            f.name: hints.get(f.name)
            for f in attrs.fields(cls)
            if f.default is attrs.NOTHING and f.init and f.name != "additional_properties"
        }
    return _required_cache[cls]


def _attributes_class(model: type[Any]) -> type[Any] | None:
    cls = getattr(generated, f"{model.__name__}Attributes", None)
    return cls if isinstance(cls, type) and attrs.has(cls) else None


_JSON_TYPES: dict[Any, tuple[type, ...]] = {str: (str,), int: (int,), float: (int, float), bool: (bool,)}
_json_types_cache: dict[type[Any], dict[str, tuple[tuple[type, ...], bool]]] = {}


def _json_types(cls: type[Any]) -> dict[str, tuple[tuple[type, ...], bool]]:
    """For attributes of plain JSON types: the accepted Python types and whether null is allowed.
    The generated ``from_dict`` assigns such values unchecked (dates and enums it does convert and check)."""
    if cls not in _json_types_cache:
        try:
            hints = type_hints(cls)  # names resolved among the lazily loaded models
        except (NameError, TypeError):
            hints = {}
        checks: dict[str, tuple[tuple[type, ...], bool]] = {}
        for name, hint in hints.items():
            members = [m for m in typing.get_args(hint) or (hint,) if m is not type(UNSET)]
            nullable = type(None) in members
            members = [m for m in members if m is not type(None)]
            if len(members) == 1 and members[0] in _JSON_TYPES:
                checks[name] = (_JSON_TYPES[members[0]], nullable)
        _json_types_cache[cls] = checks
    return _json_types_cache[cls]


def _check_shape(model: type[Any], raw: Mapping[str, Any]) -> None:
    if not isinstance(raw.get("id"), str) or not isinstance(raw.get("type"), str):
        raise InvalidResponseError(f"not a valid {model.__name__}: `id` and `type` must be strings")
    attributes, attributes_cls = raw.get("attributes"), _attributes_class(model)
    if attributes_cls is None or not isinstance(attributes, Mapping):
        return
    for name, (accepted, nullable) in _json_types(attributes_cls).items():
        value = attributes.get(name, UNSET)
        if value is UNSET or (value is None and nullable):
            continue
        # bool is an int subclass: a true/false where a number belongs is still the wrong type.
        if not isinstance(value, accepted) or (isinstance(value, bool) and bool not in accepted):
            raise InvalidResponseError(
                f"not a valid {model.__name__}: attribute {name!r} is {type(value).__name__}, "
                f"expected {' or '.join(t.__name__ for t in accepted)}"
            )
    problem = enum_problem(attributes_cls, attributes)
    if problem is not None:
        raise InvalidResponseError(f"not a valid {model.__name__}: {problem}")


def parse_record(model: type[R], raw: Any) -> R:
    """Parse one resource object; attributes missing because of ``fields=`` become UNSET.

    Well-typed input takes the compiled fast path; anything else the reference path, which gives the same
    value for what the fast path accepts and the typed error for what it does not (see decoding.py)."""
    parser = fast_parser(model)
    if parser is not None:
        try:
            record: R = parser(raw)
        except FALLBACK_ERRORS:
            pass
        else:
            return record
    return parse_record_reference(model, raw)


def parse_records(model: type[R], raws: builtins.list[Any], *, lazy: bool = False) -> builtins.list[R]:
    """``parse_record`` over a list, looking the compiled parser up once (hot path of every listing).
    ``lazy``: records get their id and type now and the rest on first access (see decoding.lazy_parser)."""
    parser = (lazy_parser(model) if lazy else None) or fast_parser(model)
    if parser is None:
        return [parse_record_reference(model, raw) for raw in raws]
    try:
        return [parser(raw) for raw in raws]
    except FALLBACK_ERRORS:
        return [parse_record(model, raw) for raw in raws]


def parse_record_reference(model: type[R], raw: Any) -> R:
    """Shape checks, then the generated ``from_dict`` (with placeholders for sparse fieldsets)."""
    if not isinstance(raw, Mapping):
        raise InvalidResponseError(f"expected a {model.__name__} resource object, got {type(raw).__name__}")
    _check_shape(model, raw)
    try:
        return model.from_dict(raw)
    except (KeyError, ValueError, TypeError) as first_error:
        attributes_cls = _attributes_class(model)
        attributes = raw.get("attributes")
        if attributes_cls is None or not isinstance(attributes, Mapping) or "id" not in raw:
            raise InvalidResponseError(f"not a valid {model.__name__}: {first_error!r}") from first_error
        missing = {k: v for k, v in _required_fields(attributes_cls).items() if k not in attributes}
        if not missing:
            raise InvalidResponseError(f"not a valid {model.__name__}: {first_error!r}") from first_error
        filled = {**attributes, **{k: _placeholder(t) for k, t in missing.items()}}
        try:
            record = model.from_dict({**raw, "attributes": filled})
        except (KeyError, ValueError, TypeError) as exc:
            raise InvalidResponseError(f"not a valid {model.__name__}: {exc!r}") from exc
        parsed_attributes = getattr(record, "attributes", None)
        for name in missing:
            setattr(parsed_attributes, name, UNSET)
        return record


class _Linked(Generic[M]):
    """Relationship linkage of primary records plus the side-loaded records they point to."""

    def __init__(self, raw_primary: builtins.list[Mapping[str, Any]], raw_included: Any) -> None:
        self._relationships: dict[str, Mapping[str, Any]] = {}
        for raw in raw_primary:
            rels = raw.get("relationships")
            if rels is not None and isinstance(rels, Mapping):  # most records have none: skip the ABC check
                self._relationships[str(raw.get("id"))] = rels
        self.included: builtins.list[IncludedResource] = []
        self._index: dict[tuple[str, str], IncludedResource] = {}
        if isinstance(raw_included, builtins.list):
            for item in raw_included:
                resource = parse_record(IncludedResource, item)
                self.included.append(resource)
                self._index[(resource.type_, resource.id)] = resource

    def _linkage(self, item: M, name: str) -> builtins.list[tuple[str, str]]:
        relationship = self._relationships.get(item.id, {}).get(name)
        if not isinstance(relationship, Mapping):
            return []
        data = relationship.get("data")
        identifiers = data if isinstance(data, builtins.list) else [data]
        return [
            (str(i["type"]), str(i["id"]))
            for i in identifiers
            if isinstance(i, Mapping) and "type" in i and "id" in i
        ]

    def included_record(self, type_: str, id_: str) -> IncludedResource | None:
        return self._index.get((type_, id_))

    def attach(self, records: builtins.list[M]) -> None:
        """Let each of ``records`` resolve its relationships against this document's side-loaded records,
        however it is reached later (``linked_to``): a plain ``async for`` drops the pages."""
        for record in records:
            key = id(record)
            _attached[key] = (weakref.ref(record, functools.partial(_detach, key)), self)

    @overload
    def related(self, item: M, name: str) -> builtins.list[IncludedResource]: ...
    @overload
    def related(self, item: M, name: str, as_: type[R]) -> builtins.list[R]: ...
    def related(self, item: M, name: str, as_: type[Any] | None = None) -> builtins.list[Any]:
        """Side-loaded records that ``item``'s relationship ``name`` points to (in linkage order)."""
        found = [r for key in self._linkage(item, name) if (r := self._index.get(key)) is not None]
        if as_ is None:
            return found
        return [parse_record(as_, r.to_dict()) for r in found]

    @overload
    def related_one(self, item: M, name: str) -> IncludedResource | None: ...
    @overload
    def related_one(self, item: M, name: str, as_: type[R]) -> R | None: ...
    def related_one(self, item: M, name: str, as_: type[Any] | None = None) -> Any:
        """The side-loaded record of a to-one relationship, or None (no linkage, or not included)."""
        found = self.related(item, name) if as_ is None else self.related(item, name, as_)
        return found[0] if found else None


# The side-loaded records each record of a document that had any can resolve against: by id(record), with a
# weak reference whose callback drops the entry when the record goes (records are unhashable, so no
# WeakKeyDictionary). A record keeps at most its own document's included records alive, and only while it
# lives; nothing is recorded for documents without included records (a listing without include= pays
# nothing).
_attached: dict[int, tuple[weakref.ref[Any], _Linked[Any]]] = {}


def _detach(key: int, _: weakref.ref[Any]) -> None:
    _attached.pop(key, None)


def linked_to(record: Any) -> _Linked[Any] | None:
    """The side-loaded records ``record`` came with (None when it came with none)."""
    entry = _attached.get(id(record))
    return entry[1] if entry is not None and entry[0]() is record else None


@dataclass
class Page(Generic[M]):
    """One page of a collection: ``data``, the server's ``meta`` and ``links``, and side-loaded records."""

    data: builtins.list[M]
    number: int | None  # its place in the listing (1 = the first page), when known
    meta: dict[str, Any]  # top-level meta as the server sent it (totals under its own names)
    links: Links
    linked: _Linked[M] = field(repr=False)
    url: str | None = None  # where the page was fetched from: relative links resolve against it

    @property
    def included(self) -> builtins.list[IncludedResource]:
        return self.linked.included

    @property
    def page_count(self) -> int | None:
        """The number of pages, if the server's meta says (``page_count``, ``pagination.pages``, ...)."""
        return page_total(self.meta)

    @property
    def record_count(self) -> int | None:
        """The number of matching records, if the server's meta says (``record_count``, ``total``, ...)."""
        return record_total(self.meta)

    @property
    def next_url(self) -> str | None:
        """``links.next`` (a URL or a link object's href), made absolute against the page's own URL."""
        return self.links.next

    @property
    def ids(self) -> builtins.list[str]:
        return [record.id for record in self.data]

    @overload
    def related(self, item: M, name: str) -> builtins.list[IncludedResource]: ...
    @overload
    def related(self, item: M, name: str, as_: type[R]) -> builtins.list[R]: ...
    def related(self, item: M, name: str, as_: type[Any] | None = None) -> builtins.list[Any]:
        return self.linked.related(item, name) if as_ is None else self.linked.related(item, name, as_)

    @overload
    def related_one(self, item: M, name: str) -> IncludedResource | None: ...
    @overload
    def related_one(self, item: M, name: str, as_: type[R]) -> R | None: ...
    def related_one(self, item: M, name: str, as_: type[Any] | None = None) -> Any:
        return (
            self.linked.related_one(item, name) if as_ is None else self.linked.related_one(item, name, as_)
        )

    @classmethod
    def empty(cls, model: type[M], number: int, meta: dict[str, Any]) -> Page[M]:
        """Page ``number`` of a listing whose server said it has fewer pages (no request made for it)."""
        return cls(data=[], number=number, meta=meta, links=Links(), linked=_Linked([], None))

    @classmethod
    def parse(cls, model: type[M], document: Any, number: int | None, url: str | None = None) -> Page[M]:
        if not isinstance(document, Mapping) or not isinstance(document.get("data"), builtins.list):
            raise InvalidResponseError("collection response has no data array")
        raw_data = document["data"]
        # A non-object item raises: nothing is dropped. Attributes are parsed when first read: a listing pays
        # for what its consumer uses.
        data = parse_records(model, raw_data, lazy=True)
        meta = document.get("meta")
        linked: _Linked[M] = _Linked(raw_data, document.get("included"))
        if linked.included:
            linked.attach(data)
        return cls(
            data=data,
            number=number,
            meta=dict(meta) if isinstance(meta, Mapping) else {},
            links=Links.parse(document.get("links"), url),
            linked=linked,
            url=url,
        )


@dataclass
class Document(Generic[M]):
    """One record plus its side-loaded records: ``doc.related("provider", as_=Provider)``."""

    data: M
    linked: _Linked[M] = field(repr=False)

    @property
    def included(self) -> builtins.list[IncludedResource]:
        return self.linked.included

    @overload
    def related(self, name: str) -> builtins.list[IncludedResource]: ...
    @overload
    def related(self, name: str, as_: type[R]) -> builtins.list[R]: ...
    def related(self, name: str, as_: type[Any] | None = None) -> builtins.list[Any]:
        return (
            self.linked.related(self.data, name) if as_ is None else self.linked.related(self.data, name, as_)
        )

    @overload
    def related_one(self, name: str) -> IncludedResource | None: ...
    @overload
    def related_one(self, name: str, as_: type[R]) -> R | None: ...
    def related_one(self, name: str, as_: type[Any] | None = None) -> Any:
        if as_ is None:
            return self.linked.related_one(self.data, name)
        return self.linked.related_one(self.data, name, as_)

    @classmethod
    def parse(cls, model: type[M], document: Any) -> Document[M]:
        if not isinstance(document, Mapping) or not isinstance(document.get("data"), Mapping):
            raise InvalidResponseError("response has no data object")
        raw = document["data"]
        data, linked = parse_record(model, raw), _Linked[M]([raw], document.get("included"))
        if linked.included:
            linked.attach([data])
        return cls(data=data, linked=linked)
