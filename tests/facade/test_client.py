"""Client construction (https rule, auth choice, own/borrowed pool), logging redaction and event hooks."""

from __future__ import annotations

import logging
import typing
from collections.abc import Callable

import anyio
import anyio.lowlevel
import httpx
import pytest
import respx

from casebook_async import (
    Casebook,
    EventHooks,
    InsecureURLError,
    InvalidInputError,
    NotFoundError,
    RequestEvent,
    ResponseEvent,
    RetryEvent,
)
from casebook_async.client import RESOURCES
from casebook_async.observability import redact
from casebook_async.resources import ResourceAPI

from .conftest import BASE, TOKEN, jsonapi, person


@pytest.mark.parametrize(
    "url",
    [
        "http://api.example.com",
        "http://10.0.0.1:8080",
        "ftp://localhost",
        "http://sb.localhost",  # may be resolved through DNS: not known to be loopback
        "http://localhost.example.com",
    ],
)
def test_plain_http_is_refused_for_non_loopback_hosts(url: str) -> None:
    with pytest.raises(InvalidInputError):
        Casebook(base_url=url, token="t")


@pytest.mark.parametrize(
    "url",
    [
        "ftp://user:S3CRET@files.example.com",
        "http://[::1",
        "https://user:S3CRET@",
        "https://user:S3CRET@api.casebook.net",  # valid otherwise: credentials in a base URL are refused
        "https:/user:S3CRET@host.example",  # no netloc: urlsplit sees no password to mask
        "user:S3CRET@host.example",
    ],
)
def test_a_refused_base_url_is_not_echoed_with_its_password(url: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        Casebook(base_url=url, token="t")
    assert "S3CRET" not in str(caught.value)


def test_insecure_url_error_is_specific() -> None:
    with pytest.raises(InsecureURLError, match="https is required"):
        Casebook(base_url="http://api.example.com", token="t")


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost",
        "http://127.0.0.1:8080",
        "http://127.5.6.7",
        "http://[::1]:9000",
    ],
)
def test_plain_http_is_allowed_for_loopback(url: str) -> None:
    assert Casebook(base_url=url, token="t").base_url == url


def test_regions() -> None:
    assert Casebook(token="t").base_url == "https://api.casebook.net"
    assert Casebook(region="ca", token="t").base_url == "https://api.casebookca.net"
    with pytest.raises(InvalidInputError):
        Casebook(region="eu", token="t")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        Casebook(region="us", base_url=BASE, token="t")


def test_exactly_one_auth() -> None:
    with pytest.raises(InvalidInputError):
        Casebook()
    with pytest.raises(InvalidInputError):
        Casebook(token="t", client_id="a", client_secret="b")
    with pytest.raises(InvalidInputError):
        Casebook(client_id="a")


@pytest.mark.anyio
async def test_own_pool_is_closed_borrowed_pool_is_not(router: respx.MockRouter) -> None:
    borrowed = httpx.AsyncClient(transport=httpx.MockTransport(router.async_handler))
    router.get("/people/people/1").mock(return_value=jsonapi({"data": person("1")}))
    async with Casebook(base_url=BASE, token="t", http_client=borrowed) as cb:
        await cb.people.get("1")
    assert not borrowed.is_closed
    await borrowed.aclose()

    cb = Casebook(base_url=BASE, token="t", transport=httpx.MockTransport(router.async_handler))
    await cb.aclose()
    await cb.aclose()  # idempotent
    assert cb.http.client.is_closed


@pytest.mark.anyio
async def test_debug_logs_show_requests_but_never_the_token(
    router: respx.MockRouter, cb: Casebook, caplog: pytest.LogCaptureFixture
) -> None:
    router.get("/people/people/1").mock(
        side_effect=[httpx.Response(503), jsonapi({"data": person("1")}, **{"x-request-id": "r-1"})]
    )
    router.get("/people/people/2").mock(
        return_value=httpx.Response(404, json={"errors": [{"detail": "gone"}]})
    )
    with caplog.at_level(logging.DEBUG, logger="casebook_async"):
        await cb.people.get("1")
        with pytest.raises(NotFoundError):
            await cb.people.get("2")
        # An accidental leak through our logger is masked too.
        logging.getLogger("casebook_async").debug("oops Authorization: Bearer %s", TOKEN)
    text = caplog.text
    assert "GET /people/people/1 status=200" in text
    assert "request_id=r-1" in text
    assert "attempt=2" in text
    assert "retrying GET /people/people/1" in text
    assert TOKEN not in text
    assert "Bearer ***" in text


