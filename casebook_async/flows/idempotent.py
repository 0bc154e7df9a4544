"""Create a record at most once, even when a POST's outcome is unknown."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from ..errors import OutcomeUnknownError

T = TypeVar("T")


async def create_once(
    create: Callable[[], Awaitable[T]], find: Callable[[], Awaitable[T | None]], *, attempts: int = 2
) -> T:
    """POST via ``create``; when its outcome is unknown (OutcomeUnknownError), look the record up with
    ``find`` and only POST again if it is not there. ``find`` must match exactly what ``create`` makes."""
    attempt = 1
    while True:
        try:
            return await create()
        except OutcomeUnknownError:
            found = await find()
            if found is not None:
                return found
            if attempt >= attempts:
                raise
            attempt += 1
