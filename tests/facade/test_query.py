"""Query encoding: exact documented forms, and local rejection of anything ambiguous."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from casebook_async import F, InvalidQueryError
from casebook_async.query import build_params, encode


def q(**kwargs: object) -> str:
    return encode(build_params(**kwargs))  # type: ignore[arg-type]


def test_documented_examples_verbatim() -> None:
    assert q(filter={"last_name": {"like": "Doe"}}) == "filter[last_name][like]=Doe"
    assert (
        q(
            filter={
                "created_at": {
                    "ge": datetime(2025, 1, 1, tzinfo=UTC),
                    "le": datetime(2025, 6, 30, 23, 59, 59, tzinfo=UTC),
                }
            }
        )
        == "filter[created_at][ge]=2025-01-01T00:00:00Z&filter[created_at][le]=2025-06-30T23:59:59Z"
    )
    assert (
        q(filter={"provider_id": "p1", "archived": False}) == "filter[provider_id]=p1&filter[archived]=false"
    )


def test_every_operator_and_null_forms() -> None:
    conditions = [
        F("a").eq(1),
        F("b").neq("x"),
        F("c") > 1,
        F("d") >= 2.5,
        F("e") < date(2025, 1, 2),
        F("f") <= "2025-01-01",
        F("g").like("Do"),
        F("h").is_null(),
        F("i").not_null(),
    ]
    assert q(filter=conditions) == (
        "filter[a]=1&filter[b][neq]=x&filter[c][g]=1&filter[d][ge]=2.5&filter[e][l]=2025-01-02"
        "&filter[f][le]=2025-01-01&filter[g][like]=Do&filter[h]=null&filter[i][neq]=null"
    )
    assert q(filter={"email": None, "phone": {"neq": None}, "ok": True}) == (
        "filter[email]=null&filter[phone][neq]=null&filter[ok]=true"
    )


def test_datetimes_are_converted_to_utc_z() -> None:
    plus2 = timezone(timedelta(hours=2))
    assert (
        q(filter={"t": {"g": datetime(2025, 1, 1, 2, 0, tzinfo=plus2)}})
        == "filter[t][g]=2025-01-01T00:00:00Z"
    )
    assert q(filter={"t": {"g": datetime(2025, 1, 1, 0, 0, 0, 500, tzinfo=UTC)}}) == (
        "filter[t][g]=2025-01-01T00:00:00.000500Z"
    )


def test_sort_include_fields_and_pages() -> None:
    assert q(
        sort=["last_name", "-created_at"],
        include="provider,locations",
        fields={"people": ["first_name", "last_name"]},
        page=3,
        page_size=100,
    ) == (
        "sort=last_name,-created_at&include=provider,locations&fields[people]=first_name,last_name&page=3&page[size]=100"
    )


def test_values_are_percent_encoded_but_brackets_stay_literal() -> None:
    assert (
        q(filter={"last_name": {"like": "O'Neil & Sons"}}) == "filter[last_name][like]=O%27Neil%20%26%20Sons"
    )


def test_enum_values_are_sent_by_value() -> None:
    class Status(enum.Enum):
        OPEN = "open"

    assert q(filter={"status": Status.OPEN}) == "filter[status]=open"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"filter": {"a": {"gt": 1}}}, "unknown filter operator 'gt'"),
        ({"filter": {"a": {"contains": "x"}}}, "unknown filter operator"),
        ({"filter": {"a": {"like": 3}}}, "like needs a string"),
        ({"filter": {"a": {"ge": None}}}, "null only works with eq"),
        ({"filter": {"a": {"ge": True}}}, "cannot compare a bool"),
        ({"filter": {"a": {"ge": "yesterday"}}}, "not a date, datetime or number"),
        ({"filter": {"a": datetime(2025, 1, 1)}}, "naive datetime"),
        ({"filter": {"a": "null"}}, "pass None"),
        ({"filter": {"a": {"neq": "NULL"}}}, "pass None"),
        ({"filter": {"a": ""}}, "empty string"),
        ({"filter": {"a": float("nan")}}, "not a finite number"),
        ({"filter": {"a": [1, 2]}}, "cannot encode a list"),
        ({"filter": {"a]": 1}}, "invalid filter field"),
        ({"filter": {"a": {}}}, "empty operator mapping"),
        ({"filter": "last_name=Doe"}, "must be a mapping"),
        ({"sort": ["name;drop"]}, "invalid sort"),
        ({"include": ""}, "invalid include"),
        ({"fields": {"people": []}}, "empty list"),
        ({"page": 0}, "page must be a positive integer"),
        ({"page_size": 101}, "at most 100"),
        ({"page_size": True}, "positive integer"),
    ],
)
def test_malformed_input_is_rejected_locally(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidQueryError, match=message) as info:
        build_params(**kwargs)  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError)


def test_builder_rejects_unknown_operator_via_condition() -> None:
    from casebook_async.query import Condition

    with pytest.raises(InvalidQueryError, match="documented operators"):
        Condition("a", "between", 1)


def test_a_chained_range_comparison_is_refused_rather_than_losing_its_lower_bound() -> None:
    lo, hi = date(2025, 1, 1), date(2025, 2, 1)
    with pytest.raises(InvalidQueryError, match="chained comparisons"):
        [lo <= F("created_at") <= hi]  # Python would keep only `F("created_at") <= hi`
    both = build_params(filter=[F("created_at") >= lo, F("created_at") <= hi])
    assert both == [("filter[created_at][ge]", "2025-01-01"), ("filter[created_at][le]", "2025-02-01")]


@pytest.mark.parametrize(
    ("spec", "param"),
    [
        ({"like": "null"}, ("filter[last_name][like]", "null")),  # a text search, not the documented null
        ("Null ", ("filter[last_name]", "Null ")),
        ({"neq": " null"}, ("filter[last_name][neq]", " null")),
    ],
)
def test_text_that_only_resembles_null_is_sent_as_text(spec: object, param: tuple[str, str]) -> None:
    assert build_params(filter={"last_name": spec}) == [param]