def test_redaction_patterns() -> None:
    assert redact('{"access_token": "abc.def", "x": 1}') == '{"access_token": "***", "x": 1}'
    assert redact("client_id=a&client_secret=hunter2&x=y") == "client_id=a&client_secret=***&x=y"
    assert redact("authorization: Bearer abc.def-ghi") == "authorization: Bearer ***"
    assert redact("sent with Bearer abc.def-ghi today") == "sent with Bearer *** today"  # no header name


@pytest.mark.anyio
async def test_a_live_clients_token_is_masked_in_logs_even_without_a_prefix(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with Casebook(token="tok-RAW-PREFIXLESS-123"):
        with caplog.at_level(logging.DEBUG, logger="casebook_async"):
            logging.getLogger("casebook_async").debug("cached %s", "tok-RAW-PREFIXLESS-123")
    assert "cached ***" in caplog.text
    assert "tok-RAW-PREFIXLESS-123" not in caplog.text


@pytest.mark.anyio
async def test_event_hooks_sync_and_async(
    router: respx.MockRouter, make_client: Callable[..., Casebook]
) -> None:
    router.get("/people/people/1").mock(side_effect=[httpx.Response(502), jsonapi({"data": person("1")})])
    seen: list[object] = []

    async def on_response(event: ResponseEvent) -> None:
        seen.append(event)

    hooks = EventHooks(request=[seen.append], response=[on_response], retry=[seen.append])
    async with make_client(event_hooks=hooks) as cb:
        await cb.people.get("1")
    kinds = [type(e).__name__ for e in seen]
    assert kinds == ["RequestEvent", "ResponseEvent", "RetryEvent", "RequestEvent", "ResponseEvent"]
    first, failed, retry, _second, ok = seen
    assert isinstance(first, RequestEvent)
    assert first.attempt == 1
    assert first.url == f"{BASE}/people/people/1"
    assert isinstance(failed, ResponseEvent)
    assert failed.status == 502
    assert failed.elapsed >= 0
    assert isinstance(retry, RetryEvent)
    assert retry.reason == "HTTP 502"
    assert retry.delay == 0.25
    assert isinstance(ok, ResponseEvent)
    assert ok.status == 200
    assert ok.attempt == 2
    assert all(TOKEN not in repr(e) for e in seen)


@pytest.mark.anyio
async def test_hooks_tell_the_token_request_from_api_requests(
    router: respx.MockRouter, make_client: Callable[..., Casebook]
) -> None:
    secret = "client-SECRET-xyz"
    token = router.post("/oauth/token").mock(
        side_effect=[
            httpx.Response(503),
            httpx.Response(200, json={"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600}),
        ]
    )
    router.get("/people/people/1").mock(return_value=jsonapi({"data": person("1")}))
    seen: list[RequestEvent | ResponseEvent | RetryEvent] = []
    hooks = EventHooks(request=[seen.append], response=[seen.append], retry=[seen.append])
    async with make_client(token=None, client_id="app", client_secret=secret, event_hooks=hooks) as cb:
        await cb.people.get("1")
    assert token.call_count == 2
    assert [(type(e).__name__, e.kind) for e in seen] == [
        ("RequestEvent", "token"),
        ("ResponseEvent", "token"),
        ("RetryEvent", "token"),
        ("RequestEvent", "token"),
        ("ResponseEvent", "token"),
        ("RequestEvent", "api"),
        ("ResponseEvent", "api"),
    ]
    assert {e.url for e in seen if e.kind == "token"} == {f"{BASE}/oauth/token"}
    # No event carries the form, the client secret, or the token it obtained.
    assert all(secret not in repr(e) and "app" not in e.url and TOKEN not in repr(e) for e in seen)


@pytest.mark.anyio
async def test_a_failing_hook_does_not_hide_a_committed_post(
    router: respx.MockRouter, make_client: Callable[..., Casebook], caplog: pytest.LogCaptureFixture
) -> None:
    route = router.post("/people/people").mock(return_value=jsonapi({"data": person("1")}, 201))

    def boom(event: ResponseEvent) -> None:
        raise RuntimeError(f"metrics backend down; Authorization: Bearer {TOKEN}")

    async def boom_async(event: RequestEvent) -> None:
        raise RuntimeError("async hook down")

    caplog.set_level(logging.DEBUG, logger="casebook_async")
    async with make_client(event_hooks=EventHooks(request=[boom_async], response=[boom])) as cb:
        created = await cb.people.create({"first_name": "Jo", "last_name": "Doe"})
    assert created.id == "1"
    assert route.call_count == 1
    failures = [r for r in caplog.records if "hook" in r.getMessage() and r.exc_info]
    assert len(failures) == 2
    assert TOKEN not in caplog.text
    assert "metrics backend down" in caplog.text


def test_typed_namespaces_match_the_resource_table() -> None:
    hints = {
        name: typing.get_args(hint)
        for name, hint in typing.get_type_hints(Casebook).items()
        if typing.get_origin(hint) is ResourceAPI
    }
    assert set(hints) == set(RESOURCES)
    cb = Casebook(base_url=BASE, token="t")
    for name, spec in RESOURCES.items():
        api = getattr(cb, name)
        assert isinstance(api, ResourceAPI)
        assert api.spec is spec
        assert hints[name] == (spec.model, spec.create_model, spec.update_model)
        assert spec.path.startswith("/")
        assert spec.path.endswith(f"/{spec.jsonapi_type}")
    assert cb.people.spec.path == "/people/people"
    assert cb.staff.spec.jsonapi_type == "staff"


@pytest.mark.anyio
async def test_max_concurrency_bounds_requests_in_flight(
    router: respx.MockRouter, make_client: Callable[..., Casebook]
) -> None:
    in_flight, peak = 0, 0

    async def slow_server(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        for _ in range(5):  # let every other task run as far as it can
            await anyio.lowlevel.checkpoint()
        in_flight -= 1
        return jsonapi({"data": person(request.url.path.rsplit("/", 1)[-1])})

    router.get(url__regex=r"/people/people/\d+").mock(side_effect=slow_server)
    async with make_client(max_concurrency=3) as cb, anyio.create_task_group() as tg:
        for n in range(12):
            tg.start_soon(cb.people.get, str(n))
    assert peak == 3
    assert router.calls.call_count == 12


@pytest.mark.anyio
async def test_a_client_left_by_a_cancellation_still_closes_its_pools() -> None:
    with anyio.CancelScope() as scope:
        async with Casebook(token="t", transport=httpx.MockTransport(lambda r: httpx.Response(200))) as cb:
            storage = await cb.storage_client()
            scope.cancel()
            await (
                anyio.lowlevel.checkpoint()
            )  # the cancellation lands here; __aexit__ closes in a cancelled scope
    assert cb.http.client.is_closed
    assert storage.is_closed


@pytest.mark.parametrize("timeout", [0, -1, float("nan"), "5", True])
def test_a_bad_timeout_is_refused_by_the_constructor_too(timeout: object) -> None:
    with pytest.raises(InvalidInputError, match="timeout must be a positive number"):
        Casebook(base_url=BASE, token=TOKEN, timeout=timeout)  # type: ignore[arg-type]


def test_an_import_error_unrelated_to_http2_is_not_blamed_on_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_socksio(*args: object, **kwargs: object) -> None:
        raise ImportError("Using SOCKS proxy, but the 'socksio' package is not installed.")

    monkeypatch.setattr(httpx, "AsyncClient", no_socksio)
    with pytest.raises(ImportError, match="socksio"):
        Casebook(base_url=BASE, token=TOKEN)
    with pytest.raises(InvalidInputError, match="needs the http2 extra"):
        Casebook(base_url=BASE, token=TOKEN, http2=True)
