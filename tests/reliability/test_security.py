"""Security, end to end: where a bearer token or client secret could leak, and proof that it does not.

* A realistic session on the sandbox (OAuth, list, create, update, a 401 and re-auth, errors, an
  attachment upload to the S3 emulator) with every logger at DEBUG, httpx and httpcore included: no
  token or secret in any log record, exception message or repr, request URL, hook event, or sandbox
  request log; no Authorization header reaches the storage host.
* Plain http to a non-loopback host is refused before anything is sent.
* A 307 to another host is never followed: the other host is never contacted, for an API call, for the
  token request (which carries the client secret), and even with a borrowed client that follows redirects.

tests/facade covers the unit-level pieces (reprs of the auth classes, redaction patterns, the casebook_async
logger, a 302 on GET, raw requests to other origins); these tests check the whole path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import anyio.lowlevel
import httpx
import pytest
import respx

from casebook_async import (
    AuthenticationError,
    Casebook,
    CasebookError,
    EventHooks,
    InsecureURLError,
    NotFoundError,
    OutcomeUnknownError,
    RequestEvent,
    ResponseEvent,
    RetryEvent,
    RetryPolicy,
    UnexpectedRedirectError,
    UnprocessableEntityError,
)
from casebook_async.flows import upload_attachment
from casebook_async.http import credential_free_client
from casebook_async.sandbox import Faults, Sandbox

from ..bodies import undecodable

pytestmark = pytest.mark.anyio

SECRET = "cs-SUPER-SECRET-value-123"


async def no_sleep(_: float) -> None:
    await anyio.lowlevel.checkpoint()


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Recorder(httpx.AsyncBaseTransport):
    """Wraps the sandbox transport: records every URL, every bearer token sent and every token issued."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.urls: list[str] = []
        self.tokens: set[str] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            self.tokens.add(token)
        response = await self.inner.handle_async_request(request)
        if request.url.path == "/oauth/token":
            body = await response.aread()
            response = httpx.Response(response.status_code, headers=response.headers, content=body)
            if response.status_code == 200:
                self.tokens.add(response.json()["access_token"])
        return response


async def test_a_realistic_session_leaks_no_token_or_secret(caplog: pytest.LogCaptureFixture) -> None:
    server_clock = Clock()
    events: list[RequestEvent | ResponseEvent | RetryEvent] = []
    raised: list[BaseException] = []
    shown: list[str] = []  # reprs and messages a user could print or log

    async with Sandbox(seed=4, clock=server_clock) as sb:
        sb.seed_data(people=30, providers=1, cases=1, notes=0, users=1, units_of_work=0)
        app = sb.register_application(client_secret=SECRET)
        recorder = Recorder(sb.transport)
        hooks = EventHooks(request=[events.append], response=[events.append], retry=[events.append])
        with caplog.at_level(logging.DEBUG):  # the root logger: httpx, httpcore, moto, everything
            async with Casebook(
                base_url=sb.base_url,
                transport=recorder,
                client_id=app.client_id,
                client_secret=SECRET,
                event_hooks=hooks,
                retry=RetryPolicy(attempts=5, sleep=no_sleep),
            ) as cb:
                async with cb.people.list(filter={"last_name": {"like": "a"}}, page_size=5) as people:
                    first_page = [p async for p in people]
                page = await cb.people.page(2, page_size=10, sort=["-created_at"])
                person = await cb.people.create({"first_name": "Sec", "last_name": "Ure", "email": "s@x.org"})
                await cb.people.update(person.id, {"preferred_name": "S"})
                sb.faults = Faults(rate_429=0.3, retry_after=0, seed=1)  # some retries, logged at INFO
                await cb.people.list(page_size=3).collect()
                sb.faults = Faults()
                server_clock.now += 7200  # the server rejects the live token: 401, re-auth, success
                await cb.people.get(person.id)
                for failing in (
                    cb.people.get("no-such-id"),
                    cb.people.create({"first_name": "No", "last_name": "Mail", "email": 42}),
                ):
                    with pytest.raises((NotFoundError, UnprocessableEntityError)) as info:
                        await failing
                    raised.append(info.value)
                await upload_attachment(
                    cb,
                    b"%PDF-1.7 secret-free",
                    filename="a.pdf",
                    content_type="application/pdf",
                    record=("people", person.id),
                )
                shown += [repr(cb), repr(cb.auth), repr(cb.people), repr(page), repr(first_page[0])]
                shown += [repr(person), str(person)]
            # Wrong secret: the token request fails; its error must not echo what was sent.
            async with Casebook(
                base_url=sb.base_url, transport=recorder, client_id=app.client_id, client_secret=SECRET + "x"
            ) as bad:
                with pytest.raises(AuthenticationError) as info:
                    await bad.people.get(person.id)
                raised.append(info.value)
                shown.append(repr(bad))

        tokens = recorder.tokens
        assert len(tokens) >= 2  # the first token and the one after the 401
        assert any(r.status == 401 and r.path == "/people/people/" + person.id for r in sb.inspect.requests)
        assert sb.inspect.tokens_issued == len(tokens)
        assert sb.inspect.attachment_uploaded(sb.inspect.records("attachments")[0]["id"])
        assert sb.inspect.s3_authorization_violations == []
        logged = [r.path + "?" + r.query for r in sb.inspect.requests]

    secrets = [*tokens, SECRET]
    records = caplog.records
    assert {r.name.split(".")[0] for r in records} >= {"casebook_async", "httpx", "httpcore"}
    texts = {
        "log": [r.getMessage() + (r.exc_text or "") for r in records] + [caplog.text],
        "exception": [str(e) for e in raised] + [repr(e) for e in raised],
        "repr": shown,
        "url": recorder.urls + [e.url for e in events],
        "sandbox log": logged,
    }
    for where, items in texts.items():
        for text in items:
            for secret in secrets:
                assert secret not in text, f"a secret leaked into a {where}: {text[:200]}"
    assert not [u for u in recorder.urls if "token=" in u or "secret" in u]


