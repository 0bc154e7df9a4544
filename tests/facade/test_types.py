"""casebook_async.types: the types users name, generated from the spec: nobody imports casebook_openapi."""

from __future__ import annotations

import enum
import typing
from typing import Any

import attrs

import casebook_async.types as types
import casebook_openapi.models as models
from casebook_async._generated import RESOURCES
from casebook_openapi.types import UNSET, Unset

EVERY_MODEL = {name: getattr(models, name) for name in models.__all__}


def _named_types(cls: type[Any]) -> set[type[Any]]:
    """Models and enums the fields of the attrs class ``cls`` are annotated with."""
    hints = typing.get_type_hints(cls, localns=EVERY_MODEL)
    found: set[type[Any]] = set()
    todo = list(hints.values())
    while todo:
        hint = todo.pop()
        todo.extend(typing.get_args(hint))
        if isinstance(hint, type) and (attrs.has(hint) or issubclass(hint, enum.Enum)):
            found.add(hint)
    return found


def test_every_exported_name_resolves_to_the_generated_or_facade_object() -> None:
    for name in types.__all__:
        value = getattr(types, name)
        if name in models.__all__:
            assert value is getattr(models, name)
    assert (types.UNSET, types.Unset) == (UNSET, Unset)
    assert {"Page", "Document", "RawResponse", "Paginator", "Pages"} <= set(types.__all__)
    assert set(types.__all__) <= set(dir(types))


def test_each_resource_and_what_it_is_made_of_is_exported() -> None:
    exported = {getattr(types, name) for name in types.__all__}
    for spec in RESOURCES.values():
        for model in (spec.model, spec.create_model, spec.update_model):
            assert model in exported
            assert _named_types(model) <= exported, model.__name__
        attributes = getattr(models, f"{spec.schema}Attributes")
        assert attributes in exported
        assert _named_types(attributes) <= exported
    # e.g. the three generated enums of people's hispanic_or_latino
    assert {"PersonCreateAttributesHispanicOrLatino", "PersonAttributesHispanicOrLatino"} <= set(
        types.__all__
    )
    assert "Resource" in types.__all__  # side-loaded records


def test_request_and_response_envelopes_are_not_exported() -> None:
    suffixes = ("Document", "Request", "Data", "Filter", "Fields")
    assert not [name for name in types.__all__ if name.endswith(suffixes) and name != "Document"]
    assert "TokenResponse" not in types.__all__


def test_star_import_and_unknown_names() -> None:
    namespace: dict[str, Any] = {}
    exec("from casebook_async.types import *", namespace)  # noqa: S102 - a fixed statement
    assert namespace["PersonCreateAttributes"] is models.PersonCreateAttributes
    assert not hasattr(types, "PersonDocument")
