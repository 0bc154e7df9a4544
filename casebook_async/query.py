"""JSON:API query encoding exactly as casebook-request-format documents it.

    filter[f]=v  filter[f][neq]=v  filter[f][g|ge|l|le]=v  filter[f][like]=v
    filter[f]=null  filter[f][neq]=null  sort=a,-b  include=x,y  fields[type]=a,b  page=N  page[size]=S

Values: datetimes as UTC ``2025-01-01T00:00:00Z`` (naive datetimes are rejected: ambiguous), dates
as ``YYYY-MM-DD``, bools as ``true``/``false``, None as ``null``. Brackets, ``:`` and ``,`` stay literal
in the URL so requests read like the docs. The facade owns this encoding because the generated client
flattens deepObject params.

Filters are a mapping (``{"last_name": {"like": "Doe"}, "archived": False}``) or conditions from the tiny
builder (``[F("created_at") >= dt, F("email").not_null()]``). Anything else raises InvalidQueryError locally.
"""

from __future__ import annotations

import enum
import math
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final
from urllib.parse import quote

from .errors import InvalidQueryError

OPERATORS: Final = frozenset({"eq", "neq", "g", "ge", "l", "le", "like"})
_RANGE_OPERATORS: Final = frozenset({"g", "ge", "l", "le"})
MAX_PAGE_SIZE: Final = 100
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")

Params = list[tuple[str, str]]


@dataclass(frozen=True)
class Condition:
    """One ``filter[field][operator]=value`` term."""

    field: str
    operator: str
    value: Any

    def __post_init__(self) -> None:
        _check_name(self.field, "filter field")
        if self.operator not in OPERATORS:
            raise InvalidQueryError(
                f"unknown filter operator {self.operator!r} on {self.field!r}; "
                f"documented operators: {', '.join(sorted(OPERATORS))} (null via None)"
            )
        encode_filter_value(self.field, self.operator, self.value)  # validate eagerly

    def __bool__(self) -> bool:
        # `lo <= F("x") <= hi` is `(lo <= F("x")) and (F("x") <= hi)` in Python: the first condition
        # would be tested for truth and silently dropped. Refusing that keeps a range from losing a bound.
        raise InvalidQueryError(
            f"a filter condition on {self.field!r} has no truth value: chained comparisons such as "
            "lo <= F(name) <= hi drop a bound; pass [F(name) >= lo, F(name) <= hi]"
        )

    def param(self) -> tuple[str, str]:
        key = f"filter[{self.field}]" if self.operator == "eq" else f"filter[{self.field}][{self.operator}]"
        return key, encode_filter_value(self.field, self.operator, self.value)


class F:
    """Filter builder: ``F("created_at") >= dt``, ``F("last_name").like("Doe")``, ``F("email").is_null()``."""

    def __init__(self, field: str) -> None:
        _check_name(field, "filter field")
        self.field = field

    def eq(self, value: Any) -> Condition:
        return Condition(self.field, "eq", value)

    def neq(self, value: Any) -> Condition:
        return Condition(self.field, "neq", value)

    def like(self, value: str) -> Condition:
        return Condition(self.field, "like", value)

    def is_null(self) -> Condition:
        return Condition(self.field, "eq", None)

    def not_null(self) -> Condition:
        return Condition(self.field, "neq", None)

    def __gt__(self, value: Any) -> Condition:
        return Condition(self.field, "g", value)

    def __ge__(self, value: Any) -> Condition:
        return Condition(self.field, "ge", value)

    def __lt__(self, value: Any) -> Condition:
        return Condition(self.field, "l", value)

    def __le__(self, value: Any) -> Condition:
        return Condition(self.field, "le", value)


FilterArg = Mapping[str, Any] | Iterable[Condition]


