"""The one place that sends requests: auth, headers, concurrency limit, retries, error mapping, hooks, logs.

Retry rules: GET/PATCH/DELETE (and the token request) are retried on 429/502/503/504, timeouts and
connection errors. A POST is retried only on failures that prove nothing was written: connect error,
connect or pool timeout (it never left) and 429 (a definitive rejection; Retry-After is honoured); any
other failure after sending (5xx, read timeout, dropped connection) raises OutcomeUnknownError. A 401
triggers one re-authentication and one more try, independent of the retry budget. A DELETE answered
404 after an earlier attempt was lost in transit (or got a 504) counts as done: that attempt deleted
the record.

The token is fetched *before* taking a concurrency slot, so a refresh can never wait behind requests
that are themselves waiting for the token.
"""

from __future__ import annotations

import copy
import json
import logging
import math
import platform
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import SplitResult, urljoin, urlsplit

import anyio
import httpx

from casebook_openapi.models import TokenResponse

from . import __version__
from .auth import Auth, is_valid_token
from .errors import (
    APIStatusError,
    CasebookError,
    ConnectionError,
    ErrorObject,
    InsecureURLError,
    InvalidInputError,
    InvalidResponseError,
    OutcomeUnknownError,
    RateLimitError,
    TimeoutError,
    TransportError,
    UnexpectedRedirectError,
    status_error_class,
)
from .observability import EventHooks, RequestEvent, ResponseEvent, logger, scoped_hooks
from .options import check_no_secret
from .query import encode
from .ratelimit import RequestRate
from .retry import RetryPolicy, parse_retry_after, pause_before_retry
from .tracing import tracer_for

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer

JSONAPI: Final = "application/vnd.api+json"
TOKEN_PATH: Final = "/oauth/token"  # noqa: S105 - a path, not a secret
IDEMPOTENT: Final = frozenset({"GET", "HEAD", "PATCH", "PUT", "DELETE", "OPTIONS"})
# Failures that prove the request never reached the server: safe to repeat even for POST.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_RETRYABLE_TRANSPORT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
_REQUEST_ID_HEADERS = ("x-request-id", "request-id")


def _otel() -> ModuleType:
    from . import _otel  # only once there is a tracer: OpenTelemetry is an optional extra

    return _otel


def default_user_agent() -> str:
    return f"casebook-async/{__version__} httpx/{httpx.__version__} python/{platform.python_version()}"


