"""assign_unit_of_work against the sandbox: at most one assignment_users record per (assignment, user)."""

from __future__ import annotations

import anyio
import pytest

from casebook_async import Casebook, NotFoundError, OutcomeUnknownError, UnprocessableEntityError
from casebook_async.errors import ServerError
from casebook_async.flows import assign_unit_of_work
from casebook_async.flows.idempotent import create_once
from casebook_async.sandbox import Faults, Sandbox

pytestmark = pytest.mark.anyio


def unit_and_user(sb: Sandbox, n: int = 0) -> tuple[str, str, str]:
    unit = sb.inspect.records("units_of_work")[n]
    user = sb.inspect.records("users")[n]
    return unit["id"], unit["attributes"]["assignment_id"], user["id"]


def assignments(sb: Sandbox, assignment_id: str, user_id: str) -> list[str]:
    return [
        r["id"]
        for r in sb.inspect.records("assignment_users")
        if r["attributes"]["assignment_id"] == assignment_id and r["attributes"]["user_id"] == user_id
    ]


async def test_assign_then_assign_again_returns_the_same_record(sb: Sandbox, cb: Casebook) -> None:
    unit_id, assignment_id, user_id = unit_and_user(sb)
    first = await assign_unit_of_work(cb, unit_id, user_id)
    assert first.attributes.assignment_id == assignment_id
    assert first.attributes.user_id == user_id
    assert assignments(sb, assignment_id, user_id) == [first.id]

    writes = len(sb.inspect.writes)
    again = await assign_unit_of_work(cb, unit_id, user_id)
    assert again.id == first.id
    assert len(sb.inspect.writes) == writes  # nothing posted the second time
    assert sb.inspect.count("assignment_users") == 1


async def test_concurrent_assignments_of_the_same_pair_create_one_record(sb: Sandbox, cb: Casebook) -> None:
    unit_id, assignment_id, user_id = unit_and_user(sb)
    _, _, other_user = unit_and_user(sb, 1)
    sb.faults = Faults(latency=0.005)  # every request takes a while: unserialised calls would interleave
    results: list[str] = []

    async def assign(unit: str, user: str) -> None:
        results.append((await assign_unit_of_work(cb, unit, user)).id)

    try:
        async with anyio.create_task_group() as tg:
            for _ in range(5):
                tg.start_soon(assign, unit_id, user_id)
            tg.start_soon(assign, unit_id, other_user)  # another pair is not held up by the lock
    finally:
        sb.faults = Faults()
    (only,) = assignments(sb, assignment_id, user_id)
    assert results.count(only) == 5
    assert len(assignments(sb, assignment_id, other_user)) == 1
    assert sb.inspect.count("assignment_users") == 2


async def test_other_users_get_their_own_assignment(sb: Sandbox, cb: Casebook) -> None:
    unit_id, assignment_id, user_a = unit_and_user(sb, 0)
    _, _, user_b = unit_and_user(sb, 1)
    a = await assign_unit_of_work(cb, unit_id, user_a)
    b = await assign_unit_of_work(cb, unit_id, user_b)
    assert a.id != b.id
    assert assignments(sb, assignment_id, user_b) == [b.id]


async def test_ambiguous_post_yields_exactly_one_record(sb: Sandbox, cb: Casebook) -> None:
    unit_id, assignment_id, user_id = unit_and_user(sb)
    sb.faults = Faults(rate_ambiguous_post=1.0)
    try:
        result = await assign_unit_of_work(cb, unit_id, user_id)
    finally:
        sb.faults = Faults()
    assert sb.inspect.fault_counts["ambiguous_post"] == 1  # the POST committed, then was answered 502
    assert assignments(sb, assignment_id, user_id) == [result.id]
    posts = [r for r in sb.inspect.requests if r.method == "POST" and "assignment_users" in r.path]
    assert len(posts) == 1


async def test_missing_unit_of_work_is_not_found(sb: Sandbox, cb: Casebook) -> None:
    _, _, user_id = unit_and_user(sb)
    with pytest.raises(NotFoundError):
        await assign_unit_of_work(cb, "no-such-unit", user_id)
    assert sb.inspect.count("assignment_users") == 0


async def test_missing_user_is_rejected_by_the_server(sb: Sandbox, cb: Casebook) -> None:
    unit_id, _, _ = unit_and_user(sb)
    with pytest.raises(UnprocessableEntityError) as raised:
        await assign_unit_of_work(cb, unit_id, "no-such-user")
    assert any("user_id" in p for p in raised.value.pointers)
    assert sb.inspect.count("assignment_users") == 0


async def test_create_once_posts_again_only_when_the_lookup_finds_nothing() -> None:
    store: list[str] = []
    calls = 0

    async def create() -> str:
        nonlocal calls
        calls += 1
        if calls == 1:  # lost before it was applied
            raise OutcomeUnknownError(
                method="POST", path="/x", cause=ServerError(method="POST", path="/x", status=502)
            )
        store.append("made")
        return "made"

    async def find() -> str | None:
        return store[0] if store else None

    assert await create_once(create, find) == "made"
    assert calls == 2
    assert store == ["made"]