@pytest.mark.parametrize(
    "base_url", ["http://api.casebook.net", "http://10.0.0.8:8080", "http://casebook.example.org/api"]
)
@pytest.mark.parametrize(
    "credentials", [{"token": "tok-PLAIN"}, {"client_id": "id", "client_secret": SECRET}]
)
async def test_plain_http_to_a_remote_host_is_refused_before_any_request(
    base_url: str, credentials: dict[str, str]
) -> None:
    router = respx.MockRouter(assert_all_called=False, assert_all_mocked=False)
    anything = router.route().mock(return_value=httpx.Response(200, json={"data": []}))
    borrowed = httpx.AsyncClient(transport=httpx.MockTransport(router.async_handler))
    with pytest.raises(InsecureURLError) as info:
        Casebook(base_url=base_url, http_client=borrowed, **credentials)  # type: ignore[arg-type]
    await borrowed.aclose()
    assert anything.call_count == 0
    assert router.calls.call_count == 0
    for secret in credentials.values():
        assert secret not in str(info.value)


BASE = "https://api.casebook.net"
OTHER = "https://collector.example"
TOKEN = "tok-REDIRECT-secret"

Make = Callable[..., Casebook]


@pytest.fixture
def router() -> respx.MockRouter:
    return respx.MockRouter(assert_all_called=False)


def wire(router: respx.MockRouter, follow_redirects: bool = False, **kwargs: Any) -> Casebook:
    """A client whose pool may follow redirects by itself: the library must still refuse to."""
    client = httpx.AsyncClient(
        transport=httpx.MockTransport(router.async_handler), follow_redirects=follow_redirects
    )
    kwargs.setdefault("token", TOKEN)
    return Casebook(base_url=BASE, http_client=client, retry=RetryPolicy(sleep=no_sleep), **kwargs)


@pytest.mark.parametrize("follow_redirects", [False, True])
@pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "DELETE"])
async def test_a_307_to_another_host_never_carries_the_token_there(
    router: respx.MockRouter, follow_redirects: bool, method: str
) -> None:
    path = "/people/people" if method == "POST" else "/people/people/1"
    router.route(method=method, url=BASE + path).mock(
        return_value=httpx.Response(307, headers={"location": f"{OTHER}{path}?sig=abc"})
    )
    elsewhere = router.route(url__startswith=OTHER).mock(return_value=httpx.Response(200, json={}))
    cb = wire(router, follow_redirects)
    calls = {
        "GET": lambda: cb.people.get("1"),
        "POST": lambda: cb.people.create({"first_name": "A", "last_name": "B"}),
        "PATCH": lambda: cb.people.update("1", {"first_name": "A"}),
        "DELETE": lambda: cb.people.delete("1"),
    }
    async with cb:
        with pytest.raises(UnexpectedRedirectError) as info:
            await calls[method]()
    assert elsewhere.call_count == 0
    assert [c.request.url.host for c in router.calls] == ["api.casebook.net"]
    assert info.value.location == f"{OTHER}{path}"
    assert TOKEN not in str(info.value)
    assert TOKEN not in repr(info.value)
    await cb.http.client.aclose()


