"""Per-request options (``cb.with_options``) and raw responses (``with_raw_response``), with respx."""

from __future__ import annotations

from collections.abc import Callable

import anyio
import httpx
import pytest
import respx

from casebook_async import Casebook, InvalidInputError, RetryPolicy, ServerError
from casebook_async.documents import Page
from casebook_openapi.models import Person

from .conftest import BASE, TOKEN, FakeSleep, jsonapi, person

pytestmark = pytest.mark.anyio


def token_answer(token: str) -> httpx.Response:
    return httpx.Response(200, json={"access_token": token, "token_type": "Bearer", "expires_in": 60})


async def test_a_view_has_its_own_options_and_shares_everything_else(
    router: respx.MockRouter, make_client: Callable[..., Casebook]
) -> None:
    route = router.get("/people/people/1").mock(return_value=jsonapi({"data": person("1")}))
    async with make_client(timeout=30) as cb:
        view = cb.with_options(timeout=2.5, extra_headers={"X-Trace": "abc", "User-Agent": "etl/1.0"})
        await view.people.get("1")
        await cb.people.get("1")
        assert (view.http.client, view.http.limiter, view.auth) == (cb.http.client, cb.http.limiter, cb.auth)
        assert view.http.rate is cb.http.rate
        assert view.people is view.people  # made on first use, then kept
        with pytest.raises(AttributeError, match="peple"):
            view.peple  # type: ignore[attr-defined]  # noqa: B018 - the lookup is the test
        await view.aclose()  # a view owns no pool: the client goes on working
        await cb.people.get("1")
    with_options, plain, after = (call.request for call in route.calls)
    assert with_options.extensions["timeout"]["read"] == 2.5
    assert plain.extensions["timeout"]["read"] == 30
    assert with_options.headers["X-Trace"] == "abc"
    assert with_options.headers["User-Agent"] == "etl/1.0"
    assert with_options.headers["Authorization"] == f"Bearer {TOKEN}"
    assert "X-Trace" not in plain.headers
    assert plain.headers["User-Agent"].startswith("casebook-async/")
    assert "X-Trace" not in after.headers


async def test_retry_per_view(
    router: respx.MockRouter, make_client: Callable[..., Casebook], fake_sleep: FakeSleep
) -> None:
    route = router.get("/people/people/1").mock(return_value=httpx.Response(503))
    async with make_client() as cb:
        with pytest.raises(ServerError):
            await cb.with_options(retry=False).people.get("1")
        assert route.call_count == 1
        with pytest.raises(ServerError):
            await cb.with_options(retry=RetryPolicy(attempts=2, sleep=fake_sleep)).people.get("1")
        assert route.call_count == 3


async def test_views_of_views_add_headers(router: respx.MockRouter, cb: Casebook) -> None:
    route = router.get("/people/people/1").mock(return_value=jsonapi({"data": person("1")}))
    await cb.with_options(extra_headers={"X-A": "1"}).with_options(extra_headers={"X-B": "2"}).people.get("1")
    assert (route.calls.last.request.headers["X-A"], route.calls.last.request.headers["X-B"]) == ("1", "2")


async def test_extra_headers_never_reach_the_token_request(
    router: respx.MockRouter, make_client: Callable[..., Casebook]
) -> None:
    token = router.post("/oauth/token").mock(
        return_value=httpx.Response(
            200, json={"access_token": TOKEN, "token_type": "Bearer", "expires_in": 60}
        )
    )
    router.get("/people/people/1").mock(return_value=jsonapi({"data": person("1")}))
    async with make_client(token=None, client_id="app", client_secret="s3cret-value") as cb:
        await cb.with_options(extra_headers={"X-Tenant": "t1"}).people.get("1")
    assert "X-Tenant" not in token.calls.last.request.headers


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({"Authorization": "Bearer mine"}, "Authorization is set by the client"),
        ({"authorization": "Basic x"}, "authorization is set by the client"),
        ({"Proxy-Authorization": "Basic x"}, "set by the client"),
        ({"Host": "evil.example"}, "set by the client"),
        ({"Content-Length": "0"}, "set by the client"),
        ({"X-Token": f"Bearer {TOKEN}"}, "carries a credential"),
        ({"X-Copy": f"prefix-{TOKEN}"}, "carries a credential"),
        ({"X-Evil": "a\r\nAuthorization: Bearer x"}, "visible ASCII"),
        ({"Bad Name": "x"}, "not a valid header name"),
        ({"X-Number": 1}, "visible ASCII"),
        ([("X-A", "1")], "must be a mapping of names to values"),
    ],
)
async def test_extra_headers_cannot_touch_credentials_or_framing(
    router: respx.MockRouter, cb: Casebook, headers: object, message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message) as caught:
        cb.with_options(extra_headers=headers)  # type: ignore[arg-type]
    assert TOKEN not in str(caught.value)
    assert not router.calls


def token_endpoint_and_person(router: respx.MockRouter, oauth: str) -> respx.Route:
    """The token endpoint issuing ``oauth``, and the route of person 1."""
    answer = {"access_token": oauth, "token_type": "Bearer", "expires_in": 60}
    router.post("/oauth/token").mock(return_value=httpx.Response(200, json=answer))
    return router.get("/people/people/1").mock(return_value=jsonapi({"data": person("1")}))


