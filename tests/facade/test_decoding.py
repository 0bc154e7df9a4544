"""The compiled fast parsers (casebook_async.decoding) vs the reference path (checks + generated from_dict).

The property: for any input, parse_record gives exactly what the reference path gives (the same model, or an
error of the same type and message), and for well-typed input it gets there on the fast path.
"""

from __future__ import annotations

import copy
import datetime
import enum
import pickle
import types
import typing
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import casebook_openapi.models as generated
from casebook_async import Casebook
from casebook_async.client import RESOURCES
from casebook_async.decoding import _HINTS_NAMESPACE, NotFast, fast_parser, json_key, peek_timestamp
from casebook_async.documents import Document, Page, parse_record, parse_record_reference, parse_records
from casebook_async.errors import InvalidResponseError
from casebook_async.sandbox import Sandbox
from casebook_openapi.models import Resource as IncludedResource
from casebook_openapi.types import UNSET, Unset

RECORD_MODELS = sorted(
    {spec.model for spec in RESOURCES.values()} | {IncludedResource}, key=lambda m: m.__name__
)

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6)
any_json = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)


def value_for(hint: Any) -> st.SearchStrategy[Any]:
    """JSON the generated model reads as a value of ``hint`` (Unset is expressed by leaving the key out)."""
    members = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    options = [_member_value(m) for m in members if m is not Unset]
    return st.one_of(options)


def _member_value(kind: Any) -> st.SearchStrategy[Any]:
    if kind is type(None):
        return st.none()
    if kind is str:
        return st.text(max_size=8)
    if kind is bool:
        return st.booleans()
    if kind is int:
        return st.integers()
    if kind is float:
        return st.floats(allow_nan=False, allow_infinity=False) | st.integers()
    if kind is datetime.datetime:
        moments = st.datetimes(timezones=st.none() | st.just(datetime.UTC))
        utc = st.datetimes(timezones=st.just(datetime.UTC))
        zulu = utc.map(lambda d: d.isoformat().replace("+00:00", "Z"))
        return moments.map(datetime.datetime.isoformat) | zulu
    if kind is datetime.date:
        return st.dates().map(datetime.date.isoformat)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return st.sampled_from([member.value for member in kind])
    if isinstance(kind, type) and attrs.has(kind):
        return object_for(kind)
    if typing.get_origin(kind) is list:
        return st.lists(value_for(typing.get_args(kind)[0]), max_size=3)
    raise AssertionError(f"no strategy for {kind!r}")


