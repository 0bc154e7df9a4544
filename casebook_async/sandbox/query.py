"""JSON:API query parameters as casebook-request-format documents them: filter, sort, page, include."""

from __future__ import annotations

import math
import operator as op
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, overload

from .errors import bad_parameter
from .spec import Attribute, Resource
from .store import Collection, Record, SortIndex
from .validation import parse_date, parse_date_time

_FILTER = re.compile(r"^filter\[([^\[\]]+)\](?:\[([^\[\]]*)\])?$")
_FIELDS = re.compile(r"^fields\[([^\[\]]+)\]$")
_OPERATORS = frozenset({"neq", "g", "ge", "l", "le", "like"})
_RANGE: dict[str, Callable[[Any, Any], bool]] = {"g": op.gt, "ge": op.ge, "l": op.lt, "le": op.le}
ID = Attribute(name="id", type="string")


@dataclass(frozen=True)
class Filter:
    attribute: Attribute
    operator: str  # eq, neq, g, ge, l, le, like
    value: Any  # normalised (see `comparable`); None for the documented `null`
    matcher: Callable[[Any], bool]

    def matches(self, record: Record) -> bool:
        raw = record.id if self.attribute is ID else record.attributes.get(self.attribute.name)
        return self.matcher(raw)


@dataclass
class Query:
    filters: list[Filter] = field(default_factory=list)
    sort: list[tuple[Attribute, bool]] = field(default_factory=list)  # (attribute, descending)
    paging: list[tuple[str, str]] = field(default_factory=list)  # the `page` family, read by the Pager
    include: list[str] = field(default_factory=list)
    fields: dict[str, frozenset[str]] = field(default_factory=dict)
    extra: list[tuple[str, str]] = field(
        default_factory=list
    )  # filter/sort/fields/include, echoed in page links


def comparable(attr: Attribute, value: Any) -> Any:
    """A stored (already validated) value in a form that compares the way the attribute's type means."""
    if value is None or attr.type == "array":
        return value
    if attr.format == "date-time" and isinstance(value, str):
        return parse_date_time(value)
    if attr.format == "date" and isinstance(value, str):
        return parse_date(value)
    if attr.type in ("integer", "number") and isinstance(value, int | float):
        return float(value)
    return value


def _filter_value(attr: Attribute, raw: str, parameter: str) -> Any:
    """Parse a query-string value into the attribute's comparable domain; 400 when it cannot be."""
    parsed: Any = raw
    if attr.type in ("integer", "number"):
        try:
            parsed = float(raw)
        except ValueError:
            parsed = None
        if parsed is None or not math.isfinite(parsed):
            raise bad_parameter(parameter, f"{raw!r} is not a number.")
    elif attr.type == "boolean":
        if raw not in ("true", "false"):
            raise bad_parameter(parameter, f"{raw!r} is not a boolean (true or false).")
        parsed = raw == "true"
    elif attr.format == "date-time":
        moment = parse_date_time(raw)
        day = parse_date(raw) if moment is None else None
        if moment is None and day is None:
            raise bad_parameter(parameter, f"{raw!r} is not a date-time.")
        parsed = moment or datetime(day.year, day.month, day.day, tzinfo=UTC)  # type: ignore[union-attr]
    elif attr.format == "date":
        parsed = parse_date(raw)
        if parsed is None:
            raise bad_parameter(parameter, f"{raw!r} is not a date (YYYY-MM-DD).")
    return parsed


def _like(pattern: str) -> Callable[[Any], bool]:
    """`like`: case-insensitive; `%` is a wildcard, and a pattern without one matches as a substring."""
    if "%" in pattern:
        regex = re.compile(
            ".*".join(re.escape(part) for part in pattern.split("%")), re.IGNORECASE | re.DOTALL
        )
        return lambda v: isinstance(v, str) and regex.fullmatch(v) is not None
    needle = pattern.casefold()
    return lambda v: isinstance(v, str) and needle in v.casefold()