@pytest.mark.parametrize("follow_redirects", [False, True])
async def test_a_redirected_token_request_never_sends_the_secret_elsewhere(
    router: respx.MockRouter, follow_redirects: bool
) -> None:
    router.post(BASE + "/oauth/token").mock(
        return_value=httpx.Response(307, headers={"location": f"{OTHER}/oauth/token"})
    )
    elsewhere = router.route(url__startswith=OTHER).mock(
        return_value=httpx.Response(200, json={"access_token": "x", "expires_in": 60})
    )
    api = router.get(BASE + "/people/people/1")
    cb = wire(router, follow_redirects, token=None, client_id="id", client_secret=SECRET)
    async with cb:
        with pytest.raises(UnexpectedRedirectError) as info:
            await cb.people.get("1")
    assert elsewhere.call_count == 0
    assert api.call_count == 0
    assert SECRET not in str(info.value)
    assert SECRET not in repr(info.value)
    await cb.http.client.aclose()


@pytest.mark.parametrize(
    "failure",
    [
        lambda: httpx.Response(500, json={"errors": []}),
        lambda: httpx.ConnectError("refused"),
        lambda: httpx.ReadTimeout("slow"),
        # h11 refuses an illegal header and quotes it, Authorization included, in its message.
        lambda: httpx.LocalProtocolError(f"Illegal header value b'Bearer {TOKEN}\\n'"),
        # A body that cannot be decoded: httpx raises DecodingError, which holds the request.
        pytest.param(
            lambda: undecodable(200),
            # httpx leaves its own body iterator half-read when decoding fails; trio reports it at GC.
            marks=pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
        ),
    ],
)
async def test_errors_hold_no_request_and_no_token_along_the_chain(
    router: respx.MockRouter, failure: Callable[[], httpx.Response | Exception]
) -> None:
    """Our exceptions keep method/path/status only, never the httpx request whose headers hold the token;
    no message or repr along the cause chain shows it either."""
    router.get(BASE + "/people/people/1").mock(side_effect=[failure() for _ in range(4)])
    cb = wire(router)
    async with cb:
        with pytest.raises(CasebookError) as info:
            await cb.people.get("1")
    for value in vars(info.value).values():
        assert not isinstance(value, httpx.Request | httpx.Response)
    exc: BaseException | None = info.value
    while exc is not None:
        assert TOKEN not in str(exc)
        assert TOKEN not in repr(exc)
        # An httpx exception in the chain would hand error trackers its .request, Authorization included.
        assert not isinstance(exc, httpx.HTTPError)
        exc = exc.__cause__ or exc.__context__
    await cb.http.client.aclose()


async def test_an_unknown_post_outcome_chains_no_httpx_error(router: respx.MockRouter) -> None:
    router.post(BASE + "/people/people").mock(side_effect=httpx.ReadTimeout("slow"))
    cb = wire(router)
    async with cb:
        with pytest.raises(OutcomeUnknownError) as info:
            await cb.people.create({"first_name": "A", "last_name": "B"})
    exc: BaseException | None = info.value
    while exc is not None:  # its .cause is our TransportError; no httpx error (request, token) anywhere
        assert not isinstance(exc, httpx.HTTPError)
        assert TOKEN not in str(exc)
        exc = exc.__cause__ or exc.__context__
    assert isinstance(info.value.cause, CasebookError)
    await cb.http.client.aclose()


def test_the_storage_client_takes_no_proxy_or_credentials_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("ALL_PROXY", "http://proxy.invalid:3128")
    client = credential_free_client()
    assert not client.trust_env
    assert not client.follow_redirects
    assert "authorization" not in client.headers
    # The transport a request to a presigned host would use is the direct one, not a proxy.
    transport = client._transport_for_url(httpx.URL("https://bucket.s3.amazonaws.com/k"))
    assert transport is client._transport