def object_for(model: type[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A well-typed JSON object for ``model``: required members, some optional ones, maybe custom fields."""
    hints = typing.get_type_hints(model, globalns=_HINTS_NAMESPACE, localns=_HINTS_NAMESPACE)
    fields = [f for f in attrs.fields(model) if f.init]
    required = {json_key(f.name): value_for(hints[f.name]) for f in fields if f.default is attrs.NOTHING}
    optional = {json_key(f.name): value_for(hints[f.name]) for f in fields if f.default is not attrs.NOTHING}
    known = set(required) | set(optional)
    extras = st.dictionaries(st.text(max_size=6).filter(lambda k: k not in known), any_json, max_size=2)
    return st.builds(lambda d, e: {**e, **d}, st.fixed_dictionaries(required, optional=optional), extras)


@st.composite
def mutated(draw: st.DrawFn, model: type[Any]) -> dict[str, Any]:
    """A well-typed object with one member (top level or nested) replaced by any JSON, or dropped."""
    raw = draw(object_for(model))
    target = raw
    nested = [k for k, v in raw.items() if isinstance(v, dict)]
    if nested and draw(st.booleans()):
        target = raw[draw(st.sampled_from(nested))]
    if not target:
        return raw
    key = draw(st.sampled_from(sorted(target)))
    if draw(st.booleans()):
        del target[key]
    else:
        target[key] = draw(any_json)
    return raw


def outcome(parse: typing.Callable[[], Any]) -> tuple[str, Any]:
    try:
        return ("value", parse())
    except Exception as exc:  # the comparison is the point: same type, same message
        return (type(exc).__name__, str(exc))


def test_every_record_model_compiles() -> None:
    # A page's meta and links are read as the server sent them (casebook_async.paging), not through models.
    for model in RECORD_MODELS:
        assert fast_parser(model) is not None, model


def test_json_keys_follow_the_generators_renaming() -> None:
    assert [json_key(n) for n in ("type_", "self_", "next_", "id", "first_name", "custom_")] == [
        "type", "self", "next", "id", "first_name", "custom_",
    ]  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_well_typed_records_take_the_fast_path_and_equal_the_reference(data: st.DataObject) -> None:
    model = data.draw(st.sampled_from(RECORD_MODELS))
    raw = data.draw(object_for(model))
    reference = outcome(lambda: parse_record_reference(model, raw))
    parser = fast_parser(model)
    assert parser is not None
    try:
        fast = parser(raw)
    except (NotFast, ValueError):
        # Only an ISO string fromisoformat cannot read may leave the fast path here (3.11 reads all of ours).
        pytest.fail(f"well-typed {model.__name__} left the fast path: {raw!r}")
    assert reference == ("value", fast)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_record_parses_exactly_as_the_reference_does(data: st.DataObject) -> None:
    model = data.draw(st.sampled_from(RECORD_MODELS))
    raw = data.draw(mutated(model) | any_json)
    assert outcome(lambda: parse_record(model, raw)) == outcome(lambda: parse_record_reference(model, raw))


def test_a_mistyped_attribute_gets_the_reference_error() -> None:
    raw = {"type": "people", "id": "p1", "attributes": {"last_name": 7}}
    with pytest.raises(InvalidResponseError, match="'last_name' is int, expected str"):
        parse_record(generated.Person, raw)


def test_sparse_fieldsets_still_leave_unrequested_attributes_unset() -> None:
    raw = {"type": "people", "id": "p1", "attributes": {"last_name": "Doe"}}
    person = parse_record(generated.Person, raw)
    assert person.attributes.last_name == "Doe"
    assert person.attributes.first_name is UNSET


def test_custom_fields_land_in_additional_properties_on_the_fast_path() -> None:
    raw = {"type": "people", "id": "p1", "attributes": {"last_name": "Doe", "tenant_color": "teal"}, "x": 1}
    parser = fast_parser(generated.Person)
    assert parser is not None
    person = parser(raw)
    assert person.attributes.additional_properties == {"tenant_color": "teal"}
    assert person.additional_properties == {"x": 1}


def test_records_without_custom_fields_each_get_their_own_empty_additional_properties() -> None:
    parser = fast_parser(generated.Person)
    assert parser is not None
    first, second = (parser({"type": "people", "id": i, "attributes": {}}) for i in ("p1", "p2"))
    first.attributes.additional_properties["note"] = "mine"
    assert first.attributes.additional_properties == {"note": "mine"}
    assert second.attributes.additional_properties == {}
    assert second.additional_properties == {}
    assert first.additional_properties is not second.additional_properties


def test_a_non_object_in_a_collection_is_an_error_not_a_dropped_record() -> None:
    document = {"data": [{"type": "people", "id": "p1", "attributes": {}}, "p2"]}
    with pytest.raises(InvalidResponseError, match="resource object"):
        Page.parse(generated.Person, document, 1)


@pytest.mark.anyio
async def test_every_seeded_sandbox_record_takes_the_fast_path() -> None:
    async with Sandbox(seed=3, s3=False) as sb:
        sb.seed_data()
        async with Casebook(base_url=sb.base_url, token=sb.issue_token(), transport=sb.transport) as cb:
            seen = 0
            for spec in RESOURCES.values():
                document = await cb.http.request_json("GET", f"{spec.path}?page[size]=100")
                parser = fast_parser(spec.model)
                assert parser is not None
                for raw in document["data"]:
                    assert parser(raw) == parse_record_reference(spec.model, raw)
                    seen += 1
    assert seen > 100


def lazy(model: type[Any], raw: Any) -> Any:
    [record] = parse_records(model, [raw], lazy=True)
    return record


def outcome_of_every_part(model: type[Any], record: Any) -> tuple[str, Any]:
    """Each field read back (the lazy parts parsed on this first access), then the whole as a dict."""
    return outcome(lambda: ([getattr(record, f.name) for f in attrs.fields(model)], record.to_dict()))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_lazy_record_reads_back_exactly_as_the_eager_one(data: st.DataObject) -> None:
    model = data.draw(st.sampled_from(RECORD_MODELS))
    raw = data.draw(object_for(model) | mutated(model) | any_json)
    eager = outcome(lambda: parse_record(model, raw))
    deferred = outcome(lambda: lazy(model, raw))
    if deferred[0] != "value":  # not even an id and a type: refused as eagerly, with the same error
        assert deferred == eager
        return
    parsed = deferred[1]
    assert isinstance(parsed, model)
    assert parsed.id == raw["id"]
    if eager[0] == "value":
        assert outcome_of_every_part(model, parsed) == outcome_of_every_part(model, eager[1])
        assert parsed == eager[1]
        assert eager[1] == parsed
        assert repr(parsed) == repr(eager[1])
    else:  # the error comes on first access instead, the same type and message, every time
        assert outcome(lambda: parsed.attributes) == eager
        assert outcome(lambda: parsed.to_dict()) == eager


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_peeked_timestamp_is_what_parsing_reads_without_parsing_the_rest(data: st.DataObject) -> None:
    raw = data.draw(object_for(generated.Person) | mutated(generated.Person))
    name = data.draw(st.sampled_from(["created_at", "updated_at"]))
    eager = outcome(lambda: getattr(parse_record(generated.Person, raw).attributes, name))
    deferred = outcome(lambda: lazy(generated.Person, raw))
    if deferred[0] != "value":
        return
    record = deferred[1]
    peeked = outcome(lambda: peek_timestamp(record, name))
    if isinstance(peeked[1], datetime.datetime):  # read from the JSON: the rest is still unparsed
        assert record._raw is not None
        if eager[0] == "value":
            assert peeked == eager
    else:  # not a timestamp fromisoformat reads: parsing decided, value or error alike
        assert peeked == eager
    if eager[0] == "value":  # an eager record is read through its attributes
        assert peek_timestamp(parse_record(generated.Person, raw), name) == eager[1]


def test_a_lazy_record_is_its_model_for_every_purpose() -> None:
    raw = {
        "type": "people",
        "id": "p1",
        "attributes": {"last_name": "Doe", "created_at": "2025-01-01T00:00:00Z"},
        "links": {"self": "/people/people/p1"},
    }
    person = lazy(generated.Person, raw)
    assert type(person).__name__ == "Person"
    assert type(person).__qualname__ == "Person"
    assert person.id == "p1"
    assert person.attributes.created_at == datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    person.attributes = generated.PersonAttributes(last_name="Roe")  # still settable
    assert person.to_dict()["attributes"] == {"last_name": "Roe"}
    moved = attrs.evolve(person, id="p2")
    assert (moved.id, moved.attributes.last_name) == ("p2", "Roe")
    restored = pickle.loads(pickle.dumps(lazy(generated.Person, raw)))  # noqa: S301 - our own bytes
    assert type(restored) is generated.Person
    # (compared by value: the generated Unset does not survive pickling as the UNSET singleton)
    assert (restored.id, restored.attributes.last_name) == ("p1", "Doe")
    assert copy.copy(lazy(generated.Person, raw)) == parse_record(generated.Person, raw)
    with pytest.raises(TypeError):
        hash(person)


def test_a_field_set_before_any_read_is_kept() -> None:
    raw = {"type": "people", "id": "p1", "attributes": {"last_name": "Doe"}, "links": {"self": "/p/p1"}}
    person = lazy(generated.Person, raw)
    person.attributes = generated.PersonAttributes(last_name="Roe")  # nothing read yet
    assert person.attributes.last_name == "Roe"
    assert person.links.self_ == "/p/p1"  # the other parts parsed as before


def test_listings_defer_single_records_do_not() -> None:
    raw = {"type": "people", "id": "p1", "attributes": {"last_name": 7}}
    page = Page.parse(generated.Person, {"data": [raw]}, 1)  # the record is there, its id usable
    assert page.ids == ["p1"]
    with pytest.raises(InvalidResponseError, match="'last_name' is int, expected str"):
        page.data[0].attributes  # noqa: B018 - the access is the test
    with pytest.raises(InvalidResponseError, match="'last_name' is int, expected str"):
        Document.parse(generated.Person, {"data": raw})
