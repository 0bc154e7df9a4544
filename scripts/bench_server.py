"""A sandbox in its own process on loopback (like a remote server: its CPU does not compete with ours)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field

import httpx

CLIENT_ID, CLIENT_SECRET = "bench-client", "bench-secret"
# Override to serve through another launcher with the same options (experiments), e.g.
# BENCH_SANDBOX_CMD="python /tmp/launch.py"; default: this interpreter, python -m casebook_async.sandbox.
LAUNCHER = shlex.split(os.environ.get("BENCH_SANDBOX_CMD", "")) or [
    sys.executable,
    "-m",
    "casebook_async.sandbox",
]
READY = re.compile(r"Casebook sandbox at (http://127\.0\.0\.1:\d+)")


@dataclass
class Server:
    people: int
    latency: float
    http2: bool = False  # hypercorn, HTTP/2 and HTTP/1.1 on one port (else uvicorn, HTTP/1.1)
    process: subprocess.Popen[str] | None = None
    base_url: str = ""
    command: list[str] = field(default_factory=list)

    def start(self) -> Server:
        """Launch without waiting (several servers seed in parallel); `wait()` reads the port."""
        self.command = [
            *LAUNCHER, "--port", "0", "--no-s3",
            "--people", str(self.people), "--providers", "0", "--cases", "0", "--notes", "0",
            "--users", "0", "--units-of-work", "0", "--latency", str(self.latency),
            "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET, *(["--http2"] if self.http2 else []),
        ]  # fmt: skip
        self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE, text=True)
        return self

    def wait(self, timeout: float = 120.0) -> str:
        assert self.process is not None
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while not self.base_url:
            line = self.process.stdout.readline()
            if not line or time.monotonic() > deadline:
                raise RuntimeError(f"sandbox did not start: {' '.join(self.command)}")
            if match := READY.search(line):
                self.base_url = match.group(1)
        return self.base_url

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def fetch_token(base_url: str) -> str:
    """A bearer token for the peers that do not speak OAuth themselves (raw httpx, the generated client)."""
    response = httpx.post(
        f"{base_url}/oauth/token",
        data={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def response_stall(base_url: str, token: str, samples: int = 7) -> float:
    """Median seconds of a tiny GET on a server without injected latency: ~0 on a healthy server; ~40 ms
    when the server writes headers and body separately with Nagle on and the client delays its ACK."""
    headers = {"Authorization": f"Bearer {token}"}
    times = []
    with httpx.Client(headers=headers) as client:
        client.get(f"{base_url}/people/people", params={"page[size]": 1})
        for _ in range(samples):
            started = time.perf_counter()
            client.get(f"{base_url}/people/people", params={"page[size]": 1}).raise_for_status()
            times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2]
