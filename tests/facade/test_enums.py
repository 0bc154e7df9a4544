"""A value outside an enum is named by its field and allowed values, whichever generated class is involved."""

from __future__ import annotations

import pytest
import respx

from casebook_async import Casebook, InvalidInputError, InvalidResponseError
from casebook_async.types import CaseCreateAttributesStatus, PersonAttributesHispanicOrLatino

from .conftest import jsonapi, person


def maybe(id_: str) -> dict[str, object]:
    record = person(id_)
    record["attributes"]["hispanic_or_latino"] = "maybe"
    return record


pytestmark = pytest.mark.anyio

HISPANIC = "hispanic_or_latino must be one of 'yes', 'no', 'unable to determine', 'unknown', got 'maybe'"


async def test_create_and_update_say_which_field_and_which_values(
    router: respx.MockRouter, cb: Casebook
) -> None:
    with pytest.raises(InvalidInputError) as created:
        await cb.people.create({"first_name": "A", "last_name": "B", "hispanic_or_latino": "maybe"})
    with pytest.raises(InvalidInputError) as updated:
        await cb.people.update("1", {"hispanic_or_latino": "maybe"})
    assert str(created.value) == str(updated.value) == f"people: {HISPANIC}"
    statuses = ", ".join(repr(status.value) for status in CaseCreateAttributesStatus)
    with pytest.raises(InvalidInputError, match=f"cases: status must be one of {statuses}, got 'lost'"):
        cb.cases.validate_create({"status": "lost"})
    assert not router.calls


async def test_an_answer_outside_the_enum_says_the_same(router: respx.MockRouter, cb: Casebook) -> None:
    router.get("/people/people/1").mock(return_value=jsonapi({"data": maybe("1")}))
    router.get("/people/people").mock(return_value=jsonapi({"data": [maybe("2")]}))
    with pytest.raises(InvalidResponseError) as read:
        await cb.people.get("1")
    assert str(read.value) == f"not a valid Person: {HISPANIC}"

    async def read_listing() -> list[object]:
        return [record.attributes async for record in cb.people.list()]

    with pytest.raises(InvalidResponseError, match=HISPANIC):  # a listing's record, when read
        await read_listing()


async def test_no_message_names_a_generated_class(router: respx.MockRouter, cb: Casebook) -> None:
    with pytest.raises(InvalidInputError) as caught:
        await cb.people.create({"first_name": "A", "last_name": "B", "hispanic_or_latino": "Yes"})
    assert "HispanicOrLatino" not in str(caught.value)
    assert "got 'Yes'" in str(caught.value)


async def test_a_member_of_another_generated_enum_class_is_its_value(
    router: respx.MockRouter, cb: Casebook
) -> None:
    route = router.post("/people/people").mock(return_value=jsonapi({"data": person("1")}, 201))
    await cb.people.create(
        {"first_name": "A", "last_name": "B", "hispanic_or_latino": PersonAttributesHispanicOrLatino.YES}
    )
    assert b'"hispanic_or_latino": "yes"' in route.calls.last.request.content
