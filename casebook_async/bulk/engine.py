"""The bulk sync engine: create, update or upsert many records with bounded, adaptive concurrency.

Guarantees:
* No duplicates. A create whose outcome is unknown (OutcomeUnknownError, or any failure that is not a
  definite 4xx) is followed by a lookup by the natural key (``filter[key]=value``) before it is tried
  again. The checkpoint marks each create as ``intent`` before it is sent, so a resumed job looks up
  exactly the creates a killed run may have left behind.
* Resumable. Records the checkpoint marks done are skipped without a request, if unchanged: each entry
  carries a fingerprint of its input record. A changed record is written again by update and upsert; a
  create refuses to resume over changed input (JournalMismatchError, before any request), since the
  earlier record exists and a create cannot change it.
* Accurate when stopped. On cancellation (cancel scope, Ctrl-C) the journal is flushed under a shield and
  the report (``BulkSync.report``) says, per record, what was written, failed, in doubt or not attempted.
* Adaptive by default. The job observes its own requests (``observability.observe``), so every 429 the
  server answers them, retried by the client or not, shrinks the window and is counted in the report;
  nothing needs wiring to the client. ``max_concurrency`` caps the window (and the client's own limit
  caps it too: a window larger than the requests that can be in flight would never be told to shrink).
"""

from __future__ import annotations

import os
import random
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping
from typing import Any, Literal, ParamSpec

import anyio
import attrs

import casebook_openapi.models as generated

from ..errors import (
    APIStatusError,
    CasebookError,
    InvalidInputError,
    RateLimitError,
    RelationshipNotSavedError,
    TransportError,
)
from ..observability import EventHooks, ResponseEvent, observe
from ..resources import ResourceAPI
from ..tracing import operation
from .aimd import AIMDLimiter
from .journal import DONE_STATES, Entry, Journal, JournalMismatchError, JournalWriteError, State, fingerprint
from .report import BulkReport, RecordResult, Status

AnyResource = ResourceAPI[Any, Any, Any]
INITIAL_CONCURRENCY = 8
DEFAULT_MAX_CONCURRENCY = 32
OnResult = Callable[[RecordResult], None]
Written = Literal["created", "updated"]


class DuplicateKeyError(CasebookError):
    """More than one record on the server has the natural key value: an upsert cannot pick one."""


def is_definite_failure(exc: BaseException) -> bool:
    """True when the request certainly changed nothing and repeating it cannot help (a 4xx other than
    429, or input rejected locally)."""
    if isinstance(exc, InvalidInputError | DuplicateKeyError):
        return True
    return isinstance(exc, APIStatusError) and 400 <= exc.status < 500 and exc.status != 429


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


P = ParamSpec("P")
Job = Callable[P, Coroutine[Any, Any, BulkReport]]


# --- tracing (casebook_async.tracing): one span per job, with the report's counts; nothing without a tracer
def _job(name: str) -> Callable[[Job[P]], Job[P]]:
    return operation(
        name,
        lambda sync: sync.api.http,
        resource=lambda sync: sync.api.spec.jsonapi_type,
        result=lambda report: {f"casebook.bulk.{status}": n for status, n in report.counts.items()},
    )


