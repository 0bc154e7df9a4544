"""Assign a user to a unit of work, at most once."""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import anyio

from casebook_openapi.models import AssignmentUser
from casebook_openapi.types import Unset

from ..errors import InvalidInputError
from ..tracing import client_of, operation
from .errors import FlowError
from .idempotent import create_once

if TYPE_CHECKING:
    from ..client import Casebook


class _KeyedLocks:
    """One lock per key, kept only while a task holds or awaits it."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[anyio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (anyio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


# Per client: the check-then-create below must not interleave for the same pair (both would find nothing
# and both POST). The API has no uniqueness constraint to lean on, so other processes are not covered.
_pair_locks: weakref.WeakKeyDictionary[Casebook, _KeyedLocks] = weakref.WeakKeyDictionary()


@operation("assign_unit_of_work", client_of)
async def assign_unit_of_work(cb: Casebook, unit_of_work_id: str, user_id: str) -> AssignmentUser:
    """The assignment_users record linking ``user_id`` to the unit of work's assignment.

    Reads the unit of work's ``assignment_id``; returns the existing assignment if the user already has
    one (no duplicate, not an error); otherwise creates it. If the POST's outcome is unknown, it looks
    again before posting a second time. Concurrent calls for the same unit and user through one client
    are serialised, so they create one record; the API itself does not enforce that across processes.
    A missing unit of work raises NotFoundError; a missing user UnprocessableEntityError (the server
    checks the foreign key).
    """
    if not isinstance(user_id, str) or not user_id.strip():
        raise InvalidInputError(f"user_id must be a non-empty string, got {user_id!r}")
    unit = await cb.units_of_work.get(unit_of_work_id)
    assignment_id = unit.attributes.assignment_id
    if isinstance(assignment_id, Unset) or not assignment_id:
        raise FlowError(f"unit of work {unit.id} has no assignment_id; nothing to assign to")

    async def find() -> AssignmentUser | None:
        page = await cb.assignment_users.page(
            filter={"assignment_id": assignment_id, "user_id": user_id}, page_size=1
        )
        return page.data[0] if page.data else None

    locks = _pair_locks.setdefault(cb, _KeyedLocks())
    async with locks.hold((assignment_id, user_id)):
        existing = await find()
        if existing is not None:
            return existing
        return await create_once(
            lambda: cb.assignment_users.create({"assignment_id": assignment_id, "user_id": user_id}), find
        )