def credential_free_client(transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """A client for presigned storage URLs, which are their own credential: it never gets the token, follows
    no redirects and ignores the proxy environment (HTTPS_PROXY would route the signed URL elsewhere)."""
    return httpx.AsyncClient(transport=transport, follow_redirects=False, trust_env=False)


def request_id_of(headers: httpx.Headers) -> str | None:
    """The server's id of a request (``X-Request-Id``), from its answer's headers."""
    for name in _REQUEST_ID_HEADERS:
        value: str | None = headers.get(name)
        if value:
            return value
    return None


# What decoding a hostile or broken JSON body can raise (RecursionError: nesting deeper than the stack).
_JSON_ERRORS: Final = (ValueError, UnicodeDecodeError, RecursionError)


def _status_error(method: str, path: str, response: httpx.Response) -> APIStatusError:
    errors: list[ErrorObject] = []
    try:
        body = response.json()
    except _JSON_ERRORS:
        body = None
    if isinstance(body, Mapping):
        raw_errors = body.get("errors")
        if isinstance(raw_errors, list):
            errors = [ErrorObject.from_json(e) for e in raw_errors if isinstance(e, Mapping)]
        elif isinstance(body.get("error"), str):  # OAuth errors: {"error": ..., "error_description": ...}
            oauth = {"code": body["error"], "detail": body.get("error_description")}
            errors = [ErrorObject.from_json(oauth)]  # its text conversion: a description may not be a string
    kwargs: dict[str, Any] = {
        "method": method,
        "path": path,
        "status": response.status_code,
        "errors": errors,
        "request_id": request_id_of(response.headers),
    }
    cls = status_error_class(response.status_code)
    if cls is RateLimitError:
        return RateLimitError(retry_after=parse_retry_after(response.headers.get("retry-after")), **kwargs)
    return cls(**kwargs)


DEFAULT_PORTS: Final = {"http": 80, "https": 443}


def origin(url: str | SplitResult) -> tuple[str, str, int | None]:
    """(scheme, host, port) compared case-insensitively, with the scheme's default port made explicit."""
    parts = urlsplit(url) if isinstance(url, str) else url
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:  # a non-numeric port: never equal to the configured origin
        port = -1
    return scheme, (parts.hostname or "").lower(), port if port is not None else DEFAULT_PORTS.get(scheme)


def _token_response(data: Any) -> TokenResponse:
    """Check the token response's shape; messages never include the token itself."""

    def invalid(why: str) -> InvalidResponseError:
        return InvalidResponseError(f"POST {TOKEN_PATH}: not a token response ({why})")

    if not isinstance(data, Mapping):
        raise invalid("not a JSON object")
    if not is_valid_token(data.get("access_token")):
        raise invalid("access_token must be a non-empty string of printable ASCII without spaces")
    expires_in = data.get("expires_in")
    if isinstance(expires_in, bool) or not isinstance(expires_in, int | float) or not expires_in >= 0:
        raise invalid("expires_in must be a non-negative number")
    if not math.isfinite(expires_in):
        raise invalid("expires_in must be a finite number")
    token_type = data.get("token_type", "Bearer")
    if not isinstance(token_type, str) or token_type.lower() != "bearer":
        raise invalid("token_type must be Bearer")
    return TokenResponse.from_dict({**data, "token_type": token_type})


def _redirect_error(method: str, path: str, response: httpx.Response) -> UnexpectedRedirectError:
    location = None
    raw = response.headers.get("location")
    if raw:
        target = urlsplit(urljoin(str(response.request.url), raw))
        location = f"{target.scheme}://{target.hostname or ''}{target.path}"  # no query: it may hold secrets
    return UnexpectedRedirectError(
        location=location,
        method=method,
        path=path,
        status=response.status_code,
        request_id=request_id_of(response.headers),
    )


def _transport_error(method: str, path: str, exc: httpx.TransportError) -> TransportError:
    kind = TimeoutError if isinstance(exc, httpx.TimeoutException) else ConnectionError
    # Network errors' messages come from the OS and carry no headers. A LocalProtocolError's message can
    # quote the offending header, Authorization included, so its text is never copied.
    detail = "the request could not be encoded as HTTP" if isinstance(exc, httpx.LocalProtocolError) else exc
    return kind(f"{method} {path}: {type(exc).__name__}: {detail}", method=method, path=path)


class HTTPCore:
    """Sends JSON:API requests for one Casebook client (one connection pool)."""

    def __init__(
        self,
        *,
        base_url: str,
        auth: Auth,
        client: httpx.AsyncClient,
        retry: RetryPolicy,
        max_concurrency: int,
        hooks: EventHooks,
        user_agent: str,
        timeout: httpx.Timeout | None,
        owns_client: bool = False,
        rate: RequestRate | None = None,
        tracer_provider: Any = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._prefix = self.base_url + "/"
        self._origin = origin(self.base_url)
        self.auth = auth
        self.client = client
        self.retry = retry
        self.limiter = anyio.CapacityLimiter(max_concurrency)
        self.rate = rate  # requests per second, when this client has a share of a tenant's limit
        self.hooks = hooks
        self.user_agent = user_agent
        self._timeout = timeout
        # Headers of every request (Content-Type too: documented on every call, GET included). On a client
        # we own they are the client's defaults, which httpx sends without merging them per request (that
        # merge costs ~15 us a request); a borrowed client is not modified, so they go with each request.
        static = {"Accept": JSONAPI, "Content-Type": JSONAPI, "User-Agent": user_agent}
        if owns_client:
            client.headers.update(static)
        self._static_headers: dict[str, str] = {} if owns_client else static
        self.tracer_provider = tracer_provider  # OpenTelemetry's, or None for the global one (tracing.py)
        self._extra_headers: dict[str, str] = {}  # a with_options view's, on API requests only
        self._record: Callable[[httpx.Response], None] | None = None  # a raw-response view's recorder

    def with_options(
        self,
        *,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> HTTPCore:
        """A view sending through the same pool, auth, limits and hooks, with these options instead."""
        view = copy.copy(self)
        if retry is not None:
            view.retry = retry
        if timeout is not None:
            view._timeout = timeout
        if extra_headers:
            check_no_secret(extra_headers, self.auth.secrets())
            view._extra_headers = {**self._extra_headers, **extra_headers}
        return view

    def tracer(self) -> Tracer | None:
        """The OpenTelemetry tracer of this client's spans, or None: nothing to trace to (tracing.py)."""
        return tracer_for(self.tracer_provider)

    def recording(self, record: Callable[[httpx.Response], None]) -> HTTPCore:
        """A view that hands ``record`` each successful API response (for raw responses)."""
        view = copy.copy(self)
        view._record = record
        return view

    def url(self, path: str, params: Sequence[tuple[str, str]] = ()) -> str:
        query = encode(list(params))
        return f"{self.base_url}{path}" + (f"?{query}" if query else "")

    def resolve(self, url: str) -> str:
        """An absolute URL for ``url``, which may be relative to the base URL (e.g. a links.next)."""
        if url.startswith(self._prefix):  # what url() builds: urljoin would return it unchanged
            return url
        return urljoin(self._prefix, url)

    def _check_same_origin(self, url: str) -> None:
        """The token goes only to the configured base URL (a links.next or raw call elsewhere is refused)."""
        if url.startswith(self._prefix):  # the base URL, then a path: same origin without parsing
            return
        parts = urlsplit(url)
        if origin(parts) != self._origin:
            raise InsecureURLError(
                f"refusing to send credentials to {parts.scheme}://{parts.hostname}{parts.path}: "
                "not the configured base URL"
            )

    async def request_json(
        self, method: str, url: str, *, body: Any = None, expect_body: bool = True, route: str | None = None
    ) -> Any:
        """Send an authenticated JSON:API request; return the parsed JSON document (None for 204).

        ``url`` is absolute or relative to the base URL; any other origin raises InsecureURLError. ``route``
        is its template, for tracing (``/people/people/{id}``).
        """
        url = self.resolve(url)
        try:  # allow_nan=False: NaN/Infinity are not JSON, and the server could not read the body
            content = None if body is None else json.dumps(body, allow_nan=False).encode()
        except (TypeError, ValueError) as exc:  # e.g. a Decimal or a set among custom attributes
            raise InvalidInputError(f"{method} {urlsplit(url).path}: the body is not JSON: {exc}") from None

        def send() -> Awaitable[httpx.Response]:
            return self._send(method, url, headers=self._extra_headers, content=content, authenticated=True)

        tracer = self.tracer()
        response = await (send() if tracer is None else _otel().send(tracer, send, method, url, route))
        if self._record is not None:
            self._record(response)
        if response.status_code == 204 or not response.content:
            if expect_body:
                raise InvalidResponseError(f"{method} {urlsplit(url).path}: empty response body")
            return None
        try:
            return response.json()
        except _JSON_ERRORS as exc:
            raise InvalidResponseError(f"{method} {urlsplit(url).path}: response is not JSON") from exc

    async def fetch_token(self, form: Mapping[str, str]) -> TokenResponse:
        """POST the OAuth form (body never logged); retried like a GET since a token request is repeatable."""
        url = self.url(TOKEN_PATH)

        def send() -> Awaitable[httpx.Response]:
            return self._send(
                "POST",
                url,
                headers={"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"},
                content=str(httpx.QueryParams(dict(form))).encode(),
                authenticated=False,
                repeatable=True,
            )

        tracer = self.tracer()
        response = await (send() if tracer is None else _otel().send(tracer, send, "POST", url, TOKEN_PATH))
        try:
            data = response.json()
        except _JSON_ERRORS as exc:
            raise InvalidResponseError(f"POST {TOKEN_PATH}: not a token response (not JSON)") from exc
        return _token_response(data)

    async def _send(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str],
        content: bytes | None,
        authenticated: bool,
        repeatable: bool | None = None,
    ) -> httpx.Response:
        repeatable = method in IDEMPOTENT if repeatable is None else repeatable
        scoped = scoped_hooks()  # observers of this task (casebook_async.observability.observe)
        hooks = self.hooks.plus(*scoped) if scoped else self.hooks
        if authenticated:
            self._check_same_origin(url)
        split = urlsplit(url)
        path = split.path
        target = path + (f"?{split.query}" if split.query else "")
        failures = 0
        attempt = 0
        reauthenticated = False
        may_have_arrived = False  # an earlier attempt may have been applied although no answer came back
        while True:
            attempt += 1
            request_headers = {**self._static_headers, **headers}
            token = None
            if authenticated:
                token = await self.auth.token(self.fetch_token)
                if headers:  # an OAuth token is known only once fetched (or refreshed): checked here
                    check_no_secret(headers, self.auth.secrets())
                request_headers["Authorization"] = f"Bearer {token}"
            try:
                request = self.client.build_request(
                    method,
                    url,
                    headers=request_headers,
                    content=content,
                    timeout=self._timeout if self._timeout is not None else httpx.USE_CLIENT_DEFAULT,
                )
            except httpx.InvalidURL:  # e.g. a control character; InvalidURL holds no request
                raise InvalidInputError(f"{method} {path}: not a valid URL") from None
            error: CasebookError
            retry_after: float | None = None
            failure: httpx.TransportError | None = None
            undecodable = False
            if self.rate is not None:
                await self.rate.wait()  # before taking a slot: waiting here holds none
            try:
                async with self._slot(authenticated):
                    if hooks.request:  # no event object (or await) per request without hooks
                        await hooks.emit(
                            RequestEvent(method, url, attempt, "api" if authenticated else "token")
                        )
                    logger.debug("-> %s %s attempt=%d", method, target, attempt)
                    started = time.perf_counter()
                    response = await self.client.send(request, follow_redirects=False)
            except httpx.TransportError as exc:
                failure = exc
            except httpx.DecodingError:  # e.g. a corrupt gzip body; the httpx error holds the request
                undecodable = True
            if undecodable:
                error = InvalidResponseError(f"{method} {path}: the response body could not be decoded")
                if not repeatable:  # an answer came, its status unknown: the POST may have been applied
                    raise OutcomeUnknownError(method=method, path=path, cause=error)
                raise error
            if failure is not None:
                # Raised outside the except block and never chained: the httpx exception's .request holds
                # the Authorization header, and error trackers serialise __cause__/__context__ chains.
                # Our error keeps its type and message.
                error = _transport_error(method, path, failure)
                if not isinstance(failure, _RETRYABLE_TRANSPORT):
                    raise error
                if not repeatable and not isinstance(failure, _NEVER_SENT):
                    raise OutcomeUnknownError(method=method, path=path, cause=error)
                reason = type(failure).__name__
                may_have_arrived = may_have_arrived or not isinstance(failure, _NEVER_SENT)
                failure = None
                logger.debug("x  %s %s attempt=%d failed: %s", method, target, attempt, reason)
            else:
                elapsed = time.perf_counter() - started
                status = response.status_code
                if logger.isEnabledFor(logging.DEBUG):  # the header lookups are not free on every request
                    logger.debug(
                        "<- %s %s status=%d %.1fms attempt=%d request_id=%s",
                        method,
                        target,
                        status,
                        elapsed * 1000,
                        attempt,
                        request_id_of(response.headers),
                    )
                if hooks.response:
                    request_id = request_id_of(response.headers)
                    await hooks.emit(
                        ResponseEvent(
                            method=method,
                            url=url,
                            attempt=attempt,
                            status=status,
                            elapsed=elapsed,
                            request_id=request_id,
                            kind="api" if authenticated else "token",
                        )
                    )
                if status < 300:
                    return response
                if status < 400:
                    raise _redirect_error(method, path, response)
                if (
                    status == 401
                    and token is not None
                    and not reauthenticated
                    and self.auth.invalidate(token)
                ):
                    reauthenticated = True
                    logger.info("%s %s: 401, re-authenticating once", method, path)
                    continue
                if status == 404 and method == "DELETE" and may_have_arrived:
                    # The lost attempt deleted it: the outcome the caller asked for, not an error.
                    logger.info(
                        "%s %s: 404 after an attempt lost in transit, counted as deleted", method, path
                    )
                    return httpx.Response(204, request=request)
                error = _status_error(method, path, response)
                # A 429 is a definitive rejection (nothing was written), so even a POST may repeat it.
                if status not in self.retry.statuses or not (repeatable or status == 429):
                    if not repeatable and status >= 500:
                        raise OutcomeUnknownError(method=method, path=path, cause=error, status=status)
                    raise error
                retry_after = parse_retry_after(response.headers.get("retry-after"))
                reason = f"HTTP {status}"
                may_have_arrived = may_have_arrived or status == 504  # the gateway may have passed it on
            failures += 1
            retried = await pause_before_retry(
                self.retry,
                failures,
                retry_after,
                hooks=hooks,
                method=method,
                url=url,
                path=path,
                attempt=attempt,
                reason=reason,
                kind="api" if authenticated else "token",
            )
            if not retried:
                raise error

    def _slot(self, limited: bool) -> _Slot | _NoLimit:
        # The token request bypasses the limiter: requests holding slots may be waiting for it.
        return _Slot(self.limiter) if limited else _NO_LIMIT


class _Slot:
    """One slot of the limiter. CapacityLimiter's own acquire always yields to the event loop; taking a
    free slot without yielding saves that pass on every request (the send that follows yields anyway)."""

    def __init__(self, limiter: anyio.CapacityLimiter) -> None:
        self._limiter = limiter

    async def __aenter__(self) -> None:
        try:
            self._limiter.acquire_nowait()
        except anyio.WouldBlock:
            await self._limiter.acquire()

    async def __aexit__(self, *exc: object) -> None:
        self._limiter.release()


class _NoLimit:
    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, *exc: object) -> None:
        return None


_NO_LIMIT = _NoLimit()
