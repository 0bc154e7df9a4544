"""Per-request options (``cb.with_options(...)``): checked once, when the view is made.

Extra headers may add or override any header but those that carry the client's credentials
(``Authorization``, ``Proxy-Authorization``) or that httpx owns to frame and route the request; and no value
may carry a secret of the client (its token or client secret): checked here and again before each request,
since an OAuth token is only known once fetched. Errors name the header, never its value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Final

import httpx

from .errors import InvalidInputError
from .retry import RetryPolicy

RESERVED_HEADERS: Final = frozenset(
    {"authorization", "proxy-authorization", "host", "content-length", "transfer-encoding", "connection"}
)
_TOKEN_CHARS = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # RFC 9110 field names
_VALUE_CHARS = re.compile(r"[\t\x20-\x7e]*")  # visible ASCII, spaces and tabs: no CR, LF or NUL


def check_headers(headers: object) -> dict[str, str]:
    if not isinstance(headers, Mapping):
        raise InvalidInputError(
            f"extra_headers must be a mapping of names to values, got {type(headers).__name__}"
        )
    checked: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not _TOKEN_CHARS.fullmatch(name):
            raise InvalidInputError(f"extra_headers: {name!r} is not a valid header name")
        if name.lower() in RESERVED_HEADERS:
            raise InvalidInputError(f"extra_headers: {name} is set by the client and cannot be overridden")
        if not isinstance(value, str) or not _VALUE_CHARS.fullmatch(value):
            raise InvalidInputError(f"extra_headers: the value of {name} must be a string of visible ASCII")
        checked[name] = value
    return checked


def check_no_secret(headers: Mapping[str, str], secrets: Iterable[str]) -> None:
    """InvalidInputError when a value carries one of ``secrets`` (the token goes in Authorization only)."""
    for secret in secrets:
        for name, value in headers.items():
            if secret and secret in value:
                raise InvalidInputError(
                    f"extra_headers: {name} carries a credential of this client; the token is sent only as "
                    "its Authorization header"
                )


def check_timeout(timeout: object) -> httpx.Timeout:
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, int | float)
        or not (math.isfinite(timeout) and timeout > 0)
    ):
        raise InvalidInputError(
            f"timeout must be a positive number of seconds or an httpx.Timeout, got {timeout!r}"
        )
    return httpx.Timeout(timeout)


def retry_policy(retry: RetryPolicy | bool) -> RetryPolicy:
    if isinstance(retry, RetryPolicy):
        return retry
    if not isinstance(retry, bool):
        raise InvalidInputError(f"retry must be a RetryPolicy, True or False, got {retry!r}")
    return RetryPolicy() if retry else RetryPolicy.disabled()
