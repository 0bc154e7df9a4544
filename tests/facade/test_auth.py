"""Auth: lazy client-credentials token, single flight, refresh before expiry, one re-auth on 401."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from urllib.parse import parse_qs

import anyio
import httpx
import pytest
import respx

from casebook_async import (
    AuthenticationError,
    Casebook,
    ClientCredentials,
    InvalidInputError,
    InvalidResponseError,
    PermissionDeniedError,
    RetryPolicy,
    ServerError,
    StaticToken,
)

from .conftest import FakeSleep, jsonapi, person

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def token_route(router: respx.MockRouter, lifetime: int = 3600) -> respx.Route:
    issued = 0

    async def issue(request: httpx.Request) -> httpx.Response:
        nonlocal issued
        issued += 1
        await anyio.sleep(0.01)  # let concurrent callers pile up behind the lock
        return httpx.Response(
            200, json={"access_token": f"token-{issued}", "token_type": "Bearer", "expires_in": lifetime}
        )

    return router.post("/oauth/token").mock(side_effect=issue)


def creds(make_client: Callable[..., Casebook], clock: Clock | None = None) -> Casebook:
    return make_client(token=None, client_id="app-1", client_secret="s3cr3t-value", clock=clock or Clock())


async def test_token_is_fetched_lazily_with_a_form_post(
    router: respx.MockRouter, make_client: Callable[..., Casebook]
) -> None:
    tokens = token_route(router)
    api = router.get("/people/people/1").mock(return_value=jsonapi({"data": person("1")}))
    async with creds(make_client) as cb:
        assert tokens.call_count == 0
        await cb.people.get("1")
    request = tokens.calls.last.request
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert "authorization" not in request.headers
    assert parse_qs(request.content.decode()) == {
        "grant_type": ["client_credentials"],
        "client_id": ["app-1"],
        "client_secret": ["s3cr3t-value"],
    }
    assert api.calls.last.request.headers["authorization"] == "Bearer token-1"


async def test_fifty_concurrent_requests_fetch_one_token(
    router: respx.MockRouter, make_client: Callable[..., Casebook]
) -> None:
    tokens = token_route(router)
    api = router.get(url__regex=r"/people/people/\d+$").mock(return_value=jsonapi({"data": person("1")}))
    async with creds(make_client) as cb, anyio.create_task_group() as tg:
        for i in range(50):
            tg.start_soon(cb.people.get, str(i))
    assert tokens.call_count == 1
    assert api.call_count == 50
    assert {c.request.headers["authorization"] for c in api.calls} == {"Bearer token-1"}


async def test_token_refreshed_before_expiry(
    router: respx.MockRouter, make_client: Callable[..., Casebook]
) -> None:
    clock = Clock()
    tokens = token_route(router, lifetime=3600)
    api = router.get("/people/people/1").mock(return_value=jsonapi({"data": person("1")}))
    async with creds(make_client, clock) as cb:
        await cb.people.get("1")
        clock.now += 3600 - 61  # margin is min(60 s, 10 % of 3600 s) = 60 s: still valid
        await cb.people.get("1")
        assert tokens.call_count == 1
        clock.now += 2  # inside the last minute: refresh before the server would reject it
        await cb.people.get("1")
        assert tokens.call_count == 2
    assert [c.request.headers["authorization"] for c in api.calls] == [
        "Bearer token-1",
        "Bearer token-1",
        "Bearer token-2",
    ]


async def test_short_lifetimes_refresh_at_ten_percent(
    router: respx.MockRouter, make_client: Callable[..., Casebook]
) -> None:
    clock = Clock()
    tokens = token_route(router, lifetime=100)
    router.get("/people/people/1").mock(return_value=jsonapi({"data": person("1")}))
    async with creds(make_client, clock) as cb:
        await cb.people.get("1")
        clock.now += 89
        await cb.people.get("1")
        assert tokens.call_count == 1
        clock.now += 2  # 91 s > 100 - 10
        await cb.people.get("1")
        assert tokens.call_count == 2


async def test_401_reauthenticates_once_and_retries(
    router: respx.MockRouter, make_client: Callable[..., Casebook]
) -> None:
    tokens = token_route(router)
    api = router.get("/people/people/1").mock(
        side_effect=[
            httpx.Response(401, json={"errors": [{"title": "expired"}]}),
            jsonapi({"data": person("1")}),
        ]
    )
    async with creds(make_client) as cb:
        assert (await cb.people.get("1")).id == "1"
    assert tokens.call_count == 2
    assert [c.request.headers["authorization"] for c in api.calls] == ["Bearer token-1", "Bearer token-2"]


async def test_a_second_401_is_raised(router: respx.MockRouter, make_client: Callable[..., Casebook]) -> None:
    tokens = token_route(router)
    api = router.get("/people/people/1").mock(
        return_value=httpx.Response(401, json={"errors": [{"title": "no"}]})
    )
    async with creds(make_client) as cb:
        with pytest.raises(AuthenticationError):
            await cb.people.get("1")
    assert tokens.call_count == 2
    assert api.call_count == 2


async def test_static_token_401_is_not_retried(
    router: respx.MockRouter, make_client: Callable[..., Casebook]
) -> None:
    api = router.get("/people/people/1").mock(return_value=httpx.Response(401))
    async with make_client() as cb:
        with pytest.raises(AuthenticationError):
            await cb.people.get("1")
    assert api.call_count == 1


async def test_bad_client_credentials_raise_authentication_error(
    router: respx.MockRouter, make_client: Callable[..., Casebook]
) -> None:
    router.post("/oauth/token").mock(
        return_value=httpx.Response(
            401, json={"error": "invalid_client", "error_description": "unknown client"}
        )
    )
    api = router.get("/people/people/1")
    async with creds(make_client) as cb:
        with pytest.raises(AuthenticationError, match="unknown client") as info:
            await cb.people.get("1")
    assert "s3cr3t-value" not in str(info.value)
    assert api.call_count == 0


async def test_token_request_is_retried_on_503(
    router: respx.MockRouter, make_client: Callable[..., Casebook]
) -> None:
    tokens = router.post("/oauth/token").mock(
        side_effect=[
            httpx.Response(503),
            httpx.Response(200, json={"access_token": "t", "token_type": "Bearer", "expires_in": 3600}),
        ]
    )
    router.get("/people/people/1").mock(return_value=jsonapi({"data": person("1")}))
    async with creds(make_client) as cb:
        await cb.people.get("1")
    assert tokens.call_count == 2


def test_reprs_hide_secrets() -> None:
    assert repr(StaticToken("abc-secret")) == "StaticToken(token=***)"
    assert (
        repr(ClientCredentials("abc", "topsecret")) == "ClientCredentials(client_id='abc', client_secret=***)"
    )
    cb = Casebook(token="abc-secret")
    assert "abc-secret" not in repr(cb)
    assert repr(cb) == "Casebook(base_url='https://api.casebook.net', auth=StaticToken(token=***))"


@pytest.mark.parametrize(
    "body",
    [
        {"token_type": "Bearer", "expires_in": 3600},
        {"access_token": "", "token_type": "Bearer", "expires_in": 3600},
        {"access_token": "LEAKY-TOKEN\n", "token_type": "Bearer", "expires_in": 3600},
        {"access_token": "LEAKY TOKEN", "token_type": "Bearer", "expires_in": 3600},
        {"access_token": 42, "expires_in": 3600},
        {"access_token": "LEAKY-TOKEN", "token_type": "Bearer"},
        {"access_token": "LEAKY-TOKEN", "token_type": "Bearer", "expires_in": -1},
        {"access_token": "LEAKY-TOKEN", "token_type": "Bearer", "expires_in": "3600"},
        {"access_token": "LEAKY-TOKEN", "token_type": "Bearer", "expires_in": True},
        {"access_token": "LEAKY-TOKEN", "token_type": "mac", "expires_in": 3600},
        ["LEAKY-TOKEN"],
    ],
)
async def test_malformed_token_response_is_invalid_without_the_token(
    router: respx.MockRouter, make_client: Callable[..., Casebook], body: object
) -> None:
    router.post("/oauth/token").mock(return_value=httpx.Response(200, json=body))
    api = router.get("/people/people/1")
    async with creds(make_client) as cb:
        with pytest.raises(InvalidResponseError, match="not a token response") as info:
            await cb.people.get("1")
    assert "LEAKY-TOKEN" not in str(info.value)
    assert api.call_count == 0


@pytest.mark.parametrize("extra", [{"token_type": "bearer"}, {"token_type": "BEARER"}, {}])
async def test_token_type_is_case_insensitive_and_optional(
    router: respx.MockRouter, make_client: Callable[..., Casebook], extra: dict[str, str]
) -> None:
    router.post("/oauth/token").mock(
        return_value=httpx.Response(200, json={"access_token": "tok-1", "expires_in": 0.5, **extra})
    )
    api = router.get("/people/people/1").mock(return_value=jsonapi({"data": person("1")}))
    async with creds(make_client) as cb:
        await cb.people.get("1")
    assert api.calls.last.request.headers["authorization"] == "Bearer tok-1"


@pytest.mark.parametrize("token", ["tok-SECRET\n", " tok-SECRET", "tok\tSECRET", "tok-SECRET-\u00e9", ""])
def test_a_static_token_that_cannot_be_a_header_value_is_refused_without_showing_it(token: str) -> None:
    # h11 would refuse the header later and quote it, token included, in its error message.
    with pytest.raises(InvalidInputError, match="printable ASCII") as info:
        Casebook(token=token)
    assert "SECRET" not in str(info.value)


async def test_a_failed_token_request_fails_its_waiters_instead_of_being_repeated_by_each(
    router: respx.MockRouter, fake_sleep: FakeSleep
) -> None:
    async def unavailable(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(0.01)  # the other requests queue behind this fetch
        return httpx.Response(503)

    tokens = router.post("/oauth/token").mock(side_effect=unavailable)
    api = router.get(url__regex=r"/people/people/\d+$")
    policy = RetryPolicy(attempts=3, sleep=fake_sleep, random=lambda: 0.5)
    failures: list[BaseException] = []

    async def get(cb: Casebook, id_: str) -> None:
        try:
            await cb.people.get(id_)
        except ServerError as exc:
            failures.append(exc)

    async with Casebook(
        base_url="https://api.casebook.net",
        client_id="app-1",
        client_secret="s3cr3t-value",
        retry=policy,
        transport=httpx.MockTransport(router.async_handler),
    ) as cb:
        async with anyio.create_task_group() as tg:
            for i in range(20):
                tg.start_soon(get, cb, str(i))
        assert len(failures) == 20
        assert tokens.call_count == 3  # one fetch with its own retries, not one per waiting request
        # One shared error, raised 20 times: its traceback must not have grown with every waiter.
        assert len(traceback.extract_tb(failures[-1].__traceback__)) < 40
        assert api.call_count == 0
        # A later request is not refused on the old failure: it asks again.
        tokens.mock(return_value=httpx.Response(200, json={"access_token": "t-2", "expires_in": 3600}))
        api.mock(return_value=jsonapi({"data": person("1")}))
        await cb.people.get("1")
    assert tokens.call_count == 4


@pytest.mark.parametrize(("status", "error"), [(401, AuthenticationError), (403, PermissionDeniedError)])
@pytest.mark.parametrize("description", [{"text": "nested"}, 42, ["a", "b"]])
async def test_oauth_errors_with_a_non_string_description_keep_their_type_and_status(
    router: respx.MockRouter,
    make_client: Callable[..., Casebook],
    status: int,
    error: type[Exception],
    description: object,
) -> None:
    body = {"error": "invalid_client", "error_description": description}
    router.post("/oauth/token").mock(return_value=httpx.Response(status, json=body))
    async with creds(make_client) as cb:
        with pytest.raises(error) as info:
            await cb.people.get("1")
    assert f"HTTP {status}" in str(info.value)
    assert str(description) in str(info.value)
