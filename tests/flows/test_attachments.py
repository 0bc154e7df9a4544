"""upload_attachment end to end: sandbox API in-process, bytes to the sandbox's real loopback S3 emulator."""

from __future__ import annotations

import hashlib
import logging
import pathlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
import httpx
import pytest
import respx

from casebook_async import Casebook, EventHooks, InsecureURLError, InvalidInputError, RetryEvent, RetryPolicy
from casebook_async import client as client_module
from casebook_async.flows import (
    MAX_ATTACHMENT_BYTES,
    FileTooLargeError,
    OrphanedAttachmentError,
    UploadFailedError,
    upload_attachment,
)
from casebook_async.flows import attachments as attachments_flow
from casebook_async.flows.s3 import PresignedPutError, check_upload_url
from casebook_async.http import credential_free_client
from casebook_async.sandbox import Sandbox
from casebook_openapi.models import Attachment, AttachmentAttributesUploadStatus

from ..bodies import undecodable
from .conftest import FakeSleep, FlakyStorage

pytestmark = pytest.mark.anyio
UPLOADED = AttachmentAttributesUploadStatus.UPLOADED


def person_id(sb: Sandbox) -> str:
    return str(sb.inspect.records("people")[0]["id"])


def content(size: int) -> bytes:
    """Deterministic, non-repeating bytes (a truncated or reordered upload would not compare equal)."""
    blocks = (hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(size // 32 + 1))
    return b"".join(blocks)[:size]


async def upload_abc(cb: Casebook, sb: Sandbox, **options: Any) -> Attachment:
    """Three bytes as a text file on the sandbox's first person: for tests about everything but the data."""
    return await upload_attachment(
        cb, b"abc", filename="a.txt", content_type="text/plain", record=("people", person_id(sb)), **options
    )


async def chunks(data: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def test_limit_is_the_one_the_spec_declares() -> None:
    assert Sandbox(s3=True).s3 is not None
    assert Sandbox(s3=True).s3.max_bytes == MAX_ATTACHMENT_BYTES  # type: ignore[union-attr]


async def test_bytes_arrive_in_storage_and_the_record_says_uploaded(sb: Sandbox, cb: Casebook) -> None:
    data = content(70_000)
    attachment = await upload_attachment(
        cb,
        data,
        filename="report.pdf",
        content_type="application/pdf",
        record=("people", person_id(sb)),
        description="intake scan",
    )
    assert sb.inspect.s3_object(attachment.id) == data
    assert attachment.attributes.upload_status == UPLOADED
    stored = sb.inspect.record("attachments", attachment.id)
    assert stored is not None
    assert stored["attributes"]["file_size"] == len(data)
    assert stored["attributes"]["file_name"] == "report.pdf"
    assert stored["attributes"]["record_id"] == person_id(sb)
    assert stored["attributes"]["description"] == "intake scan"
    assert sb.inspect.s3_authorization_violations == []


async def test_path_input_is_read_and_uploaded(sb: Sandbox, cb: Casebook, tmp_path: pathlib.Path) -> None:
    data = content(123_457)
    path = tmp_path / "letter.txt"
    path.write_bytes(data)
    attachment = await upload_attachment(
        cb,
        path,
        filename="letter.txt",
        content_type="text/plain",
        record_type="people",
        record_id=person_id(sb),
    )
    assert sb.inspect.s3_object(attachment.id) == data
    assert attachment.attributes.upload_status == UPLOADED


async def test_async_stream_of_unknown_size_is_spooled_and_uploaded(sb: Sandbox, cb: Casebook) -> None:
    data = content(200_001)
    attachment = await upload_attachment(
        cb,
        chunks(data, 4096),
        filename="s.bin",
        content_type="application/octet-stream",
        record=("people", person_id(sb)),
    )
    assert sb.inspect.s3_object(attachment.id) == data
    assert sb.inspect.record("attachments", attachment.id)["attributes"]["file_size"] == len(data)  # type: ignore[index]


async def test_exactly_the_limit_is_accepted(sb: Sandbox, cb: Casebook) -> None:
    data = b"\x01" * MAX_ATTACHMENT_BYTES
    attachment = await upload_attachment(
        cb,
        data,
        filename="max.bin",
        content_type="application/octet-stream",
        record=("people", person_id(sb)),
    )
    assert sb.inspect.s3_object(attachment.id) == data


async def test_oversize_inputs_are_refused_before_any_request(
    sb: Sandbox, cb: Casebook, tmp_path: pathlib.Path
) -> None:
    before = len(sb.inspect.requests)
    target = ("people", person_id(sb))
    with pytest.raises(FileTooLargeError) as raised:
        await upload_attachment(
            cb, bytes(MAX_ATTACHMENT_BYTES + 1), filename="big", content_type="x/y", record=target
        )
    assert raised.value.size == MAX_ATTACHMENT_BYTES + 1
    assert str(MAX_ATTACHMENT_BYTES) in str(raised.value)

    sparse = tmp_path / "big.bin"
    with sparse.open("wb") as f:  # sparse file: large on paper, instant to make
        f.truncate(MAX_ATTACHMENT_BYTES * 3)
    with pytest.raises(FileTooLargeError):
        await upload_attachment(cb, sparse, filename="big", content_type="x/y", record=target)

    with pytest.raises(FileTooLargeError):  # a device of size 0 that never ends: read only to the limit
        await upload_attachment(
            cb, pathlib.Path("/dev/zero"), filename="z", content_type="x/y", record=target
        )

    pulled = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal pulled
        while True:
            pulled += 1 << 20
            yield bytes(1 << 20)

    with pytest.raises(FileTooLargeError):
        await upload_attachment(cb, endless(), filename="big", content_type="x/y", record=target)
    assert pulled <= MAX_ATTACHMENT_BYTES + (1 << 20)  # stopped right after the limit, not read to the end
    assert len(sb.inspect.requests) == before
    assert sb.inspect.records("attachments") == []


async def test_bad_arguments_are_refused_locally(sb: Sandbox, cb: Casebook) -> None:
    before = len(sb.inspect.requests)
    pid = person_id(sb)
    for kwargs in (
        {"record": ("pets", pid)},
        {"record": ("people", "")},
        {"record": ("people", pid), "record_id": pid},
        {},
    ):
        with pytest.raises(InvalidInputError):
            await upload_attachment(cb, b"x", filename="a", content_type="x/y", **kwargs)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        await upload_attachment(cb, "not bytes", filename="a", content_type="x/y", record=("people", pid))  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        await upload_attachment(cb, b"x", filename="", content_type="x/y", record=("people", pid))
    assert len(sb.inspect.requests) == before


@pytest.mark.parametrize("failure", [{"status": 503}, {"status": 500}, {"exc": httpx.ConnectError}])
async def test_storage_put_is_retried_until_it_lands(
    sb: Sandbox, cb: Casebook, fake_sleep: FakeSleep, failure: dict[str, object]
) -> None:
    storage = FlakyStorage(failures=2, **failure)  # type: ignore[arg-type]
    data = content(5000)
    attachment = await upload_attachment(
        cb,
        data,
        filename="r.bin",
        content_type="application/octet-stream",
        record=("people", person_id(sb)),
        s3_transport=storage,
    )
    assert storage.attempts == 3
    assert len(fake_sleep.delays) == 2  # backed off between attempts, via the client's RetryPolicy
    assert sb.inspect.s3_object(attachment.id) == data
    assert attachment.attributes.upload_status == UPLOADED


async def test_failed_upload_deletes_the_orphan_record(sb: Sandbox, cb: Casebook) -> None:
    storage = FlakyStorage(failures=100)
    with pytest.raises(UploadFailedError) as raised:
        await upload_abc(cb, sb, s3_transport=storage)
    error = raised.value
    assert not isinstance(error, OrphanedAttachmentError)
    assert storage.attempts == RetryPolicy().attempts
    assert error.attachment_id in str(error)
    assert "deleted" in str(error)
    assert isinstance(error.cause, PresignedPutError)
    assert error.cause.status == 503
    assert sb.inspect.record("attachments", error.attachment_id) is None
    assert sb.inspect.records("attachments") == []
    assert ("DELETE", "attachments", error.attachment_id) in [
        (w.method, w.type, w.id) for w in sb.inspect.writes
    ]


async def test_client_errors_from_storage_are_not_retried(sb: Sandbox, cb: Casebook) -> None:
    storage = FlakyStorage(failures=100, status=403)
    with pytest.raises(UploadFailedError):
        await upload_abc(cb, sb, s3_transport=storage)
    assert storage.attempts == 1
    assert sb.inspect.records("attachments") == []


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # httpx's half-read body
async def test_a_storage_answer_that_cannot_be_decoded_fails_the_upload_and_removes_the_record(
    sb: Sandbox, cb: Casebook
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return undecodable(200)

    with pytest.raises(UploadFailedError) as raised:
        await upload_abc(cb, sb, s3_transport=httpx.MockTransport(answer))
    assert sb.inspect.records("attachments") == []  # no pending orphan
    exc: BaseException | None = raised.value
    while exc is not None:  # no httpx error along the chain: its request holds the presigned signature
        assert not isinstance(exc, httpx.HTTPError)
        exc = exc.__cause__ or exc.__context__


async def test_uploads_share_one_storage_client_that_closes_with_the_casebook_client(
    sb: Sandbox, make_cb: Callable[..., Casebook], monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[httpx.AsyncClient] = []

    def counting(transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
        made.append(credential_free_client(transport))
        return made[-1]

    monkeypatch.setattr(client_module, "credential_free_client", counting)
    async with make_cb() as cb:
        for name in ("a.txt", "b.txt"):
            await upload_attachment(
                cb, b"abc", filename=name, content_type="text/plain", record=("people", person_id(sb))
            )
        storage = await cb.storage_client()
        assert storage is await cb.storage_client()
        assert "authorization" not in storage.headers
    assert made == [storage]  # one client (one CA bundle load, one pool) for both uploads
    assert storage.is_closed
    assert len(sb.inspect.records("attachments")) == 2


async def test_when_the_cleanup_fails_too_the_orphan_is_named(
    sb: Sandbox, make_cb: Callable[..., Casebook]
) -> None:
    roles = ["Attachments - Create", "Attachments - View"]  # no "Attachments - Delete"
    async with make_cb(roles=roles) as cb:
        with pytest.raises(OrphanedAttachmentError) as raised:
            await upload_abc(cb, sb, s3_transport=FlakyStorage(failures=100))
    error = raised.value
    assert "ORPHANED" in str(error)
    assert error.attachment_id in str(error)
    assert getattr(error.delete_error, "status", None) == 403
    orphan = sb.inspect.record("attachments", error.attachment_id)
    assert orphan is not None
    assert orphan["attributes"]["upload_status"] == "pending"


async def test_wire_the_storage_put_carries_no_authorization_and_follows_no_redirect(
    sb: Sandbox, cb: Casebook
) -> None:
    router = respx.MockRouter(assert_all_called=False)
    put = router.put(host="127.0.0.1").mock(return_value=httpx.Response(200))
    await upload_attachment(
        cb,
        b"payload",
        filename="p.txt",
        content_type="text/plain",
        record=("people", person_id(sb)),
        s3_transport=httpx.MockTransport(router.async_handler),
    )
    request = put.calls.last.request
    assert "authorization" not in request.headers
    assert request.content == b"payload"
    assert request.headers["content-type"] == "text/plain"
    assert request.headers["content-length"] == "7"
    assert "X-Amz-Signature" in str(request.url)  # the presigned URL, unchanged

    put.mock(return_value=httpx.Response(307, headers={"location": "https://elsewhere.example/x"}))
    elsewhere = router.put(host="elsewhere.example").mock(return_value=httpx.Response(200))
    with pytest.raises(UploadFailedError) as raised:
        await upload_attachment(
            cb,
            b"payload",
            filename="p.txt",
            content_type="text/plain",
            record=("people", person_id(sb)),
            s3_transport=httpx.MockTransport(router.async_handler),
        )
    assert "307" in str(raised.value)
    assert not elsewhere.called
    assert "X-Amz-Signature" not in str(raised.value)  # the presigned signature is a credential too


def test_upload_urls_must_be_https_unless_loopback() -> None:
    assert (
        check_upload_url("https://bucket.s3.amazonaws.com/k?X-Amz-Signature=s").host
        == "bucket.s3.amazonaws.com"
    )
    assert check_upload_url("http://127.0.0.1:9000/k").port == 9000
    with pytest.raises(InsecureURLError):
        check_upload_url("http://bucket.s3.amazonaws.com/k")
    for bad in ("ftp://127.0.0.1/k", "https://user:pw@bucket.example/k", "/relative"):
        with pytest.raises(PresignedPutError):
            check_upload_url(bad)
    for bad in ("ftp://bucket.example/k?X-Amz-Signature=SIG", "http://bucket.example/k?X-Amz-Signature=SIG"):
        with pytest.raises((PresignedPutError, InsecureURLError)) as refused:
            check_upload_url(bad)
        assert "SIG" not in str(refused.value)  # the query is the credential: never in a message


class StallingStorage(httpx.AsyncBaseTransport):
    """Storage that accepts the connection and then never answers."""

    def __init__(self) -> None:
        self.reached = anyio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.reached.set()
        await anyio.sleep_forever()
        raise AssertionError("unreachable")


async def test_a_cancelled_upload_still_deletes_its_record(sb: Sandbox, cb: Casebook) -> None:
    storage = StallingStorage()
    async with anyio.create_task_group() as tg:

        async def upload() -> None:
            await upload_abc(cb, sb, s3_transport=storage)

        tg.start_soon(upload)
        await storage.reached.wait()
        created = sb.inspect.records("attachments")
        assert len(created) == 1  # the record exists while the bytes are in flight
        tg.cancel_scope.cancel()
    assert sb.inspect.record("attachments", created[0]["id"]) is None


async def test_when_the_confirming_read_fails_the_created_record_is_returned(
    sb: Sandbox, make_cb: Callable[..., Casebook]
) -> None:
    async with make_cb(roles=["Attachments - Create"]) as cb:  # may create, may not read back
        attachment = await upload_abc(cb, sb)
    assert sb.inspect.s3_object(attachment.id) == b"abc"  # uploaded; no error raised for the failed re-read
    assert sb.inspect.record("attachments", attachment.id) is not None


async def test_flow_logs_go_through_the_redacting_logger(
    sb: Sandbox, make_cb: Callable[..., Casebook], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with make_cb(roles=["Attachments - Create"]) as cb:  # the confirming read fails: a flows warning
        token = cb.auth.secrets()[0]
        attachment = await upload_abc(cb, sb)
        attachments_flow.logger.debug("flow detail: Authorization: Bearer %s", token)
    warnings = [r for r in caplog.records if "re-reading it failed" in r.getMessage()]
    assert [r.name for r in warnings] == ["casebook_async"]
    assert attachment.id in warnings[0].getMessage()
    assert "flow detail" in caplog.text
    assert token not in caplog.text


async def test_httpx_log_line_of_the_put_carries_no_signature(
    sb: Sandbox, cb: Casebook, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="httpx")
    attachment = await upload_abc(cb, sb)
    puts = [r.getMessage() for r in caplog.records if r.name == "httpx" and "PUT" in r.getMessage()]
    assert len(puts) == 1
    assert puts[0].startswith("HTTP Request: PUT http://127.0.0.1")
    assert attachment.id in puts[0]  # the key (path) stays; only the query is dropped
    assert "?" not in puts[0].split('"')[0]
    assert "signature" not in caplog.text.lower()


async def test_storage_retries_are_logged_and_reported_to_retry_hooks(
    sb: Sandbox, make_cb: Callable[..., Casebook], caplog: pytest.LogCaptureFixture
) -> None:
    events: list[RetryEvent] = []
    caplog.set_level(logging.INFO, logger="casebook_async")
    async with make_cb(event_hooks=EventHooks(retry=[events.append])) as cb:
        await upload_abc(cb, sb, s3_transport=FlakyStorage(failures=1))
    (event,) = events
    assert (event.method, event.attempt, event.reason) == ("PUT", 1, "storage answered HTTP 503 SlowDown")
    assert event.url.startswith("http://127.0.0.1")
    assert "?" not in event.url
    retries = [r.getMessage() for r in caplog.records if r.getMessage().startswith("retrying PUT")]
    assert len(retries) == 1
    assert "?" not in retries[0]
