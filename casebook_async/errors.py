"""One exception hierarchy for everything the facade raises.

CasebookError
├── InvalidInputError (also ValueError)       bad input caught locally, before any request
│   ├── CredentialsError                       credentials that cannot work (from_env, the CLI)
│   ├── InvalidQueryError                      filter/sort/include/fields/page values
│   └── InsecureURLError                       http:// to a non-loopback host
├── TransportError                             the request got no HTTP response
│   ├── ConnectionError                        connect failure, dropped connection
│   └── TimeoutError                           connect/read/write/pool timeout
├── OutcomeUnknownError                        a POST that may or may not have been applied
├── PaginationError                            a collection response that cannot be paged safely
├── RelationshipNotSavedError                  a write applied without a link it was given (.record)
├── InvalidResponseError                       a response that is not the documented JSON:API shape
└── APIStatusError                             the server answered with an error status
    ├── BadRequestError 400, AuthenticationError 401, PermissionDeniedError 403, NotFoundError 404,
    ├── NotAcceptableError 406, ConflictError 409, UnsupportedMediaTypeError 415 (both explained),
    ├── UnprocessableEntityError 422,
    ├── RateLimitError 429 (.retry_after), ServerError 5xx
    └── UnexpectedRedirectError 3xx (.location; never followed: it would carry the token)

Exceptions never hold the httpx request (its headers carry the bearer token); they keep only the method,
path, status, request id and the parsed JSON:API error objects.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


class CasebookError(Exception):
    """Base class of every error raised by casebook_async."""


class InvalidInputError(CasebookError, ValueError):
    """Input rejected locally before any request was sent."""


class CredentialsError(InvalidInputError):
    """Credentials that cannot work together, e.g. from the CASEBOOK_* variables (the message never contains
    a secret)."""


class InvalidQueryError(InvalidInputError):
    """A filter, sort, include, fields or page argument that cannot be encoded as documented."""


class InsecureURLError(InvalidInputError):
    """The base URL is plain http:// and the host is not loopback."""


class PaginationError(CasebookError):
    """A collection response that cannot be followed safely (e.g. links.next points to another host)."""


class RelationshipNotSavedError(CasebookError):
    """A create or update was applied, but the server's answer shows a relationship it was given with
    another value: the server did not take the link in the form it was sent (some take foreign keys only as
    relationships, some only as attributes: see ``Casebook(foreign_keys=...)``). ``record`` is the record as
    the server answered (it exists); ``relationships`` names the links it did not keep."""

    def __init__(self, *, method: str, path: str, record: Any, relationships: Sequence[str]) -> None:
        self.method = method
        self.path = path
        self.record = record
        self.relationships = builtins.list(relationships)
        super().__init__(
            f"{method} {path}: the server wrote record {getattr(record, 'id', '?')} but not its "
            f"relationship(s) {', '.join(self.relationships)}: its answer shows other values. It may take "
            "foreign keys only as relationships or only as attributes (Casebook(foreign_keys=...))"
        )


class InvalidResponseError(CasebookError):
    """The server's answer could not be understood (not JSON, or not the documented shape)."""


class TransportError(CasebookError):
    """The request did not produce an HTTP response."""

    def __init__(self, message: str, *, method: str, path: str) -> None:
        super().__init__(message)
        self.method = method
        self.path = path


class ConnectionError(TransportError):
    """Connecting failed or the connection dropped."""


class TimeoutError(TransportError):
    """A connect, read, write or pool timeout."""


class OutcomeUnknownError(CasebookError):
    """A non-repeatable request (POST) failed after it may have reached the server.

    It was not retried, because repeating it could create a duplicate. Check whether the record exists
    (e.g. list with a filter on a distinctive attribute) before trying again. ``cause`` is the underlying
    TransportError or APIStatusError; ``status`` is the HTTP status if one came back.
    """

    def __init__(self, *, method: str, path: str, cause: CasebookError, status: int | None = None) -> None:
        what = f"got HTTP {status}" if status is not None else f"failed with {type(cause).__name__}"
        super().__init__(
            f"{method} {path}: outcome unknown - the request {what} after it may have reached the server; "
            f"it was not retried to avoid a duplicate ({cause})"
        )
        self.method = method
        self.path = path
        self.cause = cause
        self.status = status


