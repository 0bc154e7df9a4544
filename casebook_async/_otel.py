"""The OpenTelemetry half of casebook_async.tracing, imported only once there is a tracer.

HTTP client spans follow OpenTelemetry's HTTP semantic conventions: named ``{method} {url.template}``, with
``http.request.method``, ``server.address``, ``server.port``, ``url.full``, ``url.template``,
``http.response.status_code``, ``network.protocol.version`` and, on failure, ``error.type`` (the status code,
or the exception's type) and an ERROR status. A span covers a request's retries. ``url.full`` carries no
query value (filters name people: ``filter[last_name]=REDACTED``), and no span carries a header, a body,
a token or an exception message.
"""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Generic
from urllib.parse import urlsplit, urlunsplit

import anyio
import httpx
from opentelemetry import context, trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer

from .documents import M
from .http import DEFAULT_PORTS
from .pagination import Pages

REDACTED = "REDACTED"


def full_url(url: str) -> str:
    """``url`` with every query value replaced by REDACTED (the keys are kept: they say what was asked)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = (piece.partition("=") for piece in parts.query.split("&"))
    return urlunsplit(
        parts._replace(query="&".join(f"{key}={REDACTED}" if eq else key for key, eq, _ in pairs))
    )


def _failed(span: Span, exc: BaseException) -> None:
    if isinstance(exc, anyio.get_cancelled_exc_class()):
        return  # a cancellation is the caller's decision, not a failure of the operation
    status = getattr(exc, "status", None)
    kind = type(exc)
    span.set_attribute(
        "error.type", str(status) if isinstance(status, int) else f"{kind.__module__}.{kind.__qualname__}"
    )
    span.set_status(Status(StatusCode.ERROR, kind.__name__))


async def send(
    tracer: Tracer, send: Callable[[], Awaitable[httpx.Response]], method: str, url: str, route: str | None
) -> httpx.Response:
    """``send()`` inside an HTTP client span."""
    parts = urlsplit(url)
    attributes: dict[str, Any] = {
        "http.request.method": method,
        "server.address": parts.hostname or "",
        "server.port": parts.port or DEFAULT_PORTS.get(parts.scheme, 0),
        "url.full": full_url(url),
    }
    if route is not None:
        attributes["url.template"] = route
    with tracer.start_as_current_span(
        f"{method} {route}" if route is not None else method,
        kind=SpanKind.CLIENT,
        attributes=attributes,
        record_exception=False,  # exception messages may quote what was sent
        set_status_on_exception=False,
    ) as span:
        try:
            response = await send()
        except BaseException as exc:
            status = getattr(exc, "status", None)
            if isinstance(status, int):
                span.set_attribute("http.response.status_code", status)
            _failed(span, exc)
            raise
        span.set_attribute("http.response.status_code", response.status_code)
        span.set_attribute("network.protocol.version", response.http_version.removeprefix("HTTP/"))
        return response


@contextmanager
def internal(tracer: Tracer, name: str, attributes: Mapping[str, Any]) -> Iterator[Span]:
    """An INTERNAL span, current in this block; ERROR when the block raises (not when it is cancelled)."""
    with tracer.start_as_current_span(
        name, attributes=attributes, record_exception=False, set_status_on_exception=False
    ) as span:
        try:
            yield span
        except BaseException as exc:
            _failed(span, exc)
            raise


class TracedPages(Pages[M], Generic[M]):
    """A listing inside one span, ``list <type>``: current while each page is fetched (its page and request
    spans are its children), ended when the listing ends, fails, leaves its ``async with``, or, for a plain
    ``async for`` left by ``break``, when the iterator is collected."""

    def __init__(self, *args: Any, tracer: Tracer, resource: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tracer = tracer
        self._resource = resource
        self._span: Span | None = None
        self._ended: weakref.finalize[Any, Any] | None = None
        self._pages = self._records = 0

    def _open(self) -> Span:
        if self._span is None:
            self._span = self._tracer.start_span(
                f"list {self._resource}", attributes={"casebook.resource": self._resource}
            )
            self._ended = weakref.finalize(self, self._span.end)
        return self._span

    def _close(self, exc: BaseException | None) -> None:
        if self._span is None or self._ended is None or not self._ended.alive:
            return
        self._ended.detach()
        self._span.set_attributes(
            {"casebook.listing.pages": self._pages, "casebook.listing.records": self._records}
        )
        if exc is not None:
            _failed(self._span, exc)
        self._span.end()

    async def __anext__(self) -> Any:
        token = context.attach(trace.set_span_in_context(self._open()))
        try:
            page = await super().__anext__()
        except StopAsyncIteration:
            self._close(None)
            raise
        except BaseException as exc:
            self._close(exc)
            raise
        finally:
            context.detach(token)
        self._pages += 1
        self._records += len(page.data)
        return page

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool | None:
        try:
            return await super().__aexit__(exc_type, exc, tb)
        finally:
            self._close(exc)
