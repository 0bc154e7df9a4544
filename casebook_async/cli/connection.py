"""Which Casebook the CLI talks to: credentials (flags or CASEBOOK_* variables), or, only when asked for
with --sandbox, an embedded sandbox. Without either, a command stops before doing anything: a cron job
that lost its environment must fail, not "succeed" against a throwaway sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TextIO

from .. import environment
from ..client import Casebook
from ..environment import Credentials

SANDBOX_NOTICE = (
    "--sandbox: running on the embedded in-process sandbox with seeded demo data. Nothing is sent to "
    "Casebook, and nothing written is kept after this command."
)
NO_CREDENTIALS = (
    f"{environment.NO_CREDENTIALS}, or pass --token or --client-id and --client-secret; --sandbox runs on "
    "an embedded sandbox instead"
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
        client = Casebook(
            **credentials.client_options(),
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