@dataclass(frozen=True)
class ErrorObject:
    """One JSON:API error object (``errors[]``), with ``source`` flattened to pointer/parameter/header."""

    status: str | None = None
    code: str | None = None
    title: str | None = None
    detail: str | None = None
    pointer: str | None = None
    parameter: str | None = None
    header: str | None = None

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> ErrorObject:
        source = raw.get("source")
        source = source if isinstance(source, Mapping) else {}

        def text(mapping: Mapping[str, Any], key: str) -> str | None:
            value = mapping.get(key)
            return None if value is None else str(value)

        return cls(
            status=text(raw, "status"),
            code=text(raw, "code"),
            title=text(raw, "title"),
            detail=text(raw, "detail"),
            pointer=text(source, "pointer"),
            parameter=text(source, "parameter"),
            header=text(source, "header"),
        )

    def describe(self) -> str:
        where = self.pointer or self.parameter or self.header
        message = self.detail or self.title or self.code or "error"
        return f"{where}: {message}" if where else message


class APIStatusError(CasebookError):
    """The server answered with an error status. ``errors`` holds the JSON:API error objects."""

    def __init__(
        self,
        *,
        method: str,
        path: str,
        status: int,
        errors: Sequence[ErrorObject] = (),
        request_id: str | None = None,
    ) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.errors: builtins.list[ErrorObject] = list(errors)
        self.request_id = request_id
        super().__init__(self._message())

    @property
    def pointers(self) -> builtins.list[str]:
        """``source.pointer`` of each error: the members of the request document the server refused. JSON:API
        lets a server report validation failures as 400 or 422, so every status error has them."""
        return [e.pointer for e in self.errors if e.pointer]

    @property
    def parameters(self) -> builtins.list[str]:
        """``source.parameter`` of each error: the query parameters the server refused."""
        return [e.parameter for e in self.errors if e.parameter]

    def _message(self) -> str:
        parts = [f"{self.method} {self.path} -> HTTP {self.status}"]
        if self.errors:
            parts.append("; ".join(e.describe() for e in self.errors))
        if self.request_id:
            parts.append(f"request id {self.request_id}")
        return ": ".join(parts[:2]) + (f" ({parts[2]})" if len(parts) > 2 else "")


class BadRequestError(APIStatusError):
    """400: a malformed query parameter (``.parameters``) or document (``.pointers``: some servers report
    validation failures as 400 rather than 422)."""


class AuthenticationError(APIStatusError):
    """401: the token is missing, invalid or expired (after one automatic re-authentication)."""


class PermissionDeniedError(APIStatusError):
    """403: the application lacks a role this operation needs."""


class NotFoundError(APIStatusError):
    """404: no such record (deleted records are not found)."""


class ConflictError(APIStatusError):
    """409."""


class NotAcceptableError(APIStatusError):
    """406: the server cannot answer in the media type asked for."""

    def _message(self) -> str:
        return (
            f"{super()._message()}: the server cannot answer in application/vnd.api+json as asked "
            "(Accept); a JSON:API server says this when every JSON:API media type in Accept carries a "
            "parameter (ext, profile) it does not support"
        )


class UnsupportedMediaTypeError(APIStatusError):
    """415: the server refused the body's media type."""

    def _message(self) -> str:
        return (
            f"{super()._message()}: the server refused the request body's media type "
            "(Content-Type: application/vnd.api+json); a JSON:API server says this when the media type "
            "carries a parameter other than ext or profile, or an extension it does not support"
        )


class UnprocessableEntityError(APIStatusError):
    """422: validation failed; each ``errors[i].pointer`` names the offending member (``.pointers``)."""


class RateLimitError(APIStatusError):
    """429: ``retry_after`` is the server's Retry-After in seconds, if it sent one."""

    def __init__(self, *, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(**kwargs)


class ServerError(APIStatusError):
    """5xx."""


class UnexpectedRedirectError(APIStatusError):
    """3xx: the API does not redirect; the redirect is not followed. ``location`` has no query string."""

    def __init__(self, *, location: str | None, **kwargs: Any) -> None:
        self.location = location
        super().__init__(**kwargs)

    def _message(self) -> str:
        target = self.location or "no Location header"
        return f"{super()._message()}: unexpected redirect to {target} (not followed)"


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    406: NotAcceptableError,
    409: ConflictError,
    415: UnsupportedMediaTypeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, APIStatusError)
