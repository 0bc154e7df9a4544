"""``Casebook``: the async client. One connection pool, one auth, one concurrency limit per instance.

    async with Casebook(region="us", client_id=..., client_secret=...) as cb:
        person = await cb.people.get("123")
        async with cb.people.list(filter={"last_name": {"like": "Doe"}}, page_size=100) as people:
            async for p in people:
                ...

Point it at the sandbox in-process with ``transport=sb.transport, base_url=sb.base_url``, or pass your
own ``http_client`` (e.g. mocked with respx); a client you pass in is not closed by ``aclose()``.
"""

from __future__ import annotations

import ipaddress
import re
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self
from urllib.parse import urlsplit

import anyio
import httpx

from ._generated import RESOURCES, ResourceNamespaces
from .auth import Auth, ClientCredentials, StaticToken
from .errors import InsecureURLError, InvalidInputError
from .http import HTTPCore, credential_free_client, default_user_agent
from .observability import EventHooks, register_secrets
from .options import check_headers, check_timeout, retry_policy
from .paging import PAGE_PARAMETERS
from .ratelimit import RequestRate
from .resources import ResourceAPI
from .retry import RetryPolicy
from .writes import FOREIGN_KEYS, ForeignKeys

if TYPE_CHECKING:
    from opentelemetry.trace import TracerProvider

REGIONS: dict[str, str] = {"us": "https://api.casebook.net", "ca": "https://api.casebookca.net"}
DEFAULT_TIMEOUT = 30.0


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost":  # not *.localhost: a resolver may send those names to DNS (RFC 6761 allows it)
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_USERINFO = re.compile(r"[^/@]*@")


