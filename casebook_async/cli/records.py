"""Record I/O for the CLI: ``--filter`` parsing, JSONL/CSV writers, JSONL and CSV reading for imports.

Exported lines are flat: ``{"id": ..., <attributes>}``; imports accept that shape or a JSON:API resource
object (its ``attributes`` are used), so an export can be imported again.

CSV: the header names attributes. Each cell is read as the type the resource's model declares for that
column (integers, numbers, ``true``/``false``, JSON for lists and objects, text for the rest, dates
included), and an **empty cell is null** (that is how an export writes null, so an export imports
again as it was); a column that is not in the file is not sent at all. An empty string cannot be
written from CSV (use JSONL). A cell that does not read as its type is sent as written, and the record
fails with the reason and its line number.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import os
import re
import tempfile
import typing
from collections.abc import AsyncIterator, Callable, Generator, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final, Protocol

import anyio
import anyio.to_thread
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


def columns(attributes_model: type[Any] | None) -> list[str]:
    """CSV header: the id, then every attribute the model declares (stable across records, and known
    before the first record, so an empty export still has its header)."""
    names = (
        [f.name for f in attrs.fields(attributes_model) if f.name != "additional_properties"]
        if attributes_model is not None and attrs.has(attributes_model)
        else []
    )
    return ["id", *names]


class AsyncText(Protocol):
    async def write(self, data: str) -> Any: ...

    async def flush(self) -> Any: ...


class Writer:
    """Writes records as JSONL or CSV to an async text file. ``attributes_model`` (the generated
    ``XAttributes`` class) gives the CSV header; call ``finish()`` at the end, so that a CSV export of
    nothing still has it. ``continuing``: ``out`` already holds an export's start, header included."""

    def __init__(
        self,
        out: AsyncText,
        fmt: str,
        attributes_model: type[Any] | None = None,
        *,
        continuing: bool = False,
    ) -> None:
        if fmt not in ("jsonl", "csv"):
            raise InputError(f"--format must be jsonl or csv, got {fmt!r}")
        self._out = out
        self._fmt = fmt
        self._model = attributes_model
        self._header: list[str] | None = None
        self._header_written = continuing
        self.count = 0

    async def sync(self) -> None:
        """Flush what was written and, for a regular file, fsync it: a watermark saved after this cannot
        claim records a crash then loses. (A pipe or terminal is flushed only.)"""
        await self._out.flush()
        fileno = getattr(getattr(self._out, "wrapped", None), "fileno", None)
        if fileno is None:
            return
        try:
            descriptor = fileno()
        except (OSError, ValueError):  # no descriptor (an in-memory file)
            return

        def fsync() -> None:
            with contextlib.suppress(OSError):  # EINVAL: a pipe or a terminal has nothing to sync
                os.fsync(descriptor)

        await anyio.to_thread.run_sync(fsync)

    async def finish(self) -> None:
        if self._fmt == "csv" and not self._header_written:
            self._header = columns(self._model)
            self._header_written = True
            await self._out.write(_csv_line(self._header))

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
            self._header = columns(self._model or type(getattr(batch[0], "attributes", None)))
        if not self._header_written:
            self._header_written = True
            buffer.write(_csv_line(self._header))
        writer = csv.DictWriter(buffer, self._header, extrasaction="ignore", lineterminator="\n")
        for record in batch:
            writer.writerow({k: _cell(v) for k, v in flat(record).items()})
        return buffer.getvalue()


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
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
    return _parse_lines(await _read_text(path), str(path))


# --- CSV input -------------------------------------------------------------------------------------------
def _reader_for(annotation: Any) -> Callable[[str], Any]:
    """How to read a cell for an attribute of this (generated) type; text for anything else."""
    parts = typing.get_args(annotation) or (annotation,)  # a union's members, or the type itself
    members = {typing.get_origin(part) or part for part in parts}
    if bool in members:
        return _boolean
    if int in members:
        return int
    if float in members:
        return float
    if members & {list, dict}:
        return json.loads
    return str


