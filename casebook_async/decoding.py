"""Fast decoding of JSON objects into the generated attrs models, for well-typed input only.

Hand-written because decoding is the largest client CPU cost of a listing: the generated ``from_dict`` copies
every object and defines a closure per attribute on each call (~12 us per person here), and cattrs/msgspec
convert rather than check and know nothing of the generated ``Unset``/``additional_properties`` conventions.

``fast_parser(Model)`` compiles, once per model, straight-line Python from the model's attrs fields and type
hints (as attrs compiles ``__init__``). The compiled parser accepts only what is unambiguous: JSON objects
that are ``dict``, values of exactly the annotated JSON type, known enum values, ISO dates that
``fromisoformat`` reads. On anything else it raises ``NotFast`` and the caller takes the reference path
(shape checks + generated ``from_dict``), so the value or the error a caller gets is the reference path's,
and the fast path only ever returns what the reference path would have returned (tested property).
"""

from __future__ import annotations

import builtins
import contextlib
import datetime
import enum
import keyword
import types
import typing
from collections.abc import Callable
from typing import Any, Final, cast

import attrs

import casebook_openapi.models as generated
from casebook_openapi.types import UNSET, Unset

Parser = Callable[[Any], Any]


class NotFast(Exception):  # a signal to take the reference path, not an error
    """The input is not the plain, well-typed case the compiled parser handles."""


def _not_fast() -> typing.NoReturn:
    """``raise NotFast`` usable inside an expression of the compiled code."""
    raise NotFast


# What can go wrong inside compiled code on unusual input; every one means "take the reference path".
FALLBACK_ERRORS: Final = (NotFast, KeyError, ValueError, TypeError, AttributeError)

_SCALARS: Final[dict[Any, str]] = {
    str: "{v}.__class__ is str",
    int: "{v}.__class__ is int",
    bool: "{v}.__class__ is bool",
    float: "({v}.__class__ is float or {v}.__class__ is int)",
}


class _Models(dict[str, Any]):
    """A namespace holding every generated model, each imported when first named (they load lazily)."""

    def __missing__(self, name: str) -> Any:
        try:
            value = getattr(generated, name)
        except AttributeError:
            raise KeyError(name) from None
        self[name] = value
        return value


_HINTS_NAMESPACE: Final = _Models({"Any": Any, "datetime": datetime, "Unset": Unset})


def type_hints(model: type[Any]) -> dict[str, Any]:
    # The namespace as locals too: only a mapping that is not a plain dict is asked through __missing__.
    return typing.get_type_hints(model, globalns=_HINTS_NAMESPACE, localns=_HINTS_NAMESPACE)


_cache: dict[type[Any], Parser | None] = {}


# openapi-python-client's rule (strings.fix_reserved_words): such names get a trailing underscore.
_RESERVED: Final = (frozenset(dir(builtins)) | {"self", "true", "false", "datetime"}) - {"id"}


def json_key(field_name: str) -> str:
    """The JSON member name of a generated field (``type_`` -> ``type``, ``self_`` -> ``self``).
    Our spec names members in snake_case, so a field name is the member name but for that suffix."""
    base = field_name[:-1]
    if field_name.endswith("_") and (keyword.iskeyword(base) or base in _RESERVED):
        return base
    return field_name


def fast_parser(model: type[Any]) -> Parser | None:
    """The compiled parser for ``model``, or None if one of its fields has a form not compiled here."""
    if model not in _cache:
        _cache[model] = None  # a recursive reference to a model being compiled is not compiled
        try:
            _cache[model] = _Compiler(model).build()
        except _Unsupported:
            _cache[model] = None
    return _cache[model]


class _Unsupported(Exception):
    pass


