"""``Casebook.from_env()``: the CASEBOOK_* variables, read by the one implementation the CLI uses too."""

from __future__ import annotations

import re

import httpx
import pytest
import respx
import typer.main

from casebook_async import (
    Casebook,
    ClientCredentials,
    CredentialsError,
    InsecureURLError,
    InvalidInputError,
    StaticToken,
)
from casebook_async import environment as env
from casebook_async.cli.app import app

from .conftest import BASE, TOKEN, jsonapi, person


@pytest.mark.anyio
async def test_a_client_from_a_token_and_a_base_url(router: respx.MockRouter) -> None:
    route = router.get("/people/people/1").mock(return_value=jsonapi({"data": person("1")}))
    environ = {env.TOKEN: TOKEN, env.BASE_URL: BASE, env.REGION: "ca"}  # the base URL wins over the region
    async with Casebook.from_env(
        environ, transport=httpx.MockTransport(router.async_handler), max_concurrency=3
    ) as cb:
        assert isinstance(cb.auth, StaticToken)
        assert cb.http.limiter.total_tokens == 3
        await cb.people.get("1")
    assert route.calls.last.request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_client_credentials_and_regions() -> None:
    cb = Casebook.from_env({env.CLIENT_ID: "app", env.CLIENT_SECRET: "s3cret", env.REGION: "ca"})
    assert isinstance(cb.auth, ClientCredentials)
    assert cb.base_url == "https://api.casebookca.net"
    assert Casebook.from_env({env.TOKEN: "t"}).base_url == "https://api.casebook.net"
    assert Casebook.from_env({env.TOKEN: "t", env.REGION: ""}).base_url == "https://api.casebook.net"


def test_the_process_environment_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in env.VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(env.TOKEN, "from-the-environment")
    monkeypatch.setenv(env.BASE_URL, "http://127.0.0.1:9")
    cb = Casebook.from_env()
    assert cb.base_url == "http://127.0.0.1:9"
    assert cb.auth.secrets() == ["from-the-environment"]


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, env.NO_CREDENTIALS),
        ({env.TOKEN: "", env.CLIENT_ID: ""}, env.NO_CREDENTIALS),  # empty is unset
        ({env.TOKEN: "t0ken-value", env.CLIENT_ID: "app"}, "a token or client credentials, not both"),
        ({env.CLIENT_SECRET: "s3cret-value"}, "need both a client id and a client secret"),
        ({env.TOKEN: "t0ken-value", env.REGION: "eu"}, "region must be 'us' or 'ca'"),
        ({env.TOKEN: "t0ken-value", env.BASE_URL: "http://api.example.com"}, "https is required"),
    ],
)
def test_what_cannot_work_says_what_to_set(environ: dict[str, str], message: str) -> None:
    with pytest.raises((CredentialsError, InsecureURLError), match=re.escape(message)) as caught:
        Casebook.from_env(environ)
    assert "t0ken-value" not in str(caught.value)
    assert "s3cret-value" not in str(caught.value)
    if not environ:
        assert all(name in str(caught.value) for name in env.VARIABLES)


def test_the_cli_reads_the_same_variables() -> None:
    command = typer.main.get_command(app)
    export = command.commands["export"]  # type: ignore[attr-defined]
    read = {param.envvar for param in export.params if param.envvar}
    assert read == set(env.VARIABLES)


@pytest.mark.parametrize("option", ["token", "base_url", "region", "client_id", "client_secret"])
def test_from_env_refuses_an_option_it_takes_from_the_environment(option: str) -> None:
    with pytest.raises(InvalidInputError, match=f"from_env takes {option} from the environment"):
        Casebook.from_env({env.TOKEN: "t"}, **{option: "x"})