def _make_filter(attr: Attribute, operator: str, raw: str, parameter: str) -> Filter:
    if raw == "null" and operator in ("eq", "neq"):
        is_null = operator == "eq"
        return Filter(attr, operator, None, lambda v: (v is None) is is_null)
    if operator == "like":
        if attr.type != "string" or attr.format in ("date", "date-time"):
            raise bad_parameter(parameter, f"`like` does not apply to {attr.name}.")
        return Filter(attr, operator, raw, _like(raw))
    value = _filter_value(attr, raw, parameter)
    if operator in _RANGE:
        if not attr.comparable:
            raise bad_parameter(
                parameter, f"`{operator}` applies to dates and numbers only, not {attr.name}."
            )
        compare = _RANGE[operator]
        return Filter(
            attr, operator, value, lambda v: (c := comparable(attr, v)) is not None and compare(c, value)
        )
    if attr.type == "array":
        contains = operator == "eq"
        return Filter(attr, operator, value, lambda v: isinstance(v, list) and (value in v) is contains)
    equal = operator == "eq"
    return Filter(attr, operator, value, lambda v: (v is not None and comparable(attr, v) == value) is equal)


def _attribute(resource: Resource, name: str) -> Attribute | None:
    return ID if name == "id" else resource.attributes.get(name)


def parse_query(
    params: Iterable[tuple[str, str]], resource: Resource, resources: dict[str, Resource], *, collection: bool
) -> Query:
    query = Query()
    for key, raw in params:
        if collection and (match := _FILTER.match(key)):
            name, operator = match.group(1), match.group(2) or "eq"
            attr = _attribute(resource, name)
            if attr is None:
                raise bad_parameter(key, f"{resource.type} has no attribute {name!r} to filter on.")
            if match.group(2) is not None and operator not in _OPERATORS:
                raise bad_parameter(
                    key, f"Unknown filter operator {operator!r}; use one of {sorted(_OPERATORS)}."
                )
            query.filters.append(_make_filter(attr, operator, raw, key))
            query.extra.append((key, raw))
        elif collection and key == "sort":
            for part in filter(None, raw.split(",")):  # an empty value means the default order
                name = part.removeprefix("-")
                attr = _attribute(resource, name)
                if attr is None or attr.type == "array":
                    raise bad_parameter("sort", f"{resource.type} cannot be sorted by {name!r}.")
                query.sort.append((attr, part.startswith("-")))
            query.extra.append((key, raw))
        elif collection and (key == "page" or key.startswith("page[")):
            query.paging.append((key, raw))
        elif key == "include":
            for name in filter(None, raw.split(",")):  # an empty value includes nothing
                if name not in resource.relationships:
                    raise bad_parameter(
                        "include", f"{resource.type} has no relationship {name!r} to include."
                    )
                if name not in query.include:
                    query.include.append(name)
            query.extra.append((key, raw))
        elif match := _FIELDS.match(key):
            type_ = match.group(1)
            target = resources.get(type_)
            if target is None:
                raise bad_parameter(key, f"Unknown resource type {type_!r}.")
            names = frozenset(raw.split(",")) if raw else frozenset()
            unknown = sorted(n for n in names if n not in target.attributes and n not in target.relationships)
            if unknown:
                raise bad_parameter(key, f"{type_} has no field(s) {', '.join(map(repr, unknown))}.")
            query.fields[type_] = names
            query.extra.append((key, raw))
        else:
            raise bad_parameter(key, f"Unsupported query parameter {key!r} here.")
    return query


def _sort_key(attr: Attribute) -> Callable[[Record], tuple[bool, Any]]:
    if attr is ID:
        return lambda r: (False, r.id)

    def key(record: Record) -> tuple[bool, Any]:
        value = comparable(attr, record.attributes.get(attr.name))
        return (value is None, value if value is not None else 0)

    return key


