"""The bad-input table (docs/bad-inputs.md), row by row: each bad input, the exact error class the user gets,
and how many requests were sent (counted by respx, or by the sandbox's request log for rows where the
server is the one that knows). A test also keeps the document and this table in step."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import anyio.lowlevel
import httpx
import pytest
import respx

from casebook_async import (
    AuthenticationError,
    BadRequestError,
    Casebook,
    F,
    InsecureURLError,
    InvalidInputError,
    InvalidQueryError,
    InvalidResponseError,
    PaginationError,
    PermissionDeniedError,
    RelationshipNotSavedError,
    RetryPolicy,
    ServerError,
)
from casebook_async.bulk import BulkSync, JournalMismatchError, bulk_update, bulk_upsert, export_changed
from casebook_async.flows import FileTooLargeError, upload_attachment
from casebook_async.sandbox import Sandbox

pytestmark = pytest.mark.anyio

BASE = "https://api.casebook.net"
TOKEN = "tok-bad-inputs"
DOC = Path(__file__).resolve().parents[2] / "docs" / "bad-inputs.md"
MAX_FILE = 10_485_760
RETRY_ATTEMPTS = 3


async def no_sleep(_: float) -> None:
    await anyio.lowlevel.checkpoint()


def person(id_: Any = "1", **attributes: Any) -> dict[str, Any]:
    return {"type": "people", "id": id_, "attributes": {"first_name": "A", "last_name": "B", **attributes}}


def accept_everything(request: httpx.Request) -> httpx.Response:
    """A server that says yes: any error a row expects must then come from the client itself."""
    if request.method == "GET" and request.url.path == "/people/people":
        return httpx.Response(200, json={"data": [], "meta": {"record_count": 0}})
    if request.method == "DELETE":
        return httpx.Response(204)
    return httpx.Response(201 if request.method == "POST" else 200, json={"data": person()})


@dataclass(frozen=True)
class Row:
    id: str
    call: Callable[[Casebook], Awaitable[Any]]
    error: type[BaseException] | None  # None: no exception, the per-record result says "failed"
    requests: int
    answer: httpx.Response | None = None  # what the (respx) server answers; default: accept_everything
    defect: str | None = None  # known library defect: the row states what a user should get


async def construct(base_url: str) -> Casebook:
    return Casebook(base_url=base_url, token=TOKEN)


async def construct_with_token(token: str) -> Casebook:
    return Casebook(base_url=BASE, token=token)


async def construct_with(**options: Any) -> Casebook:
    return Casebook(base_url=BASE, token=TOKEN, **options)


async def options(cb: Casebook, headers: dict[str, str]) -> Any:
    return await cb.with_options(extra_headers=headers).people.get("1")


def locate(relationships: Any = None, **attributes: Any) -> Callable[[Casebook], Awaitable[Any]]:
    return lambda cb: cb.locations.create({"name": "x", **attributes}, relationships=relationships)


async def upsert_without_key(cb: Casebook) -> Any:
    report = await bulk_upsert(cb.people, [{"first_name": "A", "last_name": "B"}], key="email")
    assert [(r.status, r.error) for r in report.results] == [
        ("failed", "no value for the key attribute 'email'")
    ]
    return report


async def update_without_id(cb: Casebook) -> Any:
    report = await bulk_update(cb.people, [{"first_name": "A"}])
    assert [(r.status, r.error) for r in report.results] == [
        ("failed", "no id: an update needs the record's id")
    ]
    return report


async def create_over_changed_input(cb: Casebook) -> Any:
    """Resume a keyed create with a checkpoint that recorded a different version of the record as done."""
    with tempfile.TemporaryDirectory() as directory:
        journal = Path(directory) / "people.checkpoint.jsonl"
        journal.write_text(
            '{"format": 2, "operation": "create", "resource": "people", "key": "email"}\n'
            '{"k": "email=a@example.org", "s": "created", "id": "1", "h": "0123456789abcdef"}\n'
        )
        row = {"first_name": "A", "last_name": "Edited", "email": "a@example.org"}
        return await BulkSync(cb.people, checkpoint=journal).create([row], key="email")


def upload(size: int, record: tuple[str, str] = ("people", "1")) -> Callable[[Casebook], Awaitable[Any]]:
    return lambda cb: upload_attachment(
        cb, b"x" * size, filename="scan.pdf", content_type="application/pdf", record=record
    )


def create(**attributes: Any) -> Callable[[Casebook], Awaitable[Any]]:
    return lambda cb: cb.people.create({"first_name": "A", "last_name": "B", **attributes})


def page(*args: Any, **kwargs: Any) -> Callable[[Casebook], Awaitable[Any]]:
    return lambda cb: cb.people.page(*args, **kwargs)


def jsonapi(body: Any, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=body, headers={"content-type": "application/vnd.api+json"})


WIRE_ROWS = [
    # --- caught locally: nothing is sent --------------------------------------------------------------
    Row("oversized-attachment", upload(MAX_FILE + 1), FileTooLargeError, 0),
    Row("upload-unknown-record-type", upload(10, ("widgets", "1")), InvalidInputError, 0),
    Row("bad-enum", create(hispanic_or_latino="hispanic_or_latino"), InvalidInputError, 0),
    Row("missing-required-attribute", lambda cb: cb.people.create({"first_name": "A"}), InvalidInputError, 0),
    Row("server-set-attribute", create(created_at="2025-01-01T00:00:00Z"), InvalidInputError, 0),
    # By design, not a defect: attributes the model does not declare are tenant custom fields (the spec's
    # additionalProperties), so a typo cannot be told apart locally; the server decides.
    Row("unknown-attribute", create(fist_name="typo"), None, 1),
    Row("unknown-filter-operator", page(filter={"last_name": {"contains": "x"}}), InvalidQueryError, 0),
    Row(
        "naive-datetime-filter",
        page(filter={"created_at": {"ge": datetime(2025, 1, 1)}}),
        InvalidQueryError,
        0,
    ),
    Row(
        "chained-range-filter",
        # Python evaluates `a <= x <= b` as `(a <= x) and (x <= b)`: the first condition would be dropped.
        lambda cb: cb.people.page(filter=[date(2025, 1, 1) <= F("created_at") <= date(2025, 2, 1)]),
        InvalidQueryError,
        0,
    ),
    Row("attribute-not-json", create(shoe_size=Decimal("42.5")), InvalidInputError, 0),
    Row("attribute-nan", create(score=float("nan")), InvalidInputError, 0),
    Row("page-size-zero", page(page_size=0), InvalidQueryError, 0),
    Row("page-size-negative", page(page_size=-5), InvalidQueryError, 0),
    Row("page-size-over-100", page(page_size=101), InvalidQueryError, 0),
    Row("page-size-not-int", page(page_size="10"), InvalidQueryError, 0),
    Row(
        "extra-header-authorization",
        lambda cb: options(cb, {"Authorization": "Bearer x"}),
        InvalidInputError,
        0,
    ),
    Row("extra-header-carries-the-token", lambda cb: options(cb, {"X-Token": TOKEN}), InvalidInputError, 0),
    Row(
        "http2-with-own-transport",
        lambda cb: construct_with(http2=True, transport=httpx.MockTransport(accept_everything)),
        InvalidInputError,
        0,
    ),
    Row("page-number-zero", page(0), InvalidQueryError, 0),
    Row("get-empty-id", lambda cb: cb.people.get(""), InvalidInputError, 0),
    Row("get-none-id", lambda cb: cb.people.get(None), InvalidInputError, 0),  # type: ignore[arg-type]
    Row("update-empty-id", lambda cb: cb.people.update("", {"first_name": "A"}), InvalidInputError, 0),
    Row("update-none-id", lambda cb: cb.people.update(None, {"first_name": "A"}), InvalidInputError, 0),  # type: ignore[arg-type]
    Row("delete-blank-id", lambda cb: cb.people.delete("  "), InvalidInputError, 0),
    Row("delete-none-id", lambda cb: cb.people.delete(None), InvalidInputError, 0),  # type: ignore[arg-type]
    Row("non-https-url", lambda cb: construct("http://api.casebook.net"), InsecureURLError, 0),
    Row("non-https-url-ip", lambda cb: construct("http://203.0.113.9:8080"), InsecureURLError, 0),
    Row("token-with-line-break", lambda cb: construct_with_token(TOKEN + "\n"), InvalidInputError, 0),
    Row(
        "unknown-page-parameter",
        lambda cb: construct_with(page_parameter="page[offset]"),
        InvalidInputError,
        0,
    ),
    Row("unknown-relationship", locate(relationships={"owner": "u1"}), InvalidInputError, 0),
    Row("to-one-relationship-given-a-list", locate(relationships={"provider": ["p1"]}), InvalidInputError, 0),
    Row(
        "relationship-and-attribute-disagree",
        locate(provider_id="p2", relationships={"provider": "p1"}),
        InvalidInputError,
        0,
    ),
    Row(
        "reverse-relationship-written",
        lambda cb: cb.providers.update("p1", relationships={"staff": ["s1"]}),
        InvalidInputError,
        0,
    ),
    Row("bulk-upsert-missing-key", upsert_without_key, None, 0),
    Row("bulk-update-missing-id", update_without_id, None, 0),
    Row("bulk-create-changed-input-on-checkpoint", create_over_changed_input, JournalMismatchError, 0),
    Row(
        "export-lower-bound-in-filter",
        lambda cb: export_changed(cb.people, filter={"updated_at": {"ge": "2025-01-01"}}).collect(),
        InvalidQueryError,
        0,
    ),
    # --- malformed server responses: one request, not retried (repeating cannot fix a bad body) --------
    Row(
        "non-json-body",
        lambda cb: cb.people.get("1"),
        InvalidResponseError,
        1,
        httpx.Response(200, text="<html>"),
    ),
    Row("empty-body", lambda cb: cb.people.get("1"), InvalidResponseError, 1, httpx.Response(200)),
    Row("missing-data", lambda cb: cb.people.get("1"), InvalidResponseError, 1, jsonapi({"meta": {}})),
    Row("collection-missing-data", page(), InvalidResponseError, 1, jsonapi({"meta": {}})),
    Row(
        "data-is-a-list",
        lambda cb: cb.people.get("1"),
        InvalidResponseError,
        1,
        jsonapi({"data": [person()]}),
    ),
    Row("collection-data-is-an-object", page(), InvalidResponseError, 1, jsonapi({"data": person()})),
    Row("collection-item-not-an-object", page(), InvalidResponseError, 1, jsonapi({"data": [person(), 42]})),
    Row(
        "wrong-resource-type",
        lambda cb: cb.people.get("1"),
        InvalidResponseError,
        1,
        jsonapi({"data": {**person(), "type": "cases"}}),
    ),
    Row(
        "bad-datetime",
        lambda cb: cb.people.get("1"),
        InvalidResponseError,
        1,
        jsonapi({"data": person(created_at="yesterday")}),
    ),
    Row(
        "number-for-a-string",
        lambda cb: cb.people.get("1"),
        InvalidResponseError,
        1,
        jsonapi({"data": person(first_name=42)}),
    ),
    Row(
        "id-not-a-string",
        lambda cb: cb.people.get("1"),
        InvalidResponseError,
        1,
        jsonapi({"data": person(id_=1)}),
    ),
    Row(
        "deeply-nested-json",
        lambda cb: cb.people.get("1"),
        InvalidResponseError,
        1,
        httpx.Response(200, content=b"[" * 100_000 + b"]" * 100_000),
    ),
    # --- a server whose answer disagrees with what was asked: stopped, never silently lost or repeated ---
    Row(
        "page-labelled-as-another",
        page(2, page_size=1),  # page 1 (to learn how the server pages), then page 2: page 1 again
        PaginationError,
        2,
        jsonapi({"data": [person()], "meta": {"record_count": 5, "page_number": 1}}),
    ),
    Row(
        "links-contradict-meta",
        lambda cb: cb.people.list().collect(),
        PaginationError,
        1,
        jsonapi({"data": [person()], "links": {"next": None}, "meta": {"page_count": 3}}),
    ),
    Row(
        "link-not-kept",
        locate(provider_id="p1"),
        RelationshipNotSavedError,
        1,
        jsonapi(
            {"data": {"type": "locations", "id": "9", "attributes": {"name": "x", "provider_id": None}}}, 201
        ),
    ),
    Row(
        "html-error-page-503",
        lambda cb: cb.people.get("1"),
        ServerError,
        RETRY_ATTEMPTS,
        httpx.Response(503, text="<html>busy</html>"),
    ),
]


def params(rows: list[Row]) -> list[Any]:
    return [
        pytest.param(
            row,
            id=row.id,
            marks=[pytest.mark.xfail(strict=True, reason=f"library defect: {row.defect}")]
            if row.defect
            else [],
        )
        for row in rows
    ]


@pytest.mark.parametrize("row", params(WIRE_ROWS))
async def test_bad_input_on_the_wire(row: Row) -> None:
    router = respx.MockRouter(base_url=BASE, assert_all_called=False, assert_all_mocked=False)
    if row.answer is not None:
        router.route().mock(return_value=row.answer)
    else:
        router.route().mock(side_effect=accept_everything)
    retry = RetryPolicy(attempts=RETRY_ATTEMPTS, sleep=no_sleep)
    async with Casebook(
        base_url=BASE, token=TOKEN, transport=httpx.MockTransport(router.async_handler), retry=retry
    ) as cb:
        if row.error is None:
            await row.call(cb)
        else:
            with pytest.raises(row.error) as info:
                await row.call(cb)
            assert type(info.value) is row.error  # the exact class, not merely a subclass
    assert router.calls.call_count == row.requests


# --- rows the server decides: run against the sandbox, counted in its request log -----------------------


@dataclass
class SandboxCase:
    sb: Sandbox
    cb: Casebook
    clock: list[float]  # the sandbox clock (a mutable cell)


async def include_wrong_type(case: SandboxCase) -> Any:
    return await case.cb.people.page(include=["cases"])


async def filter_unknown_attribute(case: SandboxCase) -> Any:
    return await case.cb.people.page(filter={"shoe_size": 42})


async def sort_unknown_attribute(case: SandboxCase) -> Any:
    return await case.cb.people.page(sort=["-shoe_size"])


async def expired_static_token(case: SandboxCase) -> Any:
    async with Casebook(
        base_url=case.sb.base_url, transport=case.sb.transport, token=case.sb.issue_token(lifetime=0)
    ) as cb:
        return await cb.people.page()


async def reauth_fails(case: SandboxCase) -> Any:
    """The live token is rejected (expired server-side) and the secret was rotated meanwhile."""
    app = case.sb.register_application(client_id="rotating", client_secret="old-secret")
    async with Casebook(
        base_url=case.sb.base_url,
        transport=case.sb.transport,
        client_id=app.client_id,
        client_secret="old-secret",
    ) as cb:
        await cb.people.page()
        case.sb.inspect.clear_log()
        case.sb.register_application(client_id="rotating", client_secret="new-secret")
        case.clock[0] += 7200.0
        return await cb.people.page()


async def wrong_client_secret(case: SandboxCase) -> Any:
    app = case.sb.register_application()
    async with Casebook(
        base_url=case.sb.base_url, transport=case.sb.transport, client_id=app.client_id, client_secret="nope"
    ) as cb:
        return await cb.people.page()


async def missing_role(case: SandboxCase) -> Any:
    app = case.sb.register_application(roles=["People - View"])
    async with Casebook(
        base_url=case.sb.base_url, transport=case.sb.transport, token=case.sb.issue_token(app)
    ) as cb:
        return await cb.people.create({"first_name": "A", "last_name": "B"})


SANDBOX_ROWS: list[tuple[str, Callable[[SandboxCase], Awaitable[Any]], type[BaseException], int]] = [
    ("include-wrong-resource-type", include_wrong_type, BadRequestError, 1),
    ("filter-unknown-attribute", filter_unknown_attribute, BadRequestError, 1),
    ("sort-unknown-attribute", sort_unknown_attribute, BadRequestError, 1),
    ("expired-static-token", expired_static_token, AuthenticationError, 1),
    ("expired-credentials-reauth-fails", reauth_fails, AuthenticationError, 2),
    ("wrong-client-secret", wrong_client_secret, AuthenticationError, 1),
    ("missing-role", missing_role, PermissionDeniedError, 1),
]


@pytest.mark.parametrize(
    ("name", "call", "error", "requests"), SANDBOX_ROWS, ids=[r[0] for r in SANDBOX_ROWS]
)
async def test_bad_input_the_server_rejects(
    name: str, call: Callable[[SandboxCase], Awaitable[Any]], error: type[BaseException], requests: int
) -> None:
    clock = [0.0]
    async with Sandbox(seed=9, s3=False, clock=lambda: clock[0]) as sb:
        sb.seed_data(people=3, providers=0, cases=1, notes=0, users=0, units_of_work=0)
        async with Casebook(base_url=sb.base_url, transport=sb.transport, token=sb.issue_token()) as cb:
            with pytest.raises(error) as info:
                await call(SandboxCase(sb, cb, clock))
            assert type(info.value) is error
            assert len(sb.inspect.requests) == requests, [
                (r.method, r.path, r.status) for r in sb.inspect.requests
            ]


def test_the_document_lists_exactly_the_tested_rows() -> None:
    documented = re.findall(r"^\| `([a-z0-9-]+)` \|", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)
    tested = [row.id for row in WIRE_ROWS] + [row[0] for row in SANDBOX_ROWS]
    assert sorted(documented) == sorted(tested)
    assert len(documented) == len(set(documented))
