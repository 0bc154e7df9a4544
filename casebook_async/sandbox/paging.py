"""The ``page`` parameter family, collection ``meta`` and pagination ``links``, as the conventions say."""

from __future__ import annotations

import base64
import binascii
import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from .conventions import Conventions
from .errors import bad_parameter

# What each paging style reads; a strict server refuses other page[...] parameters, others ignore them.
_FAMILY = {
    "page": ("page", "page[number]", "page[size]"),
    "page[number]": ("page[number]", "page[size]"),
    "offset": ("page[offset]", "page[limit]"),
    "cursor": ("page[cursor]", "page[size]"),
}


@dataclass(frozen=True)
class Window:
    offset: int
    size: int


def _count(raw: str, parameter: str, *, minimum: int, maximum: int | None = None) -> int:
    if not raw.isascii() or not raw.isdigit() or int(raw) < minimum:
        what = "a positive integer" if minimum else "a non-negative integer"
        raise bad_parameter(parameter, f"{raw!r} is not {what}.")
    value = int(raw)
    if maximum is not None and value > maximum:
        raise bad_parameter(parameter, f"{value} exceeds the maximum of {maximum}.")
    return value


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode().rstrip("=")


def _uncursor(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if not text.startswith("o") or not text[1:].isdigit():
        raise bad_parameter("page[cursor]", "Not a cursor this server issued.")
    return int(text[1:])


class Pager:
    def __init__(self, conventions: Conventions, default_size: int, max_size: int) -> None:
        self.conventions = conventions
        self.default_size = default_size
        self.max_size = max_size

    def window(self, params: list[tuple[str, str]]) -> Window:
        """The records a request asks for; 400 for what this server's paging cannot read."""
        style, given = self.conventions.paging, dict(params)
        if "page" in given and style != "page":
            if self.conventions.scalar_page == "reject":
                raise bad_parameter("page", "`page` must be an object, e.g. page[number] and page[size].")
            scalar = given.pop("page")
            if self.conventions.scalar_page == "accept" and style == "page[number]":
                given.setdefault("page[number]", scalar)
        unknown = [key for key in given if key not in _FAMILY[style]]
        if (
            unknown and self.conventions.scalar_page == "reject"
        ):  # a strict server refuses what it cannot read
            raise bad_parameter(unknown[0], f"Unsupported paging parameter {unknown[0]!r} here.")
        given = {key: value for key, value in given.items() if key not in unknown}
        size_key = "page[limit]" if style == "offset" else "page[size]"
        size = self.default_size
        cap = self.conventions.page_size_cap
        if size_key in given:
            size = _count(
                given[size_key], size_key, minimum=1, maximum=self.max_size if cap is None else None
            )
        if cap is not None:
            size = min(size, cap)
        if style == "offset":
            return Window(_count(given.get("page[offset]", "0"), "page[offset]", minimum=0), size)
        if style == "cursor":
            return Window(_uncursor(given["page[cursor]"]) if "page[cursor]" in given else 0, size)
        numbers = {
            _count(given[k], k, minimum=1) for k in ("page", "page[number]") if k in given
        }  # `page` and `page[number]` both read only in the documented style
        if len(numbers) > 1:
            raise bad_parameter("page", "`page` and `page[number]` disagree.")
        number = numbers.pop() if numbers else 1
        return Window((number - 1) * size, size)

    def _params(self, window: Window) -> list[tuple[str, str]]:
        style, size = self.conventions.paging, str(window.size)
        if style == "offset":
            return [("page[offset]", str(window.offset)), ("page[limit]", size)]
        if style == "cursor":
            return [("page[cursor]", _cursor(window.offset)), ("page[size]", size)]
        return [(style, str(window.offset // window.size + 1)), ("page[size]", size)]

    def meta(self, window: Window, total: int) -> dict[str, Any] | None:
        style, kind = self.conventions.paging, self.conventions.meta
        pages = math.ceil(total / window.size)
        numbered = style in ("page", "page[number]")
        number = window.offset // window.size + 1
        if kind == "none":
            return None
        if kind == "total":
            return {"total": total}
        if kind == "pagination":
            if numbered:
                return {"pagination": {"page": number, "pages": pages, "count": total}}
            return {"pagination": {"count": total, "limit": window.size, "offset": window.offset}}
        if numbered:
            return {
                "record_count": total,
                "page_count": pages,
                "page_number": number,
                "page_size": window.size,
            }
        return {"record_count": total}

    def links(
        self, base: str, extra: list[tuple[str, str]], window: Window, total: int
    ) -> dict[str, Any] | None:
        """self/first/prev/next/last; a cursor server offers no prev or last."""
        if self.conventions.links == "none":
            return None
        size, offset = window.size, window.offset

        def link(at: int | None) -> Any:
            if at is None:
                return None
            url = f"{base}?{urlencode([*extra, *self._params(Window(at, size))], safe='[],')}"
            return {"href": url} if self.conventions.links == "objects" else url

        last = max(math.ceil(total / size) - 1, 0) * size
        cursor = self.conventions.paging == "cursor"
        found: dict[str, Any] = {}
        if self.conventions.self_link:
            found["self"] = link(offset)
        found["first"] = link(0)
        if not cursor:
            found["prev"] = link(max(offset - size, 0)) if offset > 0 else None
        found["next"] = link(offset + size) if offset + size < total else None
        if not cursor:
            found["last"] = link(last)
        return found
