"""Which Casebook the CLI talks to: credentials (flags or CASEBOOK_* variables), or, only when asked for
with --sandbox, an embedded sandbox. Without either, a command stops before doing anything: a cron job
that lost its environment must fail, not "succeed" against a throwaway sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Literal, TextIO, cast

from ..client import Casebook

SANDBOX_NOTICE = (
    "--sandbox: running on the embedded in-process sandbox with seeded demo data. Nothing is sent to "
    "Casebook, and nothing written is kept after this command."
)
NO_CREDENTIALS = (
    "no Casebook credentials: set CASEBOOK_TOKEN, or CASEBOOK_CLIENT_ID and CASEBOOK_CLIENT_SECRET "
    "(with CASEBOOK_REGION=us|ca, or CASEBOOK_BASE_URL), or pass --token or --client-id and "
    "--client-secret; --sandbox runs on an embedded sandbox instead"
)


class CredentialsError(ValueError):
    """Credentials that cannot work together (the message never contains a secret)."""


@dataclass(frozen=True)
class Credentials:
    token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    region: str | None = None
    base_url: str | None = None

    @property
    def configured(self) -> bool:
        return any((self.token, self.client_id, self.client_secret))

    def check(self) -> None:
        """Raise CredentialsError unless these can work (checked before anything is read or sent)."""
        if not self.configured:
            raise CredentialsError(NO_CREDENTIALS)
        if self.token and (self.client_id or self.client_secret):
            raise CredentialsError("pass a token or client credentials, not both")
        if not self.token and not (self.client_id and self.client_secret):
            raise CredentialsError("client credentials need both a client id and a client secret")
        if self.region not in (None, "us", "ca"):
            raise CredentialsError(f"region must be 'us' or 'ca', got {self.region!r}")

    def __repr__(self) -> str:  # never show a secret, even in a traceback's locals
        return (
            f"Credentials(token={'***' if self.token else None}, client_id={self.client_id!r}, "
            f"client_secret={'***' if self.client_secret else None}, region={self.region!r}, "
            f"base_url={self.base_url!r})"
        )


@dataclass
class Connection:
    client: Casebook
    embedded: bool  # True on the in-process sandbox
    where: str  # a description safe to print


@asynccontextmanager
async def connect(
    credentials: Credentials | None,
    *,
    notice: TextIO | None = None,
    seed_people: int = 100,
    max_concurrency: int = 16,
    max_rate: float | None = None,
) -> AsyncIterator[Connection]:
    """A client on the configured Casebook, or, when ``credentials`` is None (``--sandbox``), on a seeded
    in-process sandbox (said plainly on ``notice``). A bulk job adapts to 429s by itself: nothing to wire."""
    if credentials is not None:
        credentials.check()
        region = cast(Literal["us", "ca"] | None, credentials.region if not credentials.base_url else None)
        client = Casebook(
            region=region,
            base_url=credentials.base_url,
            token=credentials.token or None,
            client_id=credentials.client_id or None,
            client_secret=credentials.client_secret or None,
            max_concurrency=max_concurrency,
            max_rate=max_rate,
        )
        async with client:
            yield Connection(client, False, client.base_url)
        return
    from ..sandbox import Sandbox  # the sandbox extra is only needed for --sandbox

    if notice is not None:
        print(SANDBOX_NOTICE, file=notice, flush=True)
    async with Sandbox(seed=0) as sandbox:
        sandbox.seed_data(people=seed_people)
        client = Casebook(
            base_url=sandbox.base_url,
            transport=sandbox.transport,
            token=sandbox.issue_token(),
            max_concurrency=max_concurrency,
            max_rate=max_rate,
        )
        async with client:
            yield Connection(client, True, "embedded sandbox (in-process)")
