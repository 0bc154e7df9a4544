"""Response bodies for wire tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx


class UndecodableBody(httpx.AsyncByteStream):
    """Bytes that are not the gzip their Content-Encoding claims. httpx decodes them only when it reads the
    body (a bytes body would be decoded, and fail, when the test builds the response). Not an async
    generator: httpx stops reading it halfway, and trio reports a half-read generator when collected."""

    def __init__(self) -> None:
        self._chunks = [b"not gzip at all"]

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self

    async def __anext__(self) -> bytes:
        if not self._chunks:
            raise StopAsyncIteration
        return self._chunks.pop()


def undecodable(status: int) -> httpx.Response:
    return httpx.Response(status, stream=UndecodableBody(), headers={"content-encoding": "gzip"})