def _boolean(cell: str) -> bool:
    lowered = cell.strip().lower()
    if lowered not in ("true", "false"):
        raise ValueError(f"{cell!r} is not true or false")
    return lowered == "true"


def cell_readers(attributes_model: type[Any] | None) -> dict[str, Callable[[str], Any]]:
    if attributes_model is None or not attrs.has(attributes_model):
        return {}
    try:
        hints = typing.get_type_hints(attributes_model)
    except (NameError, TypeError):
        hints = {}
    return {name: _reader_for(hint) for name, hint in hints.items() if name != "additional_properties"}


def parse_csv(
    text: str, source: str, attributes_model: type[Any] | None
) -> tuple[list[dict[str, Any]], list[int]]:
    """Rows of attributes (typed by the model; an empty cell is null) and each row's line number."""
    readers = cell_readers(attributes_model)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header or not any(name.strip() for name in header):
        return [], []
    names = [name.strip() for name in header]
    rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    for cells in reader:
        line = reader.line_num  # the line the row ends on (a quoted cell may span lines)
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(names):
            raise InputError(f"{source}:{line}: {len(cells)} cells, but the header has {len(names)} columns")
        row: dict[str, Any] = {}
        for name, cell in zip(names, cells, strict=True):
            if cell == "":
                row[name] = None
                continue
            try:
                row[name] = readers.get(name, str)(cell)
            except ValueError:
                row[name] = cell  # as written: the record fails with its reason and line number
        rows.append(row)
        numbers.append(line)
    return rows, numbers


async def read_rows(
    path: Path, fmt: str | None, attributes_model: type[Any] | None
) -> tuple[list[dict[str, Any]], list[int]]:
    """An import file's rows and their line numbers: CSV when ``fmt`` says so or the name ends in .csv."""
    text = await _read_text(path)
    if (fmt or ("csv" if path.suffix.lower() == ".csv" else "jsonl")) == "csv":
        return parse_csv(text, str(path), attributes_model)
    return _parse_lines(text, str(path))


async def _read_text(path: Path) -> str:
    try:
        return await anyio.Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text (byte {exc.start}: {exc.reason})") from None


async def read_ids(path: Path) -> AsyncIterator[str]:
    """The ``id`` of each record of an export (JSONL, or CSV by its .csv name), streamed: read in a worker
    thread, ``_ID_BATCH`` ids a hop (a thread hop per line would cost more than the reading)."""
    ids = _ids(path)
    try:
        while batch := await anyio.to_thread.run_sync(_take, ids, _ID_BATCH):
            for record_id in batch:
                yield record_id
    finally:
        ids.close()  # closes the file


_ID_BATCH: Final = 10_000


def _take(ids: Iterator[str], count: int) -> list[str]:
    return list(itertools.islice(ids, count))


def _ids(path: Path) -> Generator[str, None, None]:
    try:
        with open(path, encoding="utf-8", newline="") as lines:
            if path.suffix.lower() == ".csv":
                rows = csv.reader(lines)  # a quoted cell may span lines: rows, not lines
                header = next(rows, [])
                if "id" not in header:
                    raise InputError(f"{path}: no id column")
                column = header.index("id")
                for cells in rows:
                    if len(cells) > column and cells[column]:
                        yield cells[column]
                return
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    record_id = json.loads(line).get("id")
                except (json.JSONDecodeError, AttributeError):
                    raise InputError(f"{path}:{number}: not a JSON object") from None
                if not isinstance(record_id, str):
                    raise InputError(f"{path}:{number}: no id")
                yield record_id
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path} cannot be read as an export: {exc}") from None


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` all at once: a crash leaves the old file or the new, never half of
    one (a temporary file in the same directory, fsynced, then renamed over it)."""
    fd, temporary = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


async def save_atomic(path: Path, text: str) -> None:
    """``write_atomic`` in a worker thread, shielded: a watermark being saved is saved whole."""
    with anyio.CancelScope(shield=True):
        await anyio.to_thread.run_sync(write_atomic, path, text)
