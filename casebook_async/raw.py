"""Raw responses: ``cb.people.with_raw_response.get(id)`` returns a ``RawResponse`` with the status, headers
and request id of the answer as well as the parsed result (``.parse()``), as in the Stainless SDKs.

The answer's own headers are kept, nothing of the request: its Authorization header never reaches a
``RawResponse`` (nor does the httpx response, which holds that request).
"""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar

import httpx

from .http import request_id_of

if TYPE_CHECKING:
    from .resources import ResourceAPI

T = TypeVar("T")
P = ParamSpec("P")


class RawResponse(Generic[T]):
    """The answer to one call: ``status_code``, ``headers``, ``request_id``, ``http_version``, ``elapsed``,
    ``method``, ``url``, and ``parse()``, the value the plain call returns. When a call took several
    requests (``page(n)`` learning how the server pages from page 1), these describe the last one. A
    ``delete`` whose first attempt was lost in transit and whose retry found the record gone reports the
    204 the lost attempt stands for (no headers): the record was deleted, as asked."""

    __slots__ = ("_parsed", "elapsed", "headers", "http_version", "method", "status_code", "url")

    def __init__(self, parsed: T, response: httpx.Response) -> None:
        self._parsed = parsed
        self.status_code: int = response.status_code
        self.headers = httpx.Headers(response.headers)  # a copy of the answer's headers, not the request's
        self.http_version: str = response.http_version
        self.elapsed: datetime.timedelta | None = _elapsed(response)
        self.method: str = response.request.method
        self.url: str = str(response.request.url)  # never holds credentials: the token goes in a header

    @property
    def request_id(self) -> str | None:
        """The server's id of this request (``X-Request-Id``), to quote to Casebook's support."""
        return request_id_of(self.headers)

    def parse(self) -> T:
        return self._parsed

    def __repr__(self) -> str:
        return f"<RawResponse {self.method} {httpx.URL(self.url).path} {self.status_code} {self.request_id}>"


def _elapsed(response: httpx.Response) -> datetime.timedelta | None:
    try:
        return response.elapsed
    except RuntimeError:  # a body read before it was sent through (a mock transport's): httpx never timed it
        return None


def raw(
    api: ResourceAPI[Any, Any, Any], method: Callable[Concatenate[Any, P], Awaitable[T]]
) -> Callable[P, Awaitable[RawResponse[T]]]:
    """``method`` of ``api`` as a call returning a RawResponse around its result."""

    async def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        answers: list[httpx.Response] = []  # one list per call: concurrent calls never mix their answers
        result = await method(api._with_core(api.http.recording(answers.append)), *args, **kwargs)
        return RawResponse(result, answers[-1])

    return call