async def test_an_oauth_token_is_refused_in_extra_headers_once_known(
    router: respx.MockRouter, make_client: Callable[..., Casebook]
) -> None:
    oauth = "oauth-TOKEN-123"
    people = token_endpoint_and_person(router, oauth)
    async with make_client(token=None, client_id="app", client_secret="s3cret-value") as cb:
        view = cb.with_options(extra_headers={"X-Forward": oauth})  # the token is not known yet
        await cb.people.get("1")  # now it is
        with pytest.raises(InvalidInputError, match="X-Forward carries a credential") as caught:
            await view.people.get("1")
        with pytest.raises(InvalidInputError, match="carries a credential"):
            cb.with_options(extra_headers={"X-Secret": "s3cret-value"})
    assert oauth not in str(caught.value)
    assert people.call_count == 1


async def test_an_oauth_token_fetched_for_the_views_own_request_never_leaves_in_its_headers(
    router: respx.MockRouter, make_client: Callable[..., Casebook]
) -> None:
    oauth = "oauth-TOKEN-456"
    people = token_endpoint_and_person(router, oauth)
    async with make_client(token=None, client_id="app", client_secret="s3cret-value") as cb:
        view = cb.with_options(extra_headers={"X-Forward": oauth})
        with pytest.raises(InvalidInputError, match="X-Forward carries a credential") as caught:
            await view.people.get("1")  # the first request of all: its token is fetched on the way
    assert oauth not in str(caught.value)
    assert not people.called


@pytest.mark.parametrize("timeout", [0, -1, float("nan"), "5", True])
async def test_a_bad_timeout_is_refused(cb: Casebook, timeout: object) -> None:  # noqa: ASYNC109
    with pytest.raises(InvalidInputError, match="timeout"):
        cb.with_options(timeout=timeout)  # type: ignore[arg-type]


async def test_a_bad_retry_is_refused(cb: Casebook) -> None:
    with pytest.raises(InvalidInputError, match="retry"):
        cb.with_options(retry=3)  # type: ignore[arg-type]


async def test_raw_responses(router: respx.MockRouter, cb: Casebook) -> None:
    router.get("/people/people/1").mock(
        return_value=jsonapi({"data": person("1")}, **{"X-Request-Id": "req-1", "X-RateLimit-Remaining": "9"})
    )
    router.post("/people/people").mock(
        return_value=jsonapi({"data": person("2")}, 201, **{"Request-Id": "r2"})
    )
    router.delete("/people/people/2").mock(return_value=httpx.Response(204))
    got = await cb.people.with_raw_response.get("1")
    assert (got.status_code, got.request_id, got.headers["x-ratelimit-remaining"]) == (200, "req-1", "9")
    assert (got.method, got.url, got.http_version) == ("GET", f"{BASE}/people/people/1", "HTTP/1.1")
    assert (
        got.elapsed is None
    )  # a mock transport's answer is never timed by httpx (the loopback tests time it)
    record = got.parse()
    assert isinstance(record, Person)
    assert record.id == "1"
    created = await cb.people.with_raw_response.create({"first_name": "A", "last_name": "B"})
    assert (created.status_code, created.request_id, created.parse().id) == (201, "r2", "2")
    deleted = await cb.people.with_raw_response.delete("2")
    assert (deleted.status_code, deleted.parse(), deleted.request_id) == (204, None, None)
    for answer in (got, created, deleted):
        shown = repr(answer) + repr(dict(answer.headers)) + answer.url
        assert TOKEN not in shown
        assert "authorization" not in {name.lower() for name in answer.headers}
    assert repr(got) == "<RawResponse GET /people/people/1 200 req-1>"


async def test_a_raw_page_describes_the_page_it_returns(router: respx.MockRouter, cb: Casebook) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params.get("page", "1"))
        links = {"self": f"{BASE}/people/people?page={number}", "last": f"{BASE}/people/people?page=3"}
        if number < 3:
            links["next"] = f"{BASE}/people/people?page={number + 1}"
        return jsonapi({"data": [person(str(number))], "links": links}, **{"X-Request-Id": f"p{number}"})

    router.get("/people/people").mock(side_effect=page)
    second = await cb.people.with_raw_response.page(2)  # page 1 first, to learn how the server pages
    assert second.request_id == "p2"
    assert isinstance(second.parse(), Page)
    assert second.parse().ids == ["2"]


async def test_concurrent_raw_calls_keep_their_own_answers(router: respx.MockRouter, cb: Casebook) -> None:
    async def answer(request: httpx.Request) -> httpx.Response:
        id_ = request.url.path.rsplit("/", 1)[-1]
        await anyio.sleep(0.01 if id_ == "1" else 0)
        return jsonapi({"data": person(id_)}, **{"X-Request-Id": f"r{id_}"})

    router.get(url__regex=r"/people/people/\d+").mock(side_effect=answer)
    found: dict[str, str | None] = {}

    async def get(id_: str) -> None:
        raw = await cb.people.with_raw_response.get(id_)
        found[raw.parse().id] = raw.request_id

    async with anyio.create_task_group() as group:
        for id_ in ("1", "2", "3"):
            group.start_soon(get, id_)
    assert found == {"1": "r1", "2": "r2", "3": "r3"}
