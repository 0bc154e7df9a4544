"""In-process httpx transport (no sockets) that can fail the way networks do before the app sees a request."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from starlette.types import ASGIApp

from .faults import TransportRoll
from .log import RequestLog, RequestLogEntry


class SandboxTransport(httpx.AsyncBaseTransport):
    """Wraps httpx.ASGITransport. A dropped connection here means the request never reached the app."""

    def __init__(self, app: ASGIApp, roll: Callable[[], TransportRoll], log: RequestLog) -> None:
        self._roll = roll  # the sandbox's current fault dice
        self._log = log
        self._inner = httpx.ASGITransport(app=app)

    def _record(self, request: httpx.Request, fault: str) -> None:
        self._log.count_fault(fault)
        self._log.add(
            RequestLogEntry(
                method=request.method,
                path=request.url.path,
                query="",
                status=None,
                duration=0.0,
                fault=fault,
                request_id=request.headers.get("x-request-id"),
                client_id=None,
            )
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        roll = self._roll()
        if roll.connect_error:
            self._record(request, "connect_error")
            raise httpx.ConnectError(
                "[Errno 111] Connection refused (sandbox fault injection)", request=request
            )
        if roll.drop:
            self._record(request, "drop")
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
