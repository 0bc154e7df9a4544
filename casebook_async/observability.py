"""Logging with redaction, and typed request/response/retry events for user hooks.

Everything logs to the ``casebook_async`` logger (DEBUG: one line per request and per response, with
method, path+query, status, milliseconds, attempt and request id). A filter on that logger masks bearer
tokens, ``access_token``/``client_secret`` values and every secret of a live client, whatever the message.
"""

from __future__ import annotations

import inspect
import logging
import re
import weakref
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .auth import Auth

logger = logging.getLogger("casebook_async")

MASK = "***"
_PATTERNS = (
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9\-._~+/=]+"),
    re.compile(
        r"(?i)((?:access_token|client_secret|refresh_token|authorization)[\"']?\s*[:=]\s*[\"']?(?:bearer\s+)?)"
        r"[^\"'&\s,}]+"
    ),
)
_live_auths: weakref.WeakSet[Auth] = weakref.WeakSet()


def register_secrets(auth: Auth) -> None:
    """Mask this auth's secrets (and the tokens it obtains) in every casebook_async log record."""
    _live_auths.add(auth)


def redact(text: str) -> str:
    for auth in list(_live_auths):
        for secret in auth.secrets():
            if secret:
                text = text.replace(secret, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    return text


class RedactingFilter(logging.Filter):
    """Renders the message once, masks secrets, and freezes the result (args cleared)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:  # formatters reuse exc_text: the traceback is masked too
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


if not any(isinstance(f, RedactingFilter) for f in logger.filters):
    logger.addFilter(RedactingFilter())


# What a request is for: "api" (a Casebook resource), or "token" (the OAuth token request, whose form with the
# client secret is never part of an event).
RequestKind = Literal["api", "token"]


@dataclass(frozen=True)
class RequestEvent:
    """About to send one attempt. ``url`` never carries credentials (the token lives in a header)."""

    method: str
    url: str
    attempt: int
    kind: RequestKind = "api"


@dataclass(frozen=True)
class ResponseEvent:
    """One attempt finished with an HTTP response."""

    method: str
    url: str
    attempt: int
    status: int
    elapsed: float  # seconds
    request_id: str | None
    kind: RequestKind = "api"


@dataclass(frozen=True)
class RetryEvent:
    """An attempt failed and will be retried after ``delay`` seconds."""

    method: str
    url: str
    attempt: int  # the attempt that failed
    delay: float
    reason: str  # e.g. "HTTP 503" or "ConnectError"
    kind: RequestKind = "api"


Event = RequestEvent | ResponseEvent | RetryEvent


@dataclass(frozen=True)
class EventHooks:
    """User callables (sync or async), called in order for each event kind.

    An exception from a hook is logged (``casebook_async`` logger, redacted) and otherwise ignored.
    """

    request: Sequence[Callable[[RequestEvent], Awaitable[None] | None]] = field(default=())
    response: Sequence[Callable[[ResponseEvent], Awaitable[None] | None]] = field(default=())
    retry: Sequence[Callable[[RetryEvent], Awaitable[None] | None]] = field(default=())

    def plus(self, *others: EventHooks) -> EventHooks:
        """These hooks, then each of ``others``'."""
        every = (self, *others)
        return EventHooks(
            request=[h for hooks in every for h in hooks.request],
            response=[h for hooks in every for h in hooks.response],
            retry=[h for hooks in every for h in hooks.retry],
        )

    async def emit(self, event: Event) -> None:
        hooks: Sequence[Callable[[Any], Awaitable[None] | None]]
        if isinstance(event, RequestEvent):
            hooks = self.request
        elif isinstance(event, ResponseEvent):
            hooks = self.response
        else:
            hooks = self.retry
        hook: Callable[[Any], Awaitable[None] | None]
        for hook in hooks:
            # A hook observes; it must not change a request's outcome (e.g. hide a committed POST).
            try:
                result: Awaitable[None] | None = hook(event)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                logger.exception(
                    "%s hook %r failed on %s %s", type(event).__name__, hook, event.method, event.url
                )


_scoped: ContextVar[tuple[EventHooks, ...]] = ContextVar("casebook_async_scoped_hooks", default=())


@contextmanager
def observe(hooks: EventHooks) -> Iterator[None]:
    """Within this block, the requests of this task and of the tasks it starts also report to ``hooks``
    (after the client's own). The bulk engine uses it to see its own 429s, retried ones included, on any
    client, without the caller wiring the client's hooks."""
    token = _scoped.set((*_scoped.get(), hooks))
    try:
        yield
    finally:
        _scoped.reset(token)


def scoped_hooks() -> tuple[EventHooks, ...]:
    """The hooks ``observe`` put in place for the current task."""
    return _scoped.get()
