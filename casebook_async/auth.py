"""Bearer-token sources: a static token, or OAuth client credentials fetched lazily and refreshed early.

ClientCredentials refreshes ``min(60 s, 10 % of the lifetime)`` before ``expires_in`` runs out (the
iCasework peer issues 1 h tokens), behind an anyio.Lock so that N concurrent requests cause one token
request (single flight), and a failed token request fails the requests that were waiting for it instead
of being repeated by each of them. After a 401 the http layer calls ``invalidate(token)``: only the token that
failed is dropped, so 50 requests failing with the same stale token still refresh once.
Secrets never appear in reprs.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

import anyio

from casebook_openapi.models import TokenResponse

from .errors import InvalidInputError

TokenFetcher = Callable[[Mapping[str, str]], Awaitable[TokenResponse]]
REFRESH_MARGIN_MAX = 60.0
REFRESH_MARGIN_FRACTION = 0.1
# RFC 6750's b64token is narrower; this only excludes what cannot go into a header value (whitespace,
# control characters, non-ASCII): h11 refuses such a header and echoes it, token included, in its error.
_TOKEN_CHARS = re.compile(r"[\x21-\x7e]+")


def is_valid_token(token: object) -> bool:
    return isinstance(token, str) and _TOKEN_CHARS.fullmatch(token) is not None


class Auth(Protocol):
    async def token(self, fetch: TokenFetcher) -> str:
        """A bearer token valid now; ``fetch`` POSTs the given form to the token endpoint."""
        ...

    def invalidate(self, token: str) -> bool:
        """Forget ``token`` after a 401; True if asking ``token()`` again may yield a different one."""
        ...

    def secrets(self) -> list[str]:
        """Values the log redaction must mask."""
        ...


class StaticToken:
    """A bearer token the caller already has. It cannot be refreshed."""

    def __init__(self, token: str) -> None:
        if not is_valid_token(token):
            raise InvalidInputError(  # the message never shows the value
                "token must be a non-empty string of printable ASCII without spaces or line breaks "
                "(a token read from a file or environment variable may end with a newline)"
            )
        self._token = token

    def __repr__(self) -> str:
        return "StaticToken(token=***)"

    async def token(self, fetch: TokenFetcher) -> str:
        return self._token

    def invalidate(self, token: str) -> bool:
        return False

    def secrets(self) -> list[str]:
        return [self._token]


class ClientCredentials:
    """OAuth client credentials (``POST /oauth/token``), fetched on first use and refreshed before expiry."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        scope: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not client_id or not client_secret:
            raise InvalidInputError("client_id and client_secret must be non-empty")
        self.client_id = client_id
        self._client_secret = client_secret
        self.scope = scope
        self._clock = clock
        self._lock = anyio.Lock()
        self._token: str | None = None
        self._refresh_at = 0.0
        self._fetches_failed = 0
        self._failure: Exception | None = None  # of the latest fetch, shared with the tasks that awaited it
        self.fetch_count = 0  # token requests made; handy for observability and tests

    def __repr__(self) -> str:
        return f"ClientCredentials(client_id={self.client_id!r}, client_secret=***)"

    def _current(self) -> str | None:
        if self._token is not None and self._clock() < self._refresh_at:
            return self._token
        return None

    async def token(self, fetch: TokenFetcher) -> str:
        current = self._current()
        if current is not None:
            return current
        failures_seen = self._fetches_failed
        async with self._lock:
            current = self._current()  # another task may have refreshed while we waited
            if current is not None:
                return current
            if self._failure is not None and self._fetches_failed != failures_seen:
                # The fetch we queued behind failed (after its own retries): one outcome for all waiters,
                # rather than each repeating it (a wrong secret POSTed N times can lock the account).
                # One instance for all: drop the traceback the earlier raises gave it, or it grows per waiter.
                raise self._failure.with_traceback(None)
            form = {
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self._client_secret,
            }
            if self.scope:
                form["scope"] = self.scope
            started = self._clock()  # lifetime counts from before the request: errs on the early side
            self.fetch_count += 1
            self._failure = None
            try:
                response = await fetch(form)
            except Exception as exc:  # a cancellation is not shared: the next waiter fetches itself
                self._failure = exc
                self._fetches_failed += 1
                raise
            lifetime = float(response.expires_in)
            margin = min(REFRESH_MARGIN_MAX, REFRESH_MARGIN_FRACTION * lifetime)
            self._token = response.access_token
            self._refresh_at = started + lifetime - margin
            return self._token

    def invalidate(self, token: str) -> bool:
        if self._token == token:
            self._token = None
        return True

    def secrets(self) -> list[str]:
        return [s for s in (self._client_secret, self._token) if s]