class BulkSync:
    """Runs one bulk job against one resource namespace (``cb.people`` ...).

    Args:
        api: the resource namespace.
        checkpoint: path of the JSONL journal; resume by running the same job with the same path.
        max_concurrency: records in flight at most (default 32); the window starts at 8 (or less) and
            adapts below this cap, and below the client's own ``max_concurrency``.
        limiter: an AIMDLimiter of your own instead (e.g. shared by several jobs); not with max_concurrency.
        max_attempts: tries per record (lookups after unknown outcomes included).
        retry_delay: base of the full-jitter backoff between tries (429s wait Retry-After instead).
        on_result: called with each final RecordResult (progress bars).
        durable: fsync the journal on every group commit.
    """

    def __init__(
        self,
        api: AnyResource,
        *,
        checkpoint: str | os.PathLike[str] | None = None,
        max_concurrency: int | None = None,
        limiter: AIMDLimiter | None = None,
        max_attempts: int = 10,
        retry_delay: float = 0.2,
        on_result: OnResult | None = None,
        durable: bool = True,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be >= 1")
        if max_concurrency is not None and limiter is not None:
            raise InvalidInputError("pass max_concurrency or a limiter, not both")
        if max_concurrency is not None and (isinstance(max_concurrency, bool) or max_concurrency < 1):
            raise InvalidInputError(f"max_concurrency must be a positive integer, got {max_concurrency!r}")
        self.api = api
        self.checkpoint = checkpoint
        if limiter is None:
            cap = min(max_concurrency or DEFAULT_MAX_CONCURRENCY, int(api.http.limiter.total_tokens))
            limiter = AIMDLimiter(min(INITIAL_CONCURRENCY, cap), maximum=cap)
        self.limiter = limiter
        self.max_attempts = max_attempts
        self.retry_delay = retry_delay
        self.on_result = on_result
        self.durable = durable
        self._sleep = sleep
        self._journal: Journal | None = None
        self._fingerprints: list[str] = []
        self._workers: anyio.abc.TaskGroup | None = None
        self._journal_failure: JournalWriteError | None = None
        self.report: BulkReport | None = None
        read_model = getattr(generated, f"{api.spec.model.__name__}Attributes", None)
        writable = {f.name for f in attrs.fields(api.spec.create_model)} | {
            f.name for f in attrs.fields(api.spec.update_model)
        }
        self._server_set = (
            {f.name for f in attrs.fields(read_model)} - writable if read_model is not None else set()
        )

    # --- public operations ---------------------------------------------------------------------------
    @_job("bulk_create")
    async def create(self, records: Iterable[Mapping[str, Any]], *, key: str | None = None) -> BulkReport:
        """POST each record (attribute mappings). ``key`` names the attribute that identifies a record;
        without it, a create with an unknown outcome cannot be checked and is reported in_doubt."""
        items = [dict(r) for r in records]
        identities = [self._identity(i, r, key) for i, r in enumerate(items)]
        return await self._run("create", key, items, identities, self._create_one)

    @_job("bulk_update")
    async def update(self, records: Iterable[Mapping[str, Any]]) -> BulkReport:
        """PATCH each record: a mapping with ``id`` plus the attributes to change."""
        items = [dict(r) for r in records]
        identities = [str(r.get("id") or f"#{i}") for i, r in enumerate(items)]
        return await self._run("update", None, items, identities, self._update_one)

    @_job("bulk_upsert")
    async def upsert(self, records: Iterable[Mapping[str, Any]], *, key: str) -> BulkReport:
        """Look each record up by ``key``: PATCH what differs, skip it if nothing does, POST if absent."""
        items = [dict(r) for r in records]
        identities = [self._identity(i, r, key) for i, r in enumerate(items)]
        return await self._run("upsert", key, items, identities, self._upsert_one)

    # --- the job ---------------------------------------------------------------------------------------
    @staticmethod
    def _identity(index: int, record: Mapping[str, Any], key: str | None) -> str:
        if key is None:
            return f"#{index}"
        value = record.get(key)
        return f"#{index}" if value is None else f"{key}={value}"

    async def _run(
        self,
        operation: str,
        key: str | None,
        items: list[dict[str, Any]],
        identities: list[str],
        worker: Callable[[RecordResult, dict[str, Any], str | None, Entry | None], Awaitable[None]],
    ) -> BulkReport:
        self.report = None
        self._fingerprints = []  # only a journal uses them
        entries: dict[str, Entry] = {}
        if self.checkpoint is not None:  # a journal refused here leaves no report: nothing was started
            self._fingerprints = [fingerprint(item) for item in items]
            header = {"operation": operation, "resource": self.api.spec.jsonapi_type, "key": key}
            self._journal = await Journal.open(self.checkpoint, header, durable=self.durable)
            try:
                entries = self._current_entries(operation, identities, self._journal.entries)
            except BaseException:
                await self._journal.aclose()
                self._journal = None
                raise
        report = BulkReport(operation, self.api.spec.jsonapi_type)
        report.results = [RecordResult(i, ident) for i, ident in enumerate(identities)]
        self.report = report

        def on_response(event: ResponseEvent) -> None:
            if event.status == 429:  # every 429 answered to this job's requests, retried or not
                report.throttled += 1
                if not self.limiter.hooked:  # else the client's hooks already report it to the limiter
                    self.limiter.on_throttle()

        try:
            # Settle what needs no request first, so a job stopped early still reports those records.
            seen: set[str] = set()
            to_write: list[tuple[RecordResult, dict[str, Any], Entry | None]] = []
            for result, item in zip(report.results, items, strict=True):
                entry = entries.get(result.key)
                if error := self._precheck(operation, key, item, result.key, seen):
                    self._finish(result, "failed", error=error)
                    continue
                seen.add(result.key)
                if entry is not None and entry.state in DONE_STATES:
                    if entry.error is not None:  # written without a relationship (_unlinked): still failed
                        self._finish(result, "failed", id=entry.id, error=entry.error)
                    else:
                        self._finish(result, "skipped", id=entry.id, reason="checkpoint")
                    continue
                if entry is not None and entry.state == "intent":
                    result.status = "in_doubt"  # an earlier run may have written it: until a lookup says
                to_write.append((result, item, entry))
            with observe(EventHooks(response=[on_response])):
                await self._write_all(to_write, worker, key)
        except BaseException:
            report.cancelled = True
            raise
        finally:
            if self._journal is not None:
                await self._journal.aclose()  # shielded inside
                self._journal = None
        return report

    def _current_entries(
        self, operation: str, identities: list[str], entries: Mapping[str, Entry]
    ) -> dict[str, Entry]:
        """The journal entries that still describe this input: an entry for a record that has changed
        since is dropped (update, upsert: write it again) or refused (create)."""
        current: dict[str, Entry] = {}
        changed: list[str] = []
        visited: set[str] = set()
        for identity, print_ in zip(identities, self._fingerprints, strict=True):
            if identity in visited:
                continue  # a later duplicate is refused by the precheck, never written
            visited.add(identity)
            entry = entries.get(identity)
            if entry is None:
                continue
            if entry.fingerprint == print_ or (entry.state == "intent" and operation == "upsert"):
                current[identity] = entry  # an upsert's intent stays: the lookup settles what landed
            elif entry.state != "failed":
                changed.append(identity)
        if changed and operation == "create":
            shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
            raise JournalMismatchError(
                f"{self.checkpoint}: {len(changed)} record(s) differ from the input this checkpoint was "
                f"written for ({shown}). A create cannot change records it already created, and a new "
                "checkpoint would create them again: apply edits with an upsert by key, or resume with the "
                "original input"
            )
        return current

    def _precheck(
        self, operation: str, key: str | None, item: Mapping[str, Any], identity: str, seen: set[str]
    ) -> str | None:
        if operation == "update" and not isinstance(item.get("id"), str):
            return "no id: an update needs the record's id"
        if key is not None and item.get(key) is None:
            return f"no value for the key attribute {key!r}"
        if identity in seen and (key is not None or operation == "update"):
            return f"duplicate {identity} in the input: only its first occurrence is written"
        return None

    async def _write_all(
        self,
        to_write: list[tuple[RecordResult, dict[str, Any], Entry | None]],
        worker: Callable[[RecordResult, dict[str, Any], str | None, Entry | None], Awaitable[None]],
        key: str | None,
    ) -> None:
        """One task per record, as the limiter admits them; JournalWriteError if the journal broke."""
        self._journal_failure = None
        async with anyio.create_task_group() as tg:
            self._workers = tg
            for result, item, entry in to_write:
                await self.limiter.acquire_for(result)
                tg.start_soon(self._guarded, worker, result, item, key, entry)
        if self._journal_failure is not None:
            raise self._journal_failure

    async def _guarded(
        self,
        worker: Callable[[RecordResult, dict[str, Any], str | None, Entry | None], Awaitable[None]],
        result: RecordResult,
        item: dict[str, Any],
        key: str | None,
        entry: Entry | None,
    ) -> None:
        try:
            await worker(result, item, key, entry)
        except JournalWriteError as exc:
            # Without a journal, a crash from here on could not be resumed safely: stop every worker.
            self._journal_failure = self._journal_failure or exc
            assert self._workers is not None
            self._workers.cancel_scope.cancel()
        finally:
            self.limiter.release_for(result)

    def _finish(
        self,
        result: RecordResult,
        status: Status,
        *,
        id: str | None = None,
        error: str | None = None,
        reason: str | None = None,
    ) -> None:
        result.status = status
        result.id = id if id is not None else result.id
        result.error = error
        result.reason = reason
        if self.on_result is not None:
            self.on_result(result)

    async def _journal_record(self, result: RecordResult, state: State, error: str | None = None) -> None:
        if self._journal is not None:
            await self._journal.record(
                result.key, state, id=result.id, error=error, fingerprint=self._fingerprints[result.index]
            )

    async def _pause(self, exc: BaseException, attempt: int) -> None:
        """Wait before the next try: Retry-After on 429 (the window already shrank when the 429 was
        answered), else full-jitter backoff."""
        if isinstance(exc, RateLimitError) and exc.retry_after is not None:
            await self._sleep(exc.retry_after)
            return
        ceiling = self.retry_delay * 2.0 ** min(attempt - 1, 6)
        await self._sleep(random.random() * ceiling)  # noqa: S311 - jitter, not secrecy

    async def _lookup(self, key: str, value: Any, *, after_unknown_outcome: bool) -> Any | None:
        """The one server record whose ``key`` equals ``value``, or None. Counted in the report when it
        is made to rule out a duplicate after an unknown outcome (an upsert's own lookup is not)."""
        assert self.report is not None
        if after_unknown_outcome:
            self.report.lookups += 1
        page = await self.api.page(1, filter={key: value}, page_size=2)
        if len(page.data) > 1:
            raise DuplicateKeyError(f"{len(page.data)} {self.api.spec.jsonapi_type} have {key}={value!r}")
        return page.data[0] if page.data else None

    def _attributes(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """Input attributes minus the id and server-set ones (an export can be imported again)."""
        return {k: v for k, v in record.items() if k != "id" and k not in self._server_set}

    async def _unlinked(self, result: RecordResult, exc: RelationshipNotSavedError, journal: State) -> None:
        """A write the server applied without a relationship it was given: failed, with the record's id; a
        create is journaled as created so that a resumed job does not write the record twice."""
        result.id = exc.record.id
        self._finish(result, "failed", error=_describe(exc))
        self.limiter.on_success()  # the server answered the write: no reason to slow down
        await self._journal_record(result, journal, _describe(exc))

    # --- workers -------------------------------------------------------------------------------------
    async def _create_one(
        self, result: RecordResult, item: dict[str, Any], key: str | None, entry: Entry | None
    ) -> None:
        attributes = self._attributes(item)
        # An intent left by an earlier run means that create may have reached the server.
        maybe_written = entry is not None and entry.state == "intent"
        last: BaseException | None = None
        for attempt in range(1, self.max_attempts + 1):
            result.attempts = attempt
            try:
                if maybe_written and key is None:
                    self._finish(
                        result, "in_doubt", error="outcome unknown and no key to look the record up by"
                    )
                    return
                if maybe_written:
                    assert key is not None
                    found = await self._lookup(key, item[key], after_unknown_outcome=True)
                    if found is not None:
                        result.id = found.id
                        self._finish(result, "created", reason="recovered after an unknown outcome")
                        self.limiter.on_success()
                        await self._journal_record(result, "created")
                        return
                    maybe_written = False  # the lookup proves it was not written
                await self._journal_record(result, "intent")
                result.status = "in_doubt"  # from here until an answer, the create may be applied
                record = await self.api.create(attributes)
            except JournalWriteError:
                raise  # not an answer to the request: the job stops (see _guarded)
            except RelationshipNotSavedError as exc:  # written without a link: never to be sent again
                await self._unlinked(result, exc, "created")
                return
            except CasebookError as exc:
                last = exc
                if is_definite_failure(exc):
                    if not maybe_written:
                        self._finish(result, "failed", error=_describe(exc))
                        await self._journal_record(result, "failed", _describe(exc))
                    else:  # a lookup said "ambiguous": the create may still exist
                        self._finish(result, "in_doubt", error=_describe(exc))
                    return
                # 429 is definite (nothing written). For a POST the http layer raises a bare TransportError
                # only when it was never sent (else OutcomeUnknownError); anything else may have been applied.
                maybe_written = maybe_written or not isinstance(exc, RateLimitError | TransportError)
                if not maybe_written:
                    result.status = "not_attempted"
                await self._pause(exc, attempt)
                continue
            result.id = record.id
            self._finish(result, "created")
            self.limiter.on_success()
            await self._journal_record(result, "created")
            return
        assert last is not None
        if maybe_written:
            self._finish(
                result, "in_doubt", error=f"gave up after {self.max_attempts} tries: {_describe(last)}"
            )
        else:
            self._finish(
                result, "failed", error=f"gave up after {self.max_attempts} tries: {_describe(last)}"
            )
            await self._journal_record(result, "failed", _describe(last))

    async def _update_one(
        self, result: RecordResult, item: dict[str, Any], key: str | None, entry: Entry | None
    ) -> None:
        record_id = str(item["id"])
        attributes = self._attributes(item)
        result.id = record_id
        last: BaseException | None = None
        for attempt in range(1, self.max_attempts + 1):
            result.attempts = attempt
            result.status = "in_doubt"
            try:
                await self.api.update(record_id, attributes)  # PATCH is idempotent: safe to repeat
            except JournalWriteError:
                raise  # not an answer to the request: the job stops (see _guarded)
            except RelationshipNotSavedError as exc:
                await self._unlinked(result, exc, "failed")
                return
            except CasebookError as exc:
                last = exc
                if is_definite_failure(exc):
                    self._finish(result, "failed", error=_describe(exc))
                    await self._journal_record(result, "failed", _describe(exc))
                    return
                await self._pause(exc, attempt)
                continue
            self._finish(result, "updated")
            self.limiter.on_success()
            await self._journal_record(result, "updated")
            return
        assert last is not None
        self._finish(result, "in_doubt", error=f"gave up after {self.max_attempts} tries: {_describe(last)}")

    async def _upsert_one(
        self, result: RecordResult, item: dict[str, Any], key: str | None, entry: Entry | None
    ) -> None:
        assert key is not None
        attributes = self._attributes(item)
        last: BaseException | None = None
        # The write that may have been applied without us hearing back ("created" after an earlier run's
        # intent): if the lookup then finds the record as wanted, that write is what happened.
        pending: Written | None = "created" if entry is not None and entry.state == "intent" else None
        for attempt in range(1, self.max_attempts + 1):
            result.attempts = attempt
            sending: Written | None = None
            try:
                existing = await self._lookup(key, item[key], after_unknown_outcome=pending is not None)
                if existing is None:
                    pending = None  # whatever was sent before did not create it
                    await self._journal_record(result, "intent")
                    sending = "created"
                    result.status = "in_doubt"
                    record = await self.api.create(attributes)
                    result.id = record.id
                else:
                    result.id = existing.id
                    current = existing.attributes.to_dict()
                    changes = {k: v for k, v in attributes.items() if current.get(k) != v}
                    if changes:
                        sending = pending or "updated"
                        result.status = "in_doubt"
                        await self.api.update(existing.id, changes)
                    elif pending is None:
                        self._finish(result, "skipped", reason="unchanged")
                        self.limiter.on_success()
                        await self._journal_record(result, "unchanged")
                        return
                    else:
                        sending = pending
            except JournalWriteError:
                raise  # not an answer to the request: the job stops (see _guarded)
            except RelationshipNotSavedError as exc:
                await self._unlinked(result, exc, "created" if sending == "created" else "failed")
                return
            except CasebookError as exc:
                last = exc
                if is_definite_failure(exc):  # this request changed nothing; an earlier one may have
                    if pending is not None:
                        self._finish(result, "in_doubt", error=_describe(exc))
                    else:
                        self._finish(result, "failed", error=_describe(exc))
                        await self._journal_record(result, "failed", _describe(exc))
                    return
                if sending is not None and not isinstance(exc, RateLimitError):
                    pending = sending  # sent without an answer: it may have been applied
                result.status = "in_doubt" if pending is not None else "not_attempted"
                await self._pause(exc, attempt)
                continue
            assert sending is not None
            self._finish(result, sending)
            self.limiter.on_success()
            await self._journal_record(result, sending)
            return
        assert last is not None
        message = f"gave up after {self.max_attempts} tries: {_describe(last)}"
        if pending is not None:
            self._finish(result, "in_doubt", error=message)
        else:
            self._finish(result, "failed", error=message)
            await self._journal_record(result, "failed", _describe(last))


async def bulk_create(
    api: AnyResource, records: Iterable[Mapping[str, Any]], *, key: str | None = None, **options: Any
) -> BulkReport:
    """``BulkSync(api, **options).create(records, key=key)``."""
    return await BulkSync(api, **options).create(records, key=key)


async def bulk_update(api: AnyResource, records: Iterable[Mapping[str, Any]], **options: Any) -> BulkReport:
    """``BulkSync(api, **options).update(records)``."""
    return await BulkSync(api, **options).update(records)


async def bulk_upsert(
    api: AnyResource, records: Iterable[Mapping[str, Any]], *, key: str, **options: Any
) -> BulkReport:
    """``BulkSync(api, **options).upsert(records, key=key)``."""
    return await BulkSync(api, **options).upsert(records, key=key)