def _check_name(name: object, what: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise InvalidQueryError(f"invalid {what} {name!r}: expected a name like 'last_name'")
    return name


def format_datetime(value: datetime) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidQueryError(
            f"naive datetime {value.isoformat()} is ambiguous; pass a timezone-aware one (e.g. tzinfo=UTC)"
        )
    utc = value.astimezone(UTC)
    spec = "%Y-%m-%dT%H:%M:%S.%fZ" if utc.microsecond else "%Y-%m-%dT%H:%M:%SZ"
    return utc.strftime(spec)


def _is_temporal_or_number_text(text: str) -> bool:
    if _NUMBER.match(text):
        return True
    try:
        date.fromisoformat(text)
    except ValueError:
        try:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return False
    return True


def encode_filter_value(field: str, operator: str, value: Any) -> str:
    """The documented text for one filter value; raises InvalidQueryError for anything ambiguous."""
    where = f"filter[{field}][{operator}]"
    if value is None:
        if operator not in ("eq", "neq"):
            raise InvalidQueryError(f"{where}: null only works with eq (only empty) or neq (exclude empty)")
        return "null"
    if isinstance(value, enum.Enum):
        value = value.value
    if operator == "like" and not isinstance(value, str):
        raise InvalidQueryError(f"{where}: like needs a string, got {type(value).__name__}")
    if isinstance(value, bool):
        if operator in _RANGE_OPERATORS:
            raise InvalidQueryError(f"{where}: cannot compare a bool with {operator}")
        return "true" if value else "false"
    if isinstance(value, datetime):  # before date: datetime is a date subclass
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidQueryError(f"{where}: {value!r} is not a finite number")
        return repr(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, str):
        if value == "":
            raise InvalidQueryError(f"{where}: empty string; use None to match empty values")
        if operator in ("eq", "neq") and value.lower() == "null":  # the documented null (casing unknown)
            raise InvalidQueryError(
                f"{where}: the string 'null' means 'empty' to the API; pass None for that "
                "(or use like to search for the text)"
            )
        if operator in _RANGE_OPERATORS and not _is_temporal_or_number_text(value):
            raise InvalidQueryError(f"{where}: {value!r} is not a date, datetime or number")
        return value
    raise InvalidQueryError(f"{where}: cannot encode a {type(value).__name__} ({value!r})")


def conditions_of(filter: FilterArg) -> list[Condition]:
    """A filter argument (mapping or conditions) as validated conditions."""
    if isinstance(filter, Mapping):
        out: list[Condition] = []
        for field, spec in filter.items():
            _check_name(field, "filter field")
            if isinstance(spec, Mapping):
                if not spec:
                    raise InvalidQueryError(f"filter[{field}]: empty operator mapping")
                out.extend(Condition(field, str(op), v) for op, v in spec.items())
            else:
                out.append(Condition(field, "eq", spec))
        return out
    if isinstance(filter, str | bytes):
        raise InvalidQueryError("filter must be a mapping or conditions built with F(...)")
    conditions = list(filter)
    for c in conditions:
        if not isinstance(c, Condition):
            raise InvalidQueryError(f"filter items must be Condition (from F(...)), got {type(c).__name__}")
    return conditions


def _names(value: str | Sequence[str], what: str, *, allow_minus: bool = False) -> str:
    items = value.split(",") if isinstance(value, str) else list(value)
    if not items:
        raise InvalidQueryError(f"{what}: empty list")
    for item in items:
        if not isinstance(item, str):
            raise InvalidQueryError(f"{what}: {item!r} is not a string")
        _check_name(item[1:] if allow_minus and item.startswith("-") else item, what)
    return ",".join(items)


def positive_int(value: object, what: str, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidQueryError(f"{what} must be a positive integer, got {value!r}")
    if maximum is not None and value > maximum:
        raise InvalidQueryError(f"{what} must be at most {maximum}, got {value}")
    return value


def build_params(
    *,
    filter: FilterArg | None = None,
    sort: str | Sequence[str] | None = None,
    include: str | Sequence[str] | None = None,
    fields: Mapping[str, str | Sequence[str]] | None = None,
    page: int | None = None,
    page_size: int | None = None,
) -> Params:
    """Validate and encode query arguments into ordered (key, value) pairs."""
    params: Params = []
    if filter is not None:
        params.extend(c.param() for c in conditions_of(filter))
    if sort is not None:
        params.append(("sort", _names(sort, "sort", allow_minus=True)))
    if include is not None:
        params.append(("include", _names(include, "include")))
    if fields is not None:
        for type_, names in fields.items():
            _check_name(type_, "fields type")
            params.append((f"fields[{type_}]", _names(names, f"fields[{type_}]")))
    if page is not None:
        params.append(("page", str(positive_int(page, "page"))))
    if page_size is not None:
        params.append(("page[size]", str(positive_int(page_size, "page_size", MAX_PAGE_SIZE))))
    return params


def encode(params: Params) -> str:
    """``k=v&...`` keeping brackets, ``:`` and ``,`` literal (as documented); the rest percent-encoded."""
    return "&".join(f"{quote(k, safe='[]')}={quote(v, safe=':,')}" for k, v in params)