def check_base_url(base_url: str) -> str:
    """https is required, except for loopback hosts (127.0.0.0/8, ::1, localhost)."""
    try:
        parts = urlsplit(base_url)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        raise InvalidInputError("base_url is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        shown = _USERINFO.sub("***@", base_url)  # however malformed, nothing before an "@" is echoed
        raise InvalidInputError(f"base_url must be an absolute http(s) URL, got {shown!r}")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise InvalidInputError("base_url must not carry credentials, a query or a fragment")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise InsecureURLError(
            f"{base_url!r}: https is required (plain http is allowed only for loopback hosts)"
        )
    return base_url.rstrip("/")


class Casebook(ResourceNamespaces):
    """Async Casebook API client. Use ``async with`` or call ``aclose()``.

    One typed namespace per resource in spec/ (``cb.people``, ``cb.cases``, ...), declared by
    ``ResourceNamespaces`` in the generated casebook_async/_generated.py.

    Args:
        region: "us" (https://api.casebook.net) or "ca" (https://api.casebookca.net); default "us".
        base_url: overrides region (https required except for loopback hosts).
        token: a static bearer token; or client_id + client_secret for OAuth client credentials;
            or auth: any object implementing casebook_async.auth.Auth.
        timeout: seconds or an httpx.Timeout (default 30 s; a passed-in http_client keeps its own).
        max_concurrency: requests in flight at once across this client.
        max_rate: requests per second this client sends at most (None: no limit). Processes sharing one
            tenant's rate limit (e.g. ``casebook import --shard i/n``) each take their part: limit / n.
        page_concurrency: pages fetched ahead by list() (per iteration).
        page_parameter: how to number pages on a server that sends no pagination links: "page" (as
            Casebook documents) or "page[number]". A server's own links always take precedence.
        retry: a RetryPolicy, True (defaults) or False (no retries).
        http_client / transport: bring your own httpx.AsyncClient, or a transport for ours.
        http2: HTTP/2 (the ``http2`` extra): negotiated by ALPN over https, with prior knowledge over plain
            http on loopback. Every request then shares one connection, multiplexed.
        event_hooks: EventHooks(request=[...], response=[...], retry=[...]).
        tracer_provider: an OpenTelemetry TracerProvider for this client's spans (the ``otel`` extra); by
            default the global one, once the application has set one (see casebook_async.tracing).
        clock: monotonic clock for token expiry (tests).
    """

    def __init__(
        self,
        *,
        region: Literal["us", "ca"] | None = None,
        base_url: str | None = None,
        token: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        auth: Auth | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_concurrency: int = 16,
        max_rate: float | None = None,
        page_concurrency: int = 8,
        page_parameter: Literal["page", "page[number]"] = "page",
        foreign_keys: ForeignKeys = "both",
        retry: RetryPolicy | bool = True,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http2: bool = False,
        event_hooks: EventHooks | None = None,
        user_agent: str | None = None,
        tracer_provider: TracerProvider | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if region is not None and base_url is not None:
            raise InvalidInputError("pass region or base_url, not both")
        if base_url is None:
            if (region or "us") not in REGIONS:
                raise InvalidInputError(f"region must be one of {sorted(REGIONS)}, got {region!r}")
            base_url = REGIONS[region or "us"]
        self.base_url = check_base_url(base_url)
        self.auth = self._make_auth(token, client_id, client_secret, auth, clock)
        register_secrets(self.auth)
        for name, value in (("max_concurrency", max_concurrency), ("page_concurrency", page_concurrency)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InvalidInputError(f"{name} must be a positive integer, got {value!r}")
        try:
            rate = None if max_rate is None else RequestRate(max_rate)
        except ValueError as exc:
            raise InvalidInputError(f"max_rate: {exc}") from None
        if http_client is not None and transport is not None:
            raise InvalidInputError("pass http_client or transport, not both")
        if page_parameter not in PAGE_PARAMETERS:
            raise InvalidInputError(
                f"page_parameter must be one of {PAGE_PARAMETERS}, got {page_parameter!r}"
            )
        if foreign_keys not in FOREIGN_KEYS:
            raise InvalidInputError(f"foreign_keys must be one of {FOREIGN_KEYS}, got {foreign_keys!r}")
        policy = retry_policy(retry)
        explicit_timeout = None if timeout is None else check_timeout(timeout)
        self._owns_client = http_client is None
        if http2 and (http_client is not None or transport is not None):
            raise InvalidInputError(
                "http2=True configures the client's own pool: not with http_client or transport"
            )
        if http_client is None:
            try:
                http_client = httpx.AsyncClient(
                    transport=transport,
                    timeout=explicit_timeout or httpx.Timeout(DEFAULT_TIMEOUT),
                    follow_redirects=False,  # a redirect must never carry the token to another host
                    http2=http2,
                    # Plain http (loopback only) has no ALPN to negotiate HTTP/2 with: prior knowledge.
                    http1=not (http2 and urlsplit(self.base_url).scheme.lower() == "http"),
                )
            except ImportError:  # httpx's: the h2 package is missing (or socksio, for a SOCKS proxy)
                if not http2:
                    raise
                raise InvalidInputError(
                    "http2=True needs the http2 extra: pip install 'casebook-async[http2]'"
                ) from None
        self._core = HTTPCore(
            base_url=self.base_url,
            auth=self.auth,
            client=http_client,
            retry=policy,
            max_concurrency=max_concurrency,
            hooks=event_hooks or EventHooks(),
            user_agent=user_agent or default_user_agent(),
            timeout=explicit_timeout,
            owns_client=self._owns_client,
            rate=rate,
            tracer_provider=tracer_provider,
        )
        self._closed = False
        self._view_of: Casebook | None = None  # the client whose pools a with_options view uses
        self._storage: httpx.AsyncClient | None = None
        self._storage_lock = anyio.Lock()

        for name, spec in RESOURCES.items():
            api = ResourceAPI(
                self._core, spec, page_concurrency, page_parameter=page_parameter, foreign_keys=foreign_keys
            )
            setattr(self, name, api)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> Self:
        """A client configured by the CASEBOOK_* variables, as the ``casebook`` command reads them:
        ``CASEBOOK_TOKEN``, or ``CASEBOOK_CLIENT_ID`` and ``CASEBOOK_CLIENT_SECRET``; ``CASEBOOK_REGION``
        (us, ca) or ``CASEBOOK_BASE_URL`` (which wins). ``options`` are any other arguments of Casebook.
        CredentialsError (an InvalidInputError) names what to set when they cannot work."""
        from .environment import Credentials  # only here (and in the CLI): not imported by every user

        configured = Credentials.from_env(environ).client_options()
        if clash := sorted(set(configured) & set(options)):
            raise InvalidInputError(
                f"from_env takes {', '.join(clash)} from the environment (CASEBOOK_*): "
                "pass them to Casebook() instead"
            )
        return cls(**configured, **options)

    @staticmethod
    def _make_auth(
        token: str | None,
        client_id: str | None,
        client_secret: str | None,
        auth: Auth | None,
        clock: Callable[[], float],
    ) -> Auth:
        given = sum(x is not None for x in (token, auth)) + (
            client_id is not None or client_secret is not None
        )
        if given != 1:
            raise InvalidInputError("pass exactly one of: token=, client_id=/client_secret=, auth=")
        if auth is not None:
            return auth
        if token is not None:
            return StaticToken(token)
        if not client_id or not client_secret:
            raise InvalidInputError("client credentials need both client_id and client_secret")
        return ClientCredentials(client_id, client_secret, clock=clock)

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | bool | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Self:
        """This client with other options for the calls made through it, e.g.
        ``await cb.with_options(timeout=5, retry=False).people.get(id)``.

        The view shares this client's connection pool, auth, concurrency and rate limits and hooks (making
        one costs about 10 us); closing it closes nothing, and it stops working when this client is
        closed. ``extra_headers`` go with every API request (not the token request) and may override any
        header but ``Authorization`` and those httpx frames the request with; no value may carry a
        credential of this client. Options not given are this client's."""
        core = self._core.with_options(
            retry=None if retry is None else retry_policy(retry),
            timeout=None if timeout is None else check_timeout(timeout),
            extra_headers=None if extra_headers is None else check_headers(extra_headers),
        )
        view = object.__new__(type(self))
        # Its resource namespaces are made on first use (__getattr__): a view costs about 10 us.
        view.__dict__.update((k, v) for k, v in self.__dict__.items() if k not in RESOURCES)
        view._core = core
        view._view_of = self._view_of or self
        return view

    if not TYPE_CHECKING:  # hidden from type checkers: a misspelt namespace must stay a type error

        def __getattr__(self, name: str) -> Any:
            """A with_options view's resource namespace, made from its client's on first use."""
            view_of = self.__dict__.get("_view_of")
            if view_of is None or name not in RESOURCES:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            api = getattr(view_of, name)._with_core(self._core)
            setattr(self, name, api)
            return api

    @property
    def http(self) -> HTTPCore:
        """The request sender (for advanced use: raw JSON:API calls with the same auth and retries)."""
        return self._core

    def __repr__(self) -> str:
        return f"Casebook(base_url={self.base_url!r}, auth={self.auth!r})"

    async def storage_client(self) -> httpx.AsyncClient:
        """The separate client for presigned storage URLs (attachment uploads), made on first use and
        closed by ``aclose()``. It never carries the Casebook token: see ``credential_free_client``."""
        if self._view_of is not None:
            return await self._view_of.storage_client()
        if self._closed:
            raise RuntimeError("this Casebook client is closed")
        async with self._storage_lock:
            if self._storage is None:
                # In a worker thread: building a client loads the CA bundle from disk (~25 ms here).
                self._storage = await anyio.to_thread.run_sync(credential_free_client)
        return self._storage

    async def aclose(self) -> None:
        """Close the connection pools (but an http_client passed in). Safe to call twice. A view made by
        ``with_options`` owns no pool: closing it does nothing."""
        if self._closed or self._view_of is not None:
            return
        self._closed = True
        # Shielded: `async with Casebook()` in a cancelled scope must still close its pools (each close is
        # quick and local), or the connections stay open and a second aclose() would do nothing.
        with anyio.CancelScope(shield=True):
            async with self._storage_lock:
                storage, self._storage = self._storage, None
            try:
                if storage is not None:
                    await storage.aclose()
            finally:
                if self._owns_client:
                    await self._core.client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