class _Compiler:
    def __init__(self, model: type[Any]) -> None:
        if not attrs.has(model):
            raise _Unsupported(model)
        self.model = model
        self.globals: dict[str, Any] = {"not_fast": _not_fast, "NotFast": NotFast, "UNSET": UNSET}
        self.globals["Model"] = model
        self.lines: list[str] = []

    def build(self) -> Parser:
        try:
            hints = type_hints(self.model)
        except (NameError, TypeError) as exc:
            raise _Unsupported(self.model) from exc
        fields = attrs.fields(self.model)
        init_fields = [f for f in fields if f.init]
        if any(f.kw_only for f in init_fields):
            raise _Unsupported(self.model)
        extra = [f for f in fields if not f.init]
        if [f.name for f in extra] not in ([], ["additional_properties"]):
            raise _Unsupported(self.model)
        if extra and hints["additional_properties"] != dict[str, Any]:
            raise _Unsupported(self.model)  # typed additional properties would need checking too
        if extra and extra[0].default != attrs.Factory(dict):
            raise _Unsupported(self.model)  # the code below relies on __init__ starting it as a new {}

        known = {json_key(f.name) for f in init_fields}
        self.globals["KNOWN"] = frozenset(known)
        self.lines = ["def parse(raw):", "    if raw.__class__ is not dict:", "        raise NotFast"]
        arguments = []
        for index, f in enumerate(init_fields):
            variable = f"v{index}"
            self._field(variable, json_key(f.name), hints[f.name], required=f.default is attrs.NOTHING)
            arguments.append(variable)
        self.lines.append(f"    record = Model({', '.join(arguments)})")
        if extra:
            self.lines += [  # __init__ has set it to a new {}: replaced only when there is something to keep
                "    if not raw.keys() <= KNOWN:",
                "        record.additional_properties = {k: v for k, v in raw.items() if k not in KNOWN}",
            ]
        self.lines.append("    return record")
        namespace = dict(self.globals)
        source = "\n".join(self.lines)
        exec(compile(source, f"<casebook_async fast parser for {self.model.__name__}>", "exec"), namespace)  # noqa: S102 - our own source
        parser: Parser = namespace["parse"]
        return parser

    def _field(self, v: str, key: str, hint: Any, *, required: bool) -> None:
        members = list(typing.get_args(hint)) if isinstance(hint, types.UnionType) else [hint]
        optional = Unset in members
        nullable = type(None) in members
        members = [m for m in members if m not in (Unset, type(None))]
        if len(members) != 1 or optional == required:
            raise _Unsupported(hint)  # unions of several types; an optional field without Unset
        emit = self.lines.append
        emit(f"    {v} = raw[{key!r}]" if required else f"    {v} = raw.get({key!r}, UNSET)")
        guards = []
        if optional:
            guards.append(f"{v} is UNSET")
        if nullable:
            guards.append(f"{v} is None")
        convert = self._convert(v, members[0])
        if guards:
            emit(f"    if not ({' or '.join(guards)}):")
            convert = [f"    {line}" for line in convert]
        self.lines += convert

    def _convert(self, v: str, kind: Any) -> list[str]:
        """Lines that check ``v`` (indented one level) and rebind it to the model's value."""
        if kind in _SCALARS:
            return [f"    if not {_SCALARS[kind].format(v=v)}:", "        raise NotFast"]
        if kind in (datetime.datetime, datetime.date):
            name = self._global(kind.fromisoformat)
            return [f"    {v} = {name}({v}) if {v}.__class__ is str else not_fast()"]
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            members = self._global(kind._value2member_map_)
            return [f"    {v} = {members}[{v}] if {v}.__class__ is str else not_fast()"]
        if isinstance(kind, type) and attrs.has(kind):
            parser = fast_parser(kind)
            if parser is None:
                raise _Unsupported(kind)
            return [f"    {v} = {self._global(parser)}({v})"]
        if typing.get_origin(kind) is list and len(typing.get_args(kind)) == 1:
            (item,) = typing.get_args(kind)
            if item in _SCALARS:
                check = _SCALARS[item].format(v="i")
                return [
                    f"    if {v}.__class__ is not list or not all({check} for i in {v}):",
                    "        raise NotFast",
                ]
            if isinstance(item, type) and attrs.has(item) and (parser := fast_parser(item)) is not None:
                name = self._global(parser)
                return [f"    {v} = [{name}(i) for i in {v}] if {v}.__class__ is list else not_fast()"]
        raise _Unsupported(kind)

    def _global(self, value: Any) -> str:
        name = f"g{len(self.globals)}"
        self.globals[name] = value
        return name


# --- lazy records -------------------------------------------------------------------------------------
# A listing's records are made with their id and type only; the rest of each record (attributes, links,
# relationships, meta) is parsed by parse_record on first access, so a consumer pays for what it reads.

_EAGER: Final = frozenset({"type_", "id"})
_lazy_cache: dict[type[Any], Parser | None] = {}


def lazy_parser(model: type[Any]) -> Parser | None:
    """A parser making ``model`` records whose parts other than ``id`` and ``type`` are parsed on first
    access (then exactly as ``parse_record`` parses them, errors included); None when ``model`` is not a
    record model this can defer (it then parses eagerly)."""
    if model not in _lazy_cache:
        _lazy_cache[model] = _lazy(model)
    return _lazy_cache[model]


