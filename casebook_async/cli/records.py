"""Record I/O for the CLI: ``--filter`` parsing, JSONL/CSV writers, and JSONL reading for imports.

Exported lines are flat: ``{"id": ..., <attributes>}``; imports accept that shape or a JSON:API resource
object (its ``attributes`` are used), so an export can be imported again.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

import anyio
import attrs

_FILTER = re.compile(r"^(?P<field>[A-Za-z_][A-Za-z0-9_.]*)(?:\[(?P<op>[a-z]+)\])?=(?P<value>.*)$", re.DOTALL)


class InputError(ValueError):
    """A command-line value or input line that cannot be used."""


def parse_filters(items: Iterable[str]) -> dict[str, Any]:
    """``field=value`` / ``field[op]=value`` → the facade's filter mapping (``null`` means empty)."""
    out: dict[str, Any] = {}
    for item in items:
        match = _FILTER.match(item)
        if match is None:
            raise InputError(f"--filter {item!r}: expected field=value or field[op]=value")
        field, op, raw = match["field"], match["op"] or "eq", match["value"]
        value: Any = None if raw == "null" else raw
        current = out.setdefault(field, {})
        if not isinstance(current, dict) or op in current:
            raise InputError(f"--filter {item!r}: {field} is already filtered with {op}")
        current[op] = value
    return out


def flat(record: Any) -> dict[str, Any]:
    """A generated record model → ``{"id": ..., **attributes}`` (JSON-ready)."""
    attributes = record.attributes.to_dict() if hasattr(record, "attributes") else {}
    return {"id": record.id, **attributes}


def columns(record: Any) -> list[str]:
    """CSV header: the id, then every attribute the record's model declares (stable across records)."""
    attributes = getattr(record, "attributes", None)
    names = (
        [f.name for f in attrs.fields(type(attributes)) if f.name != "additional_properties"]
        if attributes is not None and attrs.has(type(attributes))
        else []
    )
    return ["id", *names]


class AsyncText(Protocol):
    async def write(self, data: str) -> Any: ...


class Writer:
    """Writes records as JSONL or CSV to an async text file."""

    def __init__(self, out: AsyncText, fmt: str) -> None:
        if fmt not in ("jsonl", "csv"):
            raise InputError(f"--format must be jsonl or csv, got {fmt!r}")
        self._out = out
        self._fmt = fmt
        self._header: list[str] | None = None
        self.count = 0

    async def write(self, records: Iterable[Any]) -> None:
        batch = list(records)
        if not batch:
            return
        if self._fmt == "jsonl":
            text = "".join(json.dumps(flat(r), ensure_ascii=False) + "\n" for r in batch)
        else:
            text = self._csv(batch)
        await self._out.write(text)
        self.count += len(batch)

    def _csv(self, batch: list[Any]) -> str:
        buffer = io.StringIO()
        if self._header is None:
            self._header = columns(batch[0])
            csv.writer(buffer, lineterminator="\n").writerow(self._header)
        writer = csv.DictWriter(buffer, self._header, extrasaction="ignore", lineterminator="\n")
        for record in batch:
            writer.writerow({k: _cell(v) for k, v in flat(record).items()})
        return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _parse_lines(text: str, source: str) -> tuple[list[dict[str, Any]], list[int]]:
    rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{source}:{number}: not JSON ({exc.msg})") from None
        if isinstance(raw, Mapping) and isinstance(raw.get("attributes"), Mapping):
            raw = raw["attributes"]  # a JSON:API resource object
        if not isinstance(raw, Mapping):
            raise InputError(f"{source}:{number}: expected a JSON object of attributes")
        rows.append(dict(raw))
        numbers.append(number)
    return rows, numbers


async def read_jsonl(path: Path) -> tuple[list[dict[str, Any]], list[int]]:
    """Attribute objects, one per line (blank lines ignored), and the line number of each."""
    try:
        text = await anyio.Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text (byte {exc.start}: {exc.reason})") from None
    return _parse_lines(text, str(path))
