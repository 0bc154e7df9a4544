"""Checkpoint journal: an append-only JSONL file that lets a killed bulk job resume.

Line 1 is a header naming the operation, resource and key, so a journal is never replayed against a
different job. Every later line is ``{"k": identity, "s": state, "h": fingerprint, "id": ..., "e": ...}``;
the last line for an identity wins. The fingerprint is a hash of the input record, so a resumed job can
tell a record it already wrote from a changed one under the same identity (an edited input file).
``intent`` is written (and flushed) *before* a create is sent, so after a crash the job knows which
creates may have reached the server and looks those up before trying again.

Writes are group-committed: concurrent appends wait on one lock, and whoever holds it writes every
pending line in one worker-thread call (write, flush, fsync), so durability costs one fsync per batch,
not per record, and the event loop never blocks on disk.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

import anyio
import anyio.to_thread

from ..errors import CasebookError, InvalidInputError

State = Literal["intent", "created", "updated", "unchanged", "failed"]
DONE_STATES: frozenset[str] = frozenset({"created", "updated", "unchanged"})
FORMAT = 2


class JournalMismatchError(InvalidInputError):
    """The checkpoint file belongs to a different job (operation, resource, key) or different input."""


class JournalWriteError(CasebookError):
    """Writing the checkpoint failed (disk full, I/O error). The job stops: a write the journal cannot
    record could not be resumed safely. The report says what was written up to then."""


def fingerprint(record: Mapping[str, Any]) -> str:
    """A short, stable hash of one input record (key order does not matter)."""
    text = json.dumps(record, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


@dataclass(frozen=True)
class Entry:
    state: str
    id: str | None = None
    error: str | None = None
    fingerprint: str | None = None


def _read(path: Path, header: Mapping[str, Any]) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    with path.open("r", encoding="utf-8") as f:
        first = f.readline()
        if not first.strip():
            if f.read().strip():
                raise JournalMismatchError(f"{path}: not a checkpoint (its first line is blank)")
            return entries  # an empty (or blank) file: a fresh journal
        try:
            found = json.loads(first)
        except json.JSONDecodeError:
            found = None
        if not isinstance(found, dict):
            raise JournalMismatchError(f"{path}: not a checkpoint (its first line is not a header)")
        if found.get("format") != header.get("format"):
            raise JournalMismatchError(
                f"{path}: checkpoint format {found.get('format')!r}, written by another version of "
                f"casebook-async (this one reads format {header.get('format')!r}); finish that job with the "
                "version that started it"
            )
        if {k: found.get(k) for k in header} != dict(header):
            raise JournalMismatchError(f"{path}: checkpoint is for {found}, not {dict(header)}")
        for number, line in enumerate(f, start=2):
            if not line.endswith("\n"):
                break  # a torn last line from a crash mid-write: that entry was never committed
            try:
                raw = json.loads(line)
                entries[str(raw["k"])] = Entry(raw["s"], raw.get("id"), raw.get("e"), raw.get("h"))
            except (ValueError, KeyError, TypeError):
                raise JournalMismatchError(f"{path}: line {number} is not a checkpoint entry") from None
    return entries


class Journal:
    """Open with ``await Journal.open(path, header)``; ``entries`` holds what earlier runs recorded."""

    def __init__(self, path: Path, file: IO[str], entries: dict[str, Entry], durable: bool) -> None:
        self.path = path
        self.entries = entries
        self._file: IO[str] | None = file
        self._durable = durable
        self._pending: list[str] = []
        self._appended = 0  # sequence number of the last queued line
        self._committed = 0  # sequence number of the last line on disk
        self._lock = anyio.Lock()
        self._broken: JournalWriteError | None = None  # once a write failed, nothing more is recorded

    @classmethod
    async def open(
        cls, path: str | os.PathLike[str], header: Mapping[str, Any], *, durable: bool = True
    ) -> Journal:
        file_path = Path(path)
        full_header = {"format": FORMAT, **header}

        def load() -> tuple[IO[str], dict[str, Entry]]:
            entries = _read(file_path, full_header) if file_path.exists() else {}
            fresh = not entries and (not file_path.exists() or not file_path.read_text("utf-8").strip())
            if not fresh:
                _drop_torn_tail(file_path)
            handle = file_path.open("w" if fresh else "a", encoding="utf-8")
            if fresh:
                handle.write(json.dumps(full_header) + "\n")
                handle.flush()
            return handle, entries

        handle, entries = await anyio.to_thread.run_sync(load)
        return cls(file_path, handle, entries, durable)

    async def record(
        self,
        key: str,
        state: State,
        *,
        id: str | None = None,
        error: str | None = None,
        fingerprint: str | None = None,
    ) -> None:
        """Append one entry and return once it is on disk (flushed; fsynced when durable).
        JournalWriteError if it could not be written (then every later call raises it too)."""
        line: dict[str, Any] = {"k": key, "s": state}
        if fingerprint is not None:
            line["h"] = fingerprint
        if id is not None:
            line["id"] = id
        if error is not None:
            line["e"] = error
        self.entries[key] = Entry(state, id, error, fingerprint)
        self._pending.append(json.dumps(line) + "\n")
        self._appended += 1
        mine = self._appended
        async with self._lock:
            if self._committed >= mine:
                return  # an earlier holder of the lock wrote our line with its batch
            if self._broken is not None:
                raise self._broken  # our line was in the batch that failed, or came after it
            await self._write_pending()

    async def _write_pending(self) -> None:
        if self._broken is not None:
            return
        batch, self._pending = self._pending, []
        upto = self._appended
        if not batch or self._file is None:
            self._committed = upto
            return
        file, durable = self._file, self._durable

        def write() -> None:
            file.write("".join(batch))
            file.flush()
            if durable:
                os.fsync(file.fileno())

        # Shielded: once lines leave `_pending` they must reach the file even if the job is cancelled.
        with anyio.CancelScope(shield=True):
            try:
                await anyio.to_thread.run_sync(write)
            except OSError as exc:
                self._broken = self._write_error(exc)
                raise self._broken from exc
        self._committed = upto

    def _write_error(self, exc: OSError) -> JournalWriteError:
        return JournalWriteError(f"cannot write the checkpoint {self.path}: {exc}")

    async def aclose(self) -> None:
        """Write anything pending and close. Shielded: a cancelled job still leaves a complete journal."""
        with anyio.CancelScope(shield=True):
            async with self._lock:
                await self._write_pending()
            file, self._file = self._file, None
            if file is not None:
                try:
                    await anyio.to_thread.run_sync(file.close)  # flushes what a failed write left buffered
                except OSError as exc:
                    if self._broken is None:
                        raise self._write_error(exc) from exc
                    # else: that failure was already raised as JournalWriteError; this is the same disk


def _drop_torn_tail(path: Path) -> None:
    """Truncate a partial last line (a crash mid-write) so new entries start on a line of their own."""
    with path.open("rb+") as f:
        data = f.read()
        if data and not data.endswith(b"\n"):
            f.truncate(data.rfind(b"\n") + 1)
