"""The Sandbox: a stateful Casebook emulator, in-process (httpx transport) or over loopback (uvicorn)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Protocol

import anyio
import anyio.to_thread

from . import spec
from .app import build_app
from .attachments import Attachments
from .auth import Application, Authority
from .conventions import Conventions
from .documents import Serializer
from .faults import FaultDice, Faults, RateLimiter
from .inspection import Inspector
from .log import RequestLog
from .records import Records
from .s3 import S3Emulator
from .seed import SeedGenerator
from .store import Store
from .transport import SandboxTransport


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Sandbox:
    base_url = "http://localhost"

    def __init__(
        self,
        seed: int = 0,
        faults: Faults | None = None,
        token_lifetime: float = 3600.0,
        rate_limit: float | None = None,
        s3: bool = True,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = _utc_now,
        conventions: Conventions | str | None = None,
    ) -> None:
        self.seed = seed
        # Where JSON:API lets servers differ (paging, links, meta, foreign keys): see Conventions.PRESETS.
        if isinstance(conventions, str):
            conventions = Conventions.preset(conventions)
        self.conventions = conventions or Conventions()
        self.clock = clock
        self.resources = spec.resources()
        self.store = Store(self.resources, seed)
        self.records = Records(self.store, now)
        self.authority = Authority(spec.all_roles(), clock, token_lifetime)
        self.limiter = RateLimiter(rate_limit, clock) if rate_limit is not None else None
        self.s3 = S3Emulator(self._attachment_limit()) if s3 else None
        self.attachments = Attachments(self.s3, now)
        self.log = RequestLog()
        self.faults = faults or Faults()
        self.inspect = Inspector(self.store, self.log, self.authority, self.attachments, self.s3)
        self.app = build_app(self)
        self._transport: SandboxTransport | None = None
        self._default_app: Application | None = None
        self._seed_calls = 0

    def _attachment_limit(self) -> int:
        """The documented 10 MB limit, read from the spec's file_size maximum."""
        for resource in self.resources.values():
            if Attachments.handles(resource) and resource.attributes["file_size"].maximum is not None:
                return int(resource.attributes["file_size"].maximum)
        raise ValueError("spec: attachments declare no file_size maximum")

    @property
    def faults(self) -> Faults:
        return self._faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        self._faults = faults
        self.dice = FaultDice(faults)

    @property
    def transport(self) -> SandboxTransport:
        if self._transport is None:
            self._transport = SandboxTransport(self.app, lambda: self.dice.roll_transport(), self.log)
        return self._transport

    def serializer(self, base_url: str) -> Serializer:
        keys_as_attributes = self.conventions.foreign_keys == "attributes"
        return Serializer(
            self.store, base_url, self.attachments.refresh, keys_as_attributes=keys_as_attributes
        )

    async def arrive(self) -> datetime:
        """When a write arrived; with ``Faults(commit_latency=...)``, it then waits to commit (late-visible
        writes keep this earlier time as their timestamps)."""
        arrived = self.records.now()
        delay = self.dice.commit_delay()
        if delay > 0:
            self.log.count_fault("late_commit")
            await anyio.sleep(delay)
        return arrived

    # --- credentials -------------------------------------------------------------------------------------
    def register_application(
        self,
        roles: Iterable[str] | None = None,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
    ) -> Application:
        """An incoming application; roles=None grants every role the spec names."""
        return self.authority.register(roles, client_id=client_id, client_secret=client_secret)

    def issue_token(self, app: Application | None = None, lifetime: float | None = None) -> str:
        if app is None:
            if self._default_app is None:
                self._default_app = self.register_application()
            app = self._default_app
        return self.authority.issue(app, lifetime)[0]

    # --- data -------------------------------------------------------------------------------------------
    def seed_data(
        self,
        people: int = 100,
        providers: int = 10,
        locations_per_provider: int = 2,
        cases: int = 20,
        involvements_per_case: int = 2,
        service_offerings_per_provider: int = 2,
        notes: int = 20,
        users: int = 5,
        units_of_work: int = 5,
    ) -> dict[str, list[str]]:
        """Deterministic records (same seed, same calls → same ids and values); returns ids by type."""
        gen = SeedGenerator(self.records, self.seed, self._seed_calls)
        self._seed_calls += 1
        created: dict[str, list[str]] = {}

        def add(ids: dict[str, list[str]]) -> None:
            for type_, values in ids.items():
                created.setdefault(type_, []).extend(values)

        add({"people": [gen.person(i) for i in range(people)]})
        for i in range(providers):
            add(gen.provider(i, locations_per_provider, service_offerings_per_provider))
        for i in range(cases):
            add(gen.case(i, created["people"], involvements_per_case))
        targets = [("people", p) for p in created["people"][:1000]] + [
            ("cases", c) for c in created.get("cases", [])
        ]
        add({"notes": [gen.note(i, targets) for i in range(notes if targets else 0)]})
        add({"users": [gen.user(i) for i in range(users)]})
        add({"units_of_work": [gen.unit_of_work(i, targets) for i in range(units_of_work)]})
        return created

    # --- lifecycle ---------------------------------------------------------------------------------------
    async def __aenter__(self) -> Sandbox:
        return self  # the S3 server starts on the first attachment, keeping startup instant

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._transport is not None:
            await self._transport.aclose()
        if self.s3 is not None and self.s3.started:
            await anyio.to_thread.run_sync(self.s3.stop)

    @asynccontextmanager
    async def serve(
        self,
        port: int = 0,
        host: str = "127.0.0.1",
        *,
        http2: bool = False,
        certificate: tuple[str, str] | None = None,
    ) -> AsyncIterator[str]:
        """Serve over HTTP in a worker thread with its own asyncio loop (so `serve()` works under trio too);
        yields the base URL. uvicorn serves HTTP/1.1; with ``http2`` hypercorn serves HTTP/1.1 and HTTP/2
        (h2c with prior knowledge; over TLS, ALPN), TLS when given ``certificate`` (certfile, keyfile), at
        ``https://localhost:<port>`` for the certificate's name."""
        if certificate is not None and not http2:
            raise ValueError("certificate= is served by the HTTP/2 server: pass http2=True too")
        # IPPROTO_TCP, not 0: asyncio disables Nagle on accepted connections only for TCP-protocol sockets,
        # and without that uvicorn's separate header and body writes meet the client's delayed ACK (~40 ms).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
        except BaseException:  # a busy port or a bad host: do not leak the socket
            sock.close()
            raise
        bound_port = sock.getsockname()[1]
        server: _Server = _Hypercorn(self.app, sock, certificate) if http2 else _Uvicorn(self.app, sock)
        failure: list[BaseException] = []

        def run() -> None:
            try:
                server.run()
            except BaseException as exc:  # surfaced to the caller below
                failure.append(exc)
                raise

        try:
            async with anyio.create_task_group() as tg:
                tg.start_soon(anyio.to_thread.run_sync, run)
                # The worker thread cannot be cancelled: whatever ends this block (the caller leaving,
                # a failure, or a cancellation while the server is still starting) must tell it to exit.
                try:
                    while not server.started:  # neither server offers a readiness callback
                        if failure or server.stopping:
                            raise RuntimeError("sandbox server failed to start") from (
                                failure[0] if failure else None
                            )
                        await anyio.sleep(0.005)
                    yield f"https://localhost:{bound_port}" if certificate else f"http://{host}:{bound_port}"
                finally:
                    server.stop()
        finally:
            sock.close()

    def __repr__(self) -> str:
        counts = {t: len(c.live) for t, c in self.store.collections.items() if c.live}
        return f"Sandbox(seed={self.seed}, records={counts})"


