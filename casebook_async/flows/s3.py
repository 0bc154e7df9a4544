"""PUT bytes to a presigned S3 URL: a separate HTTP client that never carries Casebook credentials.

The presigned URL is its own credential (the signature in its query), so the request goes through a
``credential_free_client``: no Authorization header, no redirects, no proxy from the environment. This
module never logs the URL's query, and httpx's own INFO line ("HTTP Request: PUT <url> ...") gets its
signature stripped by a filter on the ``httpx`` logger; a handler attached to ``httpcore`` at DEBUG, or a
custom transport that logs, is not covered. The httpx exceptions (whose request holds the URL) are never
chained to ours. A PUT of the same bytes to the same key is idempotent, so 5xx, 429 and network failures
are retried.
"""

from __future__ import annotations

import logging
import re
from typing import Final

import httpx

from ..client import is_loopback
from ..errors import CasebookError, InsecureURLError
from ..http import default_user_agent
from ..observability import EventHooks
from ..retry import RetryPolicy, parse_retry_after, pause_before_retry

DEFAULT_UPLOAD_TIMEOUT: Final = 120.0
_S3_CODE = re.compile(rb"<Code>([A-Za-z0-9_.-]{1,64})</Code>")
_RETRYABLE = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


_SIGNATURE_PARAMS: Final = frozenset({"x-amz-signature", "signature", "x-goog-signature"})


class PresignedQueryFilter(logging.Filter):
    """Drops the query of any presigned URL in a record's arguments (the query is the credential)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_strip_signed_query(a) for a in record.args)
        return True


def _strip_signed_query(value: object) -> object:
    if isinstance(value, httpx.URL) and any(k.lower() in _SIGNATURE_PARAMS for k in value.params):
        return redacted(value)
    return value


_httpx_logger = logging.getLogger("httpx")
if not any(isinstance(f, PresignedQueryFilter) for f in _httpx_logger.filters):
    _httpx_logger.addFilter(PresignedQueryFilter())


class PresignedPutError(CasebookError):
    """The PUT to storage failed for good. ``status`` is the last HTTP status, if any came back."""

    def __init__(self, reason: str, *, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


def redacted(url: httpx.URL) -> str:
    """The URL without its query: the query is the presigned signature."""
    return f"{url.scheme}://{url.netloc.decode()}{url.path}"


def check_upload_url(raw: str) -> httpx.URL:
    """Only http(s); https unless the host is loopback (the sandbox's emulator); no userinfo."""
    try:
        url = httpx.URL(raw)
    except httpx.InvalidURL as exc:
        raise PresignedPutError("upload_url is not a valid URL") from exc
    if url.scheme not in ("http", "https") or not url.host or url.userinfo:
        raise PresignedPutError(f"upload_url must be an absolute http(s) URL, got {redacted(url)!r}")
    if url.scheme == "http" and not is_loopback(url.host):
        raise InsecureURLError(f"upload_url {redacted(url)!r}: https is required (http only for loopback)")
    return url


def _failure(response: httpx.Response) -> str:
    match = _S3_CODE.search(response.content[:4096])
    code = f" {match.group(1).decode()}" if match else ""
    return f"storage answered HTTP {response.status_code}{code}"


class PresignedUploader:
    """Uploads to presigned URLs through ``client``, which must never carry Casebook credentials (the
    Casebook client's ``storage_client()``, or ``credential_free_client(transport)`` for tests/proxies)."""

    def __init__(
        self,
        *,
        client: httpx.AsyncClient,
        retry: RetryPolicy,
        timeout: float | httpx.Timeout = DEFAULT_UPLOAD_TIMEOUT,
        hooks: EventHooks | None = None,
    ) -> None:
        self.retry = retry
        self._client = client
        self._hooks = hooks or EventHooks()
        self._timeout = httpx.Timeout(timeout)

    async def put(self, raw_url: str, content: bytes, content_type: str) -> None:
        url = check_upload_url(raw_url)
        headers = {"Content-Type": content_type, "User-Agent": default_user_agent()}
        failures = 0
        while True:
            retry_after: float | None = None
            status: int | None = None
            final: str | None = None
            try:
                response = await self._client.put(
                    url, content=content, headers=headers, timeout=self._timeout
                )
            except httpx.RequestError as exc:  # never chained: its .request.url holds the signature
                reason = f"{type(exc).__name__} talking to {url.host}"
                if not isinstance(exc, _RETRYABLE):
                    final = reason
            else:
                status = response.status_code
                if 200 <= status < 300:
                    return
                reason = _failure(response)
                if status < 500 and status != 429:  # 3xx/4xx: a retry would get the same answer
                    final = reason
                retry_after = parse_retry_after(response.headers.get("retry-after"))
            if final is not None:
                raise PresignedPutError(final, status=status)
            failures += 1
            retried = await pause_before_retry(
                self.retry,
                failures,
                retry_after,
                hooks=self._hooks,
                method="PUT",
                url=redacted(url),
                path=redacted(url),
                attempt=failures,
                reason=reason,
            )
            if not retried:
                raise PresignedPutError(f"{reason} (after {failures} attempts)", status=status)
