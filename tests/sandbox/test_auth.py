"""OAuth client-credentials tokens, expiry on a controllable clock, 401/403 by role, per-token rate limit."""

from __future__ import annotations

import base64

import httpx
import pytest

from casebook_async.sandbox import Sandbox

from .conftest import FakeClock, client_for, doc

pytestmark = pytest.mark.anyio


async def fetch_token(sb: Sandbox, client_id: str, secret: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=sb.transport, base_url=sb.base_url) as raw:
        return await raw.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
        )


async def test_token_endpoint_issues_bearer_tokens(sb: Sandbox) -> None:
    app = sb.register_application()
    response = await fetch_token(sb, app.client_id, app.client_secret)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert response.headers["cache-control"] == "no-store"
    async with client_for(sb, body["access_token"]) as client:
        assert (await client.get("/people/people")).status_code == 200
    assert sb.inspect.tokens_issued == 1
    assert app.client_secret not in repr(app)


async def test_token_endpoint_accepts_basic_client_authentication(sb: Sandbox) -> None:
    app = sb.register_application()
    basic = base64.b64encode(f"{app.client_id}:{app.client_secret}".encode()).decode()
    async with httpx.AsyncClient(transport=sb.transport, base_url=sb.base_url) as raw:
        response = await raw.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            headers={"Authorization": f"Basic {basic}"},
        )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        ({"grant_type": "password", "client_id": "x", "client_secret": "y"}, 400, "unsupported_grant_type"),
        ({"client_id": "x", "client_secret": "y"}, 400, "invalid_request"),
        ({"grant_type": "client_credentials", "client_id": "x"}, 400, "invalid_request"),
        (
            {"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "y"},
            401,
            "invalid_client",
        ),
    ],
)
async def test_token_endpoint_errors(sb: Sandbox, form: dict[str, str], status: int, error: str) -> None:
    async with httpx.AsyncClient(transport=sb.transport, base_url=sb.base_url) as raw:
        response = await raw.post("/oauth/token", data=form)
    assert response.status_code == status
    assert response.json()["error"] == error


async def test_wrong_secret_is_401(sb: Sandbox) -> None:
    app = sb.register_application()
    assert (await fetch_token(sb, app.client_id, "guess")).status_code == 401


async def test_token_lifetime_is_configurable_and_expires_on_the_clock(clock: FakeClock) -> None:
    async with Sandbox(token_lifetime=60, clock=clock, s3=False) as sb:
        app = sb.register_application()
        token = (await fetch_token(sb, app.client_id, app.client_secret)).json()
        assert token["expires_in"] == 60
        async with client_for(sb, token["access_token"]) as client:
            clock.advance(59)
            assert (await client.get("/people/people")).status_code == 200
            clock.advance(1)
            expired = await client.get("/people/people")
            assert expired.status_code == 401
            assert expired.json()["errors"][0]["code"] == "expired_token"
            assert expired.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("authorization", [None, "Bearer", "Bearer nope", "Basic abc", "bearer  "])
async def test_missing_or_invalid_token_is_401(sb: Sandbox, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    async with httpx.AsyncClient(transport=sb.transport, base_url=sb.base_url) as raw:
        response = await raw.get("/people/people", headers=headers)
    assert response.status_code == 401
    assert response.json()["errors"][0]["status"] == "401"


async def test_roles_gate_each_resource_and_verb(sb: Sandbox) -> None:
    viewer = sb.register_application(roles=["Providers - View"])
    async with client_for(sb, sb.issue_token(viewer)) as client:
        assert (await client.get("/providers/providers")).status_code == 200
        denied = await client.post("/providers/providers", json=doc("providers", {"name": "x"}))
        assert denied.status_code == 403
        assert "Providers - Create" in denied.json()["errors"][0]["detail"]
        assert (await client.get("/people/people")).status_code == 403
    # cases need every listed role: Engage and People
    half = sb.register_application(roles=["Engage - View"])
    both = sb.register_application(roles=["Engage - View", "People - View"])
    async with client_for(sb, sb.issue_token(half)) as client:
        assert (await client.get("/cases/cases")).status_code == 403
    async with client_for(sb, sb.issue_token(both)) as client:
        assert (await client.get("/cases/cases")).status_code == 200
    with pytest.raises(ValueError, match="unknown roles"):
        sb.register_application(roles=["People - Fly"])


async def test_rate_limit_per_token(clock: FakeClock) -> None:
    async with Sandbox(rate_limit=2, clock=clock, s3=False) as sb:
        first, second = sb.issue_token(), sb.issue_token()
        async with client_for(sb, first) as a, client_for(sb, second) as b:
            assert [(await a.get("/people/people")).status_code for _ in range(2)] == [200, 200]
            limited = await a.get("/people/people")
            assert limited.status_code == 429
            assert int(limited.headers["retry-after"]) >= 1
            assert (await b.get("/people/people")).status_code == 200  # another token has its own budget
            clock.advance(0.5)
            assert (await a.get("/people/people")).status_code == 200
        assert sb.inspect.fault_counts["rate_limit"] == 1


async def test_request_log_never_holds_the_token(sb: Sandbox, client: httpx.AsyncClient) -> None:
    token = client.headers["Authorization"].split()[1]
    await client.get("/people/people", params={"filter[last_name]": "Doe"})
    await client.get("/people/people", params={"access_token": token})
    log = sb.inspect.requests
    assert log[-2].query == "filter%5Blast_name%5D=Doe"
    assert log[-2].status == 200
    assert log[-2].client_id
    assert all(token not in repr(entry) for entry in log)