def peek_timestamp(record: Any, name: str) -> Any:
    """``record.attributes.<name>``, read from a lazy record's JSON without parsing the rest of it when
    that value is a timestamp ``fromisoformat`` reads (what parsing would make of it; the keyset scans
    read one field of every record); otherwise what the parsed attributes hold (None without any)."""
    raw = getattr(record, "_raw", None)
    if raw is not None:
        attributes = raw.get("attributes")
        value = attributes.get(name) if attributes.__class__ is dict else None
        if value.__class__ is str:
            try:  # not contextlib.suppress: this runs for every record of a scan
                return datetime.datetime.fromisoformat(value)
            except ValueError:
                pass
    return getattr(getattr(record, "attributes", None), name, None)


def _eager(model: type[Any], state: Any) -> Any:
    """A lazy record's pickle and copy: the plain model with the same fields."""
    record = object.__new__(model)
    record.__setstate__(state)
    return record


def _lazy(model: type[Any]) -> Parser | None:
    from .documents import Record, parse_record  # documents imports this module: resolved on first use

    if not attrs.has(model) or "__slots__" not in model.__dict__:
        return None
    names = [f.name for f in attrs.fields(model)]
    if not set(names) >= _EAGER:
        return None
    try:
        types_ = type_hints(model)["type_"]
    except (NameError, TypeError):
        return None
    if not (isinstance(types_, type) and issubclass(types_, enum.Enum)):
        return None
    slots = {name: model.__dict__[name] for name in names}  # the model's own slot descriptors
    deferred = [name for name in names if name not in _EAGER]

    fast = fast_parser(model)

    def materialize(record: Any, raw: Any) -> None:
        parsed: Any = None
        if fast is not None:
            with contextlib.suppress(*FALLBACK_ERRORS):
                parsed = fast(raw)
        if parsed is None:  # the reference path: its value, or its typed error
            parsed = parse_record(cast("type[Record]", model), raw)
        for name in deferred:
            slots[name].__set__(record, slots[name].__get__(parsed))
        record._raw = None

    def slot_property(name: str) -> property:
        slot = slots[name]

        def get(record: Any) -> Any:
            try:
                raw = record._raw
            except AttributeError:  # made by __init__ (e.g. attrs.evolve): every field is set
                return slot.__get__(record)
            if raw is not None:
                materialize(record, raw)
            return slot.__get__(record)

        def set_(record: Any, value: Any) -> None:
            raw = getattr(record, "_raw", None)
            if raw is not None:  # parse the rest first, or a later first read would overwrite this value
                materialize(record, raw)
            slot.__set__(record, value)

        return property(get, set_, doc=f"{name}, parsed on first access")

    def __eq__(self: Any, other: object) -> bool:  # attrs' __eq__ wants the exact same class
        if not isinstance(other, model):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in names)

    def __reduce__(self: Any) -> tuple[Any, ...]:  # pickled and copied as the plain model
        return _eager, (model, self.__getstate__())

    namespace: dict[str, Any] = {
        "__slots__": ("_raw",),
        "__reduce__": __reduce__,
        "__qualname__": model.__qualname__,
        "__module__": model.__module__,
        "__doc__": model.__doc__,
        "__eq__": __eq__,
        "__hash__": None,
        **{name: slot_property(name) for name in deferred},
    }
    lazy = type(model.__name__, (model,), namespace)
    source = "\n".join(
        [
            "def parse(raw):",
            "    if raw.__class__ is not dict:",
            "        raise NotFast",
            "    id_ = raw['id']",
            "    if id_.__class__ is not str:",
            "        raise NotFast",
            "    record = new(Lazy)",
            "    set_type(record, TYPES[raw['type']])",
            "    set_id(record, id_)",
            "    record._raw = raw",
            "    return record",
        ]
    )
    namespace = {
        "NotFast": NotFast,
        "new": object.__new__,
        "Lazy": lazy,
        "TYPES": types_._value2member_map_,
        "set_type": slots["type_"].__set__,
        "set_id": slots["id"].__set__,
    }
    exec(compile(source, f"<casebook_async lazy parser for {model.__name__}>", "exec"), namespace)  # noqa: S102 - our own source
    parser: Parser = namespace["parse"]
    return parser
