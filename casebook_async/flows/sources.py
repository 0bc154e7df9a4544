"""Attachment content from bytes, a file path or an async byte stream, bounded by the size limit.

Everything ends up as ``bytes`` in memory: the limit is 10 MiB, a presigned S3 PUT needs the exact
Content-Length up front, and a retried PUT must resend the same body.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterable, AsyncIterator
from typing import Final

import anyio

from ..errors import InvalidInputError
from .errors import FileTooLargeError

# spec/attachments.yaml: file_size maximum (10 MiB). The generated models drop `maximum`, so it is restated
# here once; tests/flows checks it against the spec the sandbox enforces.
MAX_ATTACHMENT_BYTES: Final = 10_485_760

Source = bytes | bytearray | memoryview | os.PathLike[str] | AsyncIterable[bytes]


async def _spool(stream: AsyncIterable[bytes], limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes: enough to learn the size, or that it is too big."""
    chunks: list[bytes] = []
    total = 0
    iterator: AsyncIterator[bytes] = aiter(stream)
    try:
        async for chunk in iterator:
            if not isinstance(chunk, bytes | bytearray | memoryview):
                raise InvalidInputError(f"the byte stream yielded {type(chunk).__name__}, expected bytes")
            total += len(chunk)
            if total > limit:
                raise FileTooLargeError(size=None, limit=limit)
            chunks.append(bytes(chunk))
    finally:
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None:  # stop a generator we abandoned early (it may hold a file or socket)
            await aclose()
    return b"".join(chunks)


async def read_source(data: Source, limit: int = MAX_ATTACHMENT_BYTES) -> bytes:
    """The content as bytes; FileTooLargeError (before any request) if it exceeds ``limit``."""
    if isinstance(data, bytes | bytearray | memoryview):
        content = bytes(data)
    elif isinstance(data, str):
        raise InvalidInputError("data is a str: pass bytes, or pathlib.Path(...)/anyio.Path(...) for a file")
    elif isinstance(data, os.PathLike):
        path = anyio.Path(os.fspath(data))
        try:
            size = (await path.stat()).st_size
            if size > limit:
                raise FileTooLargeError(size=size, limit=limit)
            # Bounded even so: a pipe or device reports size 0 and may never end (/dev/zero).
            async with await anyio.open_file(path, "rb") as file:
                content = await file.read(limit + 1)
        except OSError as exc:
            raise InvalidInputError(f"cannot read {os.fspath(data)!r}: {exc.strerror or exc}") from exc
    elif isinstance(data, AsyncIterable):
        content = await _spool(data, limit)
    else:
        raise InvalidInputError(
            f"data must be bytes, a path or an async iterable of bytes, got {type(data).__name__}"
        )
    if len(content) > limit:  # a file may have grown since stat()
        raise FileTooLargeError(size=len(content), limit=limit)
    return content
