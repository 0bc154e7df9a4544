"""One wording for a value outside an enum, whichever of its generated classes is involved.

The generator makes one enum class per use of an enum (``PersonCreateAttributesHispanicOrLatino``,
``PersonUpdateAttributesHispanicOrLatino``, ``PersonAttributesHispanicOrLatino``), and their own error names
the class. Writes (checked before sending) and answers (checked when read) instead say:
``hispanic_or_latino must be one of 'yes', 'no', 'unable to determine', 'unknown', got 'maybe'``.
"""

from __future__ import annotations

import enum
import typing
from collections.abc import Mapping
from typing import Any

import attrs

from .decoding import json_key, type_hints

_cache: dict[type[Any], dict[str, tuple[Any, ...]]] = {}


def enum_members(cls: type[Any]) -> dict[str, tuple[Any, ...]]:
    """The JSON members of the attrs class ``cls`` whose type is an enum, with their allowed values."""
    if cls not in _cache:
        try:
            hints = type_hints(cls)  # names resolved among the lazily loaded models
        except (NameError, TypeError):
            hints = {}
        members: dict[str, tuple[Any, ...]] = {}
        for field in attrs.fields(cls) if attrs.has(cls) else ():
            choices = [t for t in typing.get_args(hints.get(field.name)) or (hints.get(field.name),)]
            enums = [t for t in choices if isinstance(t, type) and issubclass(t, enum.Enum)]
            if len(enums) == 1:
                members[json_key(field.name)] = tuple(member.value for member in enums[0])
        _cache[cls] = members
    return _cache[cls]


def enum_problem(cls: type[Any], values: Mapping[str, Any]) -> str | None:
    """What is wrong with the first enum value of ``values`` (JSON members of ``cls``) outside its enum."""
    for name, allowed in enum_members(cls).items():
        value = values.get(name)
        if value is not None and value not in allowed:
            return f"{name} must be one of {', '.join(map(repr, allowed))}, got {value!r}"
    return None
