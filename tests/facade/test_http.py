"""Requests on the wire (respx): exact URLs, headers, bodies, retries, re-authentication, error mapping."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest
import respx

import casebook_async
from casebook_async import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    Casebook,
    ConflictError,
    ConnectionError,
    InsecureURLError,
    InvalidInputError,
    InvalidResponseError,
    NotAcceptableError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    TimeoutError,
    UnexpectedRedirectError,
    UnprocessableEntityError,
    UnsupportedMediaTypeError,
)
from casebook_async.http import default_user_agent
from casebook_openapi.models import (
    PersonCreateAttributes,
    PersonCreateAttributesHispanicOrLatino,
    PersonUpdateAttributes,
)

from ..bodies import undecodable
from .conftest import BASE, TOKEN, FakeSleep, errors, jsonapi, person

pytestmark = pytest.mark.anyio


async def test_headers_and_exact_query_string(router: respx.MockRouter, cb: Casebook) -> None:
    route = router.get("/people/people").mock(return_value=jsonapi({"data": [person("1")]}))
    page = await cb.people.page(
        filter={"last_name": {"like": "Doe"}, "created_at": {"ge": datetime(2025, 1, 1, tzinfo=UTC)}},
        sort="-created_at",
        page_size=5,
    )
    assert [p.id for p in page.data] == ["1"]
    request = route.calls.last.request
    assert request.url.query.decode() == (
        "filter[last_name][like]=Doe&filter[created_at][ge]=2025-01-01T00:00:00Z&sort=-created_at&page[size]=5"
    )
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["accept"] == "application/vnd.api+json"
    assert request.headers["content-type"] == "application/vnd.api+json"
    assert request.headers["user-agent"] == default_user_agent()
    assert default_user_agent().startswith(f"casebook-async/{casebook_async.__version__} httpx/")
    assert TOKEN not in str(request.url)


def _token_response() -> httpx.Response:
    return httpx.Response(200, json={"access_token": TOKEN, "token_type": "Bearer", "expires_in": 60})


async def test_a_borrowed_client_gets_the_headers_per_request_and_keeps_its_own(
    router: respx.MockRouter,
) -> None:
    route = router.get("/people/people/1").mock(return_value=jsonapi({"data": person("1")}))
    token_route = router.post("/oauth/token").mock(return_value=_token_response())
    borrowed = httpx.AsyncClient(
        transport=httpx.MockTransport(router.async_handler), headers={"X-Theirs": "kept"}
    )
    before = dict(borrowed.headers)
    cb = Casebook(base_url=BASE, client_id="a", client_secret="b", http_client=borrowed)
    async with borrowed, cb:
        await cb.people.get("1")
        assert dict(borrowed.headers) == before  # their client is not reconfigured for their other calls
    sent = route.calls.last.request.headers
    assert sent["accept"] == sent["content-type"] == "application/vnd.api+json"
    assert sent["user-agent"] == default_user_agent()
    assert sent["authorization"] == f"Bearer {TOKEN}"
    assert sent["x-theirs"] == "kept"
    token_request = token_route.calls.last.request.headers
    assert token_request["content-type"] == "application/x-www-form-urlencoded"
    assert token_request["accept"] == "application/json"
    assert token_request["user-agent"] == default_user_agent()
    assert "authorization" not in token_request


async def test_the_token_request_has_form_headers_on_our_own_client(router: respx.MockRouter) -> None:
    token_route = router.post("/oauth/token").mock(return_value=_token_response())
    router.get("/people/people/1").mock(return_value=jsonapi({"data": person("1")}))
    transport = httpx.MockTransport(router.async_handler)
    async with Casebook(base_url=BASE, client_id="a", client_secret="b", transport=transport) as cb:
        await cb.people.get("1")
    sent = token_route.calls.last.request.headers
    assert sent["content-type"] == "application/x-www-form-urlencoded"
    assert sent["accept"] == "application/json"
    assert sent["user-agent"] == default_user_agent()


async def test_create_update_delete_bodies(router: respx.MockRouter, cb: Casebook) -> None:
    created = router.post("/people/people").mock(return_value=jsonapi({"data": person("7")}, 201))
    updated = router.patch("/people/people/7").mock(return_value=jsonapi({"data": person("7", "Roe")}))
    deleted = router.delete("/people/people/7").mock(return_value=httpx.Response(204))

    yes = PersonCreateAttributesHispanicOrLatino.YES
    p = await cb.people.create(
        PersonCreateAttributes(first_name="Jo", last_name="Doe", hispanic_or_latino=yes)
    )
    assert p.id == "7"
    assert json.loads(created.calls.last.request.content) == {
        "data": {
            "type": "people",
            "attributes": {"first_name": "Jo", "last_name": "Doe", "hispanic_or_latino": "yes"},
        }
    }

    await cb.people.create({"first_name": "Jo", "last_name": "Doe", "hispanic_or_latino": "unknown"})
    assert json.loads(created.calls.last.request.content) == {
        "data": {
            "type": "people",
            "attributes": {"first_name": "Jo", "last_name": "Doe", "hispanic_or_latino": "unknown"},
        }
    }
    p = await cb.people.update("7", PersonUpdateAttributes(last_name="Roe"))
    assert p.attributes.last_name == "Roe"
    assert json.loads(updated.calls.last.request.content) == {
        "data": {"type": "people", "id": "7", "attributes": {"last_name": "Roe"}}
    }
    assert await cb.people.delete("7") is None
    assert deleted.call_count == 1


async def test_invalid_input_is_rejected_before_any_request(router: respx.MockRouter, cb: Casebook) -> None:
    route = router.route().mock(return_value=jsonapi({"data": person("1")}))
    with pytest.raises(InvalidInputError, match=r"hispanic_or_latino must be one of .*, got .maybe."):
        await cb.people.create({"first_name": "A", "last_name": "B", "hispanic_or_latino": "maybe"})
    with pytest.raises(InvalidInputError, match="missing required attribute 'last_name'"):
        await cb.people.create({"first_name": "A"})
    with pytest.raises(InvalidInputError, match="created_at are set by the server"):
        await cb.people.create({"first_name": "A", "last_name": "B", "created_at": "2025-01-01T00:00:00Z"})
    for call in (cb.people.get(""), cb.people.update("  ", {}), cb.people.delete(None)):  # type: ignore[arg-type]
        with pytest.raises(InvalidInputError, match="record id is required"):
            await call
    with pytest.raises(InvalidInputError):
        cb.people.list(filter={"x": {"bogus": 1}})
    assert route.call_count == 0


async def test_ids_are_path_escaped(router: respx.MockRouter, cb: Casebook) -> None:
    route = router.get(url__regex=r".*").mock(return_value=jsonapi({"data": person("a/b")}))
    await cb.people.get("a/b?x")
    assert route.calls.last.request.url.raw_path == b"/people/people/a%2Fb%3Fx"


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (406, NotAcceptableError),
        (409, ConflictError),
        (415, UnsupportedMediaTypeError),
        (422, UnprocessableEntityError),
        (500, ServerError),
    ],
)
async def test_status_errors_map_to_classes(
    router: respx.MockRouter, cb: Casebook, status: int, cls: type[Exception]
) -> None:
    router.get("/people/people/1").mock(
        return_value=errors(
            status, {"status": str(status), "title": "Nope", "detail": "bad"}, **{"x-request-id": "rid-9"}
        )
    )
    with pytest.raises(cls) as info:
        await cb.people.get("1")
    text = str(info.value)
    assert f"GET /people/people/1 -> HTTP {status}" in text
    assert "rid-9" in text
    assert TOKEN not in text
    assert TOKEN not in repr(info.value)


@pytest.mark.parametrize(
    ("status", "said"),
    [(406, "the server cannot answer in application/vnd"), (415, "refused the request body's media type")],
)
async def test_media_type_refusals_say_what_was_refused(
    router: respx.MockRouter, cb: Casebook, status: int, said: str
) -> None:
    router.get("/people/people/1").mock(return_value=httpx.Response(status))  # often no body at all
    with pytest.raises(APIStatusError, match=said):
        await cb.people.get("1")


async def test_a_media_type_with_json_api_1_1_parameters_is_read(
    router: respx.MockRouter, cb: Casebook
) -> None:
    media = 'application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"; profile="https://example.org/p"'
    body = json.dumps({"data": person("1")}).encode()
    router.get("/people/people/1").mock(
        return_value=httpx.Response(200, content=body, headers={"Content-Type": media})
    )
    assert (await cb.people.get("1")).id == "1"


@pytest.mark.parametrize("status", [422, 400])  # JSON:API allows either for a document that fails validation
async def test_validation_errors_expose_pointers(router: respx.MockRouter, cb: Casebook, status: int) -> None:
    router.post("/people/people").mock(
        return_value=errors(
            status,
            {
                "status": "422",
                "code": "blank",
                "detail": "can't be blank",
                "source": {"pointer": "/data/attributes/last_name"},
            },
            {
                "status": "422",
                "code": "invalid",
                "detail": "bad email",
                "source": {"pointer": "/data/attributes/email"},
            },
            **{"x-request-id": "req-1"},
        )
    )
    with pytest.raises(UnprocessableEntityError if status == 422 else BadRequestError) as info:
        await cb.people.create({"first_name": "A", "last_name": "B"})
    err = info.value
    assert err.status == status
    assert err.request_id == "req-1"
    assert err.method == "POST"
    assert err.path == "/people/people"
    assert err.pointers == ["/data/attributes/last_name", "/data/attributes/email"]
    assert [e.code for e in err.errors] == ["blank", "invalid"]
    assert "/data/attributes/last_name: can't be blank" in str(err)
    assert err.parameters == []


async def test_get_retries_on_503_with_full_jitter_backoff(
    router: respx.MockRouter, cb: Casebook, fake_sleep: FakeSleep
) -> None:
    route = router.get("/people/people/1").mock(
        side_effect=[
            httpx.Response(503),
            httpx.Response(502),
            httpx.Response(504),
            jsonapi({"data": person("1")}),
        ]
    )
    assert (await cb.people.get("1")).id == "1"
    assert route.call_count == 4
    # random() = 0.5 → half of min(30, 0.5 * 2**(n-1))
    assert fake_sleep.delays == [0.25, 0.5, 1.0]


async def test_retries_give_up_after_attempts(
    router: respx.MockRouter, cb: Casebook, fake_sleep: FakeSleep
) -> None:
    route = router.get("/people/people/1").mock(return_value=errors(503, {"title": "down"}))
    with pytest.raises(ServerError):
        await cb.people.get("1")
    assert route.call_count == 4
    assert len(fake_sleep.delays) == 3


async def test_retry_after_is_honoured_on_429(
    router: respx.MockRouter, cb: Casebook, fake_sleep: FakeSleep
) -> None:
    route = router.get("/people/people/1").mock(
        side_effect=[
            errors(429, {"title": "slow down"}, **{"retry-after": "7"}),
            jsonapi({"data": person("1")}),
        ]
    )
    await cb.people.get("1")
    assert route.call_count == 2
    assert fake_sleep.delays == [7.0]


async def test_too_long_retry_after_raises_rate_limit_error(
    router: respx.MockRouter, cb: Casebook, fake_sleep: FakeSleep
) -> None:
    router.get("/people/people/1").mock(
        return_value=errors(429, {"title": "slow"}, **{"retry-after": "3600"})
    )
    with pytest.raises(RateLimitError) as info:
        await cb.people.get("1")
    assert info.value.retry_after == 3600.0
    assert fake_sleep.delays == []


async def test_timeouts_and_connection_errors_are_retried_for_get(
    router: respx.MockRouter, cb: Casebook, fake_sleep: FakeSleep
) -> None:
    route = router.get("/people/people/1").mock(
        side_effect=[
            httpx.ReadTimeout("slow"),
            httpx.RemoteProtocolError("dropped"),
            jsonapi({"data": person("1")}),
        ]
    )
    await cb.people.get("1")
    assert route.call_count == 3
    assert len(fake_sleep.delays) == 2


async def test_transport_errors_map_when_retries_run_out(
    router: respx.MockRouter, make_client: Callable[..., Casebook]
) -> None:
    router.get("/people/people/1").mock(side_effect=httpx.ReadTimeout("slow"))
    router.get("/people/people/2").mock(side_effect=httpx.ConnectError("refused"))
    async with make_client(retry=False) as cb:
        with pytest.raises(TimeoutError, match="GET /people/people/1"):
            await cb.people.get("1")
        with pytest.raises(ConnectionError):
            await cb.people.get("2")


async def test_patch_and_delete_are_retried(router: respx.MockRouter, cb: Casebook) -> None:
    patch = router.patch("/people/people/1").mock(
        side_effect=[httpx.Response(502), jsonapi({"data": person("1")})]
    )
    delete = router.delete("/people/people/1").mock(side_effect=[httpx.ReadTimeout("t"), httpx.Response(204)])
    await cb.people.update("1", {"last_name": "X"})
    await cb.people.delete("1")
    assert patch.call_count == 2
    assert delete.call_count == 2


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(502),
        httpx.Response(503),
        httpx.Response(500),
        httpx.ReadTimeout("t"),
        httpx.RemoteProtocolError("x"),
    ],
)
async def test_post_is_not_retried_once_it_may_have_arrived(
    router: respx.MockRouter, cb: Casebook, fake_sleep: FakeSleep, failure: object
) -> None:
    kwargs = {"return_value": failure} if isinstance(failure, httpx.Response) else {"side_effect": failure}
    route = router.post("/people/people").mock(**kwargs)  # type: ignore[arg-type]
    with pytest.raises(OutcomeUnknownError, match="outcome unknown") as info:
        await cb.people.create({"first_name": "A", "last_name": "B"})
    assert route.call_count == 1
    assert fake_sleep.delays == []
    assert info.value.method == "POST"
    assert info.value.path == "/people/people"
    assert isinstance(info.value.cause, ServerError | TimeoutError | ConnectionError)


async def test_post_is_retried_when_it_never_connected(
    router: respx.MockRouter, cb: Casebook, fake_sleep: FakeSleep
) -> None:
    route = router.post("/people/people").mock(
        side_effect=[
            httpx.ConnectError("refused"),
            httpx.ConnectTimeout("t"),
            jsonapi({"data": person("9")}, 201),
        ]
    )
    assert (await cb.people.create({"first_name": "A", "last_name": "B"})).id == "9"
    assert route.call_count == 3


async def test_post_429_is_retried_after_retry_after(
    router: respx.MockRouter, cb: Casebook, fake_sleep: FakeSleep
) -> None:
    route = router.post("/people/people").mock(
        side_effect=[
            errors(429, {"title": "slow"}, **{"retry-after": "2"}),
            errors(429, {"title": "slow"}),
            jsonapi({"data": person("9")}, 201),
        ]
    )
    assert (await cb.people.create({"first_name": "A", "last_name": "B"})).id == "9"
    assert route.call_count == 3
    assert fake_sleep.delays == [2.0, 0.5 * 1.0]  # Retry-After, then full-jitter backoff (random=0.5)


async def test_post_429_raises_rate_limit_error_when_retries_run_out(
    router: respx.MockRouter, cb: Casebook
) -> None:
    route = router.post("/people/people").mock(
        return_value=errors(429, {"title": "slow"}, **{"retry-after": "1"})
    )
    with pytest.raises(RateLimitError) as info:
        await cb.people.create({"first_name": "A", "last_name": "B"})
    assert route.call_count == 4
    assert info.value.retry_after == 1.0


async def test_retries_can_be_switched_off(
    router: respx.MockRouter, make_client: Callable[..., Casebook]
) -> None:
    route = router.get("/people/people/1").mock(return_value=httpx.Response(503))
    async with make_client(retry=False) as cb:
        with pytest.raises(ServerError):
            await cb.people.get("1")
    assert route.call_count == 1


async def test_custom_policy_attempts(
    router: respx.MockRouter, make_client: Callable[..., Casebook], fake_sleep: FakeSleep
) -> None:
    route = router.get("/people/people/1").mock(return_value=httpx.Response(503))
    policy = RetryPolicy(attempts=6, initial_backoff=1, max_backoff=4, sleep=fake_sleep, random=lambda: 1.0)
    async with make_client(retry=policy) as cb:
        with pytest.raises(ServerError):
            await cb.people.get("1")
    assert route.call_count == 6
    assert fake_sleep.delays == [1, 2, 4, 4, 4]


async def test_redirects_are_not_followed(router: respx.MockRouter, cb: Casebook) -> None:
    router.get("/people/people/1").mock(
        return_value=httpx.Response(302, headers={"location": "https://evil.example/x?sig=SECRET"})
    )
    evil = router.get("https://evil.example/x").mock(return_value=jsonapi({"data": person("1")}))
    with pytest.raises(UnexpectedRedirectError) as raised:
        await cb.people.get("1")
    assert evil.call_count == 0
    assert raised.value.status == 302
    assert raised.value.location == "https://evil.example/x"
    assert "evil.example" in str(raised.value)
    assert "SECRET" not in str(raised.value)


async def test_relative_redirect_names_the_api_host(router: respx.MockRouter, cb: Casebook) -> None:
    router.get("/people/people/1").mock(
        return_value=httpx.Response(301, headers={"location": "/elsewhere?a=1"})
    )
    with pytest.raises(UnexpectedRedirectError, match=r"redirect to https://api\.casebook\.net/elsewhere \("):
        await cb.people.get("1")


@pytest.mark.parametrize(
    "url",
    [
        "http://attacker.example/collect",
        "https://attacker.example/collect",
        "http://api.casebook.net/people/people",  # same host, plain http
        "https://api.casebook.net:8443/people/people",
        "https://api.casebook.net.attacker.example/people/people",
    ],
)
async def test_raw_request_never_sends_the_token_off_origin(
    router: respx.MockRouter, cb: Casebook, url: str
) -> None:
    anywhere = router.route().mock(return_value=jsonapi({"data": []}))
    with pytest.raises(InsecureURLError, match="not the configured base URL") as refused:
        await cb.http.request_json("GET", url + "?sig=SECRET-QUERY")
    assert anywhere.call_count == 0
    assert "SECRET-QUERY" not in str(refused.value)  # a query may carry a credential of its own


async def test_raw_request_accepts_relative_and_equivalent_urls(
    router: respx.MockRouter, cb: Casebook
) -> None:
    route = router.get("/people/people").mock(return_value=jsonapi({"data": []}))
    for url in ("/people/people", "HTTPS://API.CASEBOOK.NET:443/people/people", f"{BASE}/people/people"):
        assert await cb.http.request_json("GET", url) == {"data": []}
    assert [c.request.headers["authorization"] for c in route.calls] == [f"Bearer {TOKEN}"] * 3


@pytest.mark.parametrize(
    "lost", [httpx.ReadTimeout("t"), httpx.RemoteProtocolError("x"), httpx.Response(504)]
)
async def test_delete_404_after_a_lost_attempt_counts_as_deleted(
    router: respx.MockRouter, cb: Casebook, lost: httpx.Response | Exception
) -> None:
    gone = errors(404, {"status": "404", "title": "Not Found"})
    route = router.delete("/people/people/1").mock(side_effect=[lost, gone])
    assert await cb.people.delete("1") is None
    assert route.call_count == 2


@pytest.mark.parametrize("first", [httpx.ConnectError("refused"), httpx.Response(503), None])
async def test_delete_404_is_not_found_when_no_attempt_can_have_deleted_it(
    router: respx.MockRouter, cb: Casebook, first: httpx.Response | Exception | None
) -> None:
    gone = errors(404, {"status": "404", "title": "Not Found"})
    router.delete("/people/people/1").mock(side_effect=[gone] if first is None else [first, gone])
    with pytest.raises(NotFoundError):
        await cb.people.delete("1")


async def test_validate_create_and_update_match_what_would_be_sent(
    router: respx.MockRouter, cb: Casebook
) -> None:
    assert cb.people.validate_create({"first_name": "Jo", "last_name": "Doe"}) == {
        "first_name": "Jo",
        "last_name": "Doe",
    }
    assert cb.people.validate_update(PersonUpdateAttributes(last_name="X")) == {"last_name": "X"}
    with pytest.raises(InvalidInputError, match="created_at are set by the server"):
        cb.people.validate_create(
            {"first_name": "Jo", "last_name": "Doe", "created_at": "2024-01-01T00:00:00Z"}
        )
    with pytest.raises(InvalidInputError, match="missing required attribute"):
        cb.people.validate_create({"first_name": "Jo"})
    assert not router.calls


async def test_a_body_nested_deeper_than_the_stack_is_an_invalid_response(
    router: respx.MockRouter, cb: Casebook
) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    headers = {"content-type": "application/vnd.api+json"}
    router.get("/people/people/1").mock(return_value=httpx.Response(200, content=deep, headers=headers))
    router.get("/people/people/2").mock(return_value=httpx.Response(500, content=deep, headers=headers))
    with pytest.raises(InvalidResponseError, match="not JSON"):
        await cb.people.get("1")
    with pytest.raises(ServerError, match="HTTP 500"):  # the error body is unreadable, the status is kept
        await cb.people.get("2")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # httpx's half-read body
async def test_an_undecodable_answer_to_a_post_is_an_unknown_outcome(
    router: respx.MockRouter, cb: Casebook
) -> None:
    # The answer's status is lost with its body: a 201 would mean the record exists.
    route = router.post("/people/people").mock(
        side_effect=lambda request: undecodable(201)  # a 201: the record exists, but the status is lost
    )
    with pytest.raises(OutcomeUnknownError) as info:
        await cb.people.create({"first_name": "A", "last_name": "B"})
    assert isinstance(info.value.cause, InvalidResponseError)
    assert route.call_count == 1