class _Server(Protocol):
    """A loopback server running in a worker thread (Sandbox.serve)."""

    def run(self) -> None: ...
    @property
    def started(self) -> bool: ...
    @property
    def stopping(self) -> bool: ...
    def stop(self) -> None: ...


class _Uvicorn:
    def __init__(self, app: Any, sock: socket.socket) -> None:
        import uvicorn

        self._sock = sock
        self._server = uvicorn.Server(
            uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False)
        )

    def run(self) -> None:
        self._server.run(sockets=[self._sock])

    @property
    def started(self) -> bool:
        return bool(self._server.started)

    @property
    def stopping(self) -> bool:
        return bool(self._server.should_exit)

    def stop(self) -> None:
        self._server.should_exit = True


class _Hypercorn:
    """hypercorn: HTTP/1.1 and HTTP/2 on one port (the ``hypercorn`` package: a test and bench dependency)."""

    def __init__(self, app: Any, sock: socket.socket, certificate: tuple[str, str] | None) -> None:
        from hypercorn.config import Config

        sock.listen()  # connections queue from now on: ready before hypercorn's loop even starts
        self._app = app
        self._config = Config()
        self._config.bind = [f"fd://{os.dup(sock.fileno())}"]  # hypercorn closes its own copy
        self._config.loglevel = "WARNING"
        self._config.graceful_timeout = 0.5
        if certificate is not None:
            self._config.certfile, self._config.keyfile = certificate
        self._stop = threading.Event()
        self._wake: Callable[[], object] | None = None

    def run(self) -> None:
        import asyncio

        from hypercorn.asyncio import serve

        async def main() -> None:
            stopped = asyncio.Event()
            loop = asyncio.get_running_loop()
            self._wake = lambda: loop.call_soon_threadsafe(stopped.set)
            if self._stop.is_set():  # stop() came before the loop
                stopped.set()
            await serve(self._app, self._config, shutdown_trigger=stopped.wait)

        asyncio.run(main())

    started = True

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def stop(self) -> None:
        self._stop.set()
        if self._wake is not None:
            self._wake()