def select(source: Collection | list[Record], query: Query) -> Sequence[Record]:
    """Filter (AND) then sort; the unfiltered, unsorted path returns the list itself (no copy).

    From a Collection, ``sort=<date or number>[,id]`` (both ascending or both descending) is answered from
    the attribute's sorted index: a range filter on that attribute becomes a bisection, and a page is a
    slice of the index. So a keyset page (``filter[updated_at][ge]=t&sort=updated_at,id``) or an offset
    into that order costs O(log n + page) instead of a scan and a sort of the whole collection."""
    if isinstance(source, Collection):
        indexed = _indexed(source, query)
        if indexed is not None:
            return indexed
        records = source.live_list()
    else:
        records = source
    if query.filters:
        filters = query.filters
        records = [r for r in records if all(f.matches(r) for f in filters)]
    for attr, descending in reversed(query.sort):  # stable sorts, last key first
        records = sorted(records, key=_sort_key(attr), reverse=descending)
    return records


class IndexRange(Sequence[Record]):
    """Positions ``start..stop`` of a sorted index, read forwards or backwards, as records."""

    def __init__(
        self, collection: Collection, index: SortIndex, start: int, stop: int, reverse: bool
    ) -> None:
        self._live = collection.live
        self._keys = index.keys
        self._start, self._stop, self._reverse = start, max(start, stop), reverse

    def __len__(self) -> int:
        return self._stop - self._start

    @overload
    def __getitem__(self, item: int) -> Record: ...
    @overload
    def __getitem__(self, item: slice) -> list[Record]: ...
    def __getitem__(self, item: int | slice) -> Record | list[Record]:
        if not isinstance(item, slice):
            position = item if item >= 0 else len(self) + item
            if not 0 <= position < len(self):
                raise IndexError(item)
            return self[position : position + 1][0]
        first, last, step = item.indices(len(self))
        if step != 1:
            raise ValueError("only contiguous slices")
        if last <= first:
            return []
        if self._reverse:  # position j of the view is position stop - 1 - j of the index
            keys = self._keys.islice(self._stop - last, self._stop - first, reverse=True)
        else:
            keys = self._keys.islice(self._start + first, self._start + last)
        return [self._live[record_id] for _, record_id in keys]


_LOWER = {"g": True, "ge": False}  # operator -> bound excludes the value
_UPPER = {"l": True, "le": False}


def _indexed(collection: Collection, query: Query) -> Sequence[Record] | None:
    """The query answered from a sorted index, or None when it needs the general path."""
    if len(query.sort) != 2:  # `sort=<attribute>` alone orders ties by creation, not by id: the scan does
        return None
    (attr, descending), (tie, tie_descending) = query.sort
    if attr is ID or not attr.comparable or tie is not ID or tie_descending != descending:
        return None
    on_attr = [f for f in query.filters if f.attribute is attr]
    bounds = [f for f in on_attr if f.operator in ("eq", *_LOWER, *_UPPER)]
    if any(f.value is None for f in bounds):
        return None  # eq null: the nulls, not a range
    not_null = [f for f in on_attr if f.operator == "neq" and f.value is None]  # the index holds no null
    index = collection.sort_index(attr.name, lambda v: comparable(attr, v))
    if index.nulls and not bounds and not not_null:
        return None  # nulls sort after every value: rare here (server timestamps are never null)
    keys = index.keys
    start, stop = 0, len(keys)
    for f in bounds:
        # Keys are (value, id): (value,) sorts before every key with that value, (value, MAX) after.
        if f.operator in ("eq", "ge"):
            start = max(start, keys.bisect_left((f.value,)))
        if f.operator == "g":
            start = max(start, keys.bisect_right((f.value, _AFTER_EVERY_ID)))
        if f.operator in ("eq", "le"):
            stop = min(stop, keys.bisect_right((f.value, _AFTER_EVERY_ID)))
        if f.operator == "l":
            stop = min(stop, keys.bisect_left((f.value,)))
    span = IndexRange(collection, index, start, stop, descending)
    rest = [f for f in query.filters if all(f is not b for b in (*bounds, *not_null))]
    if rest:
        return [r for r in span[:] if all(f.matches(r) for f in rest)]
    return span


class _After:
    """Compares greater than any id string."""

    def __lt__(self, other: object) -> bool:
        return False

    def __gt__(self, other: object) -> bool:
        return True


_AFTER_EVERY_ID = _After()
