"""A real S3 emulator for presigned uploads: moto's S3 server on loopback, behind a small WSGI guard.

The guard records requests that carry a non-AWS Authorization header (a Casebook bearer leaking to S3; the
value is never stored) and refuses what S3 refuses for presigned PUTs: bodies over the size limit, chunked
bodies, and a missing Content-Length. moto and boto3 are imported only when the server starts.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_ACCESS_KEY = "casebook-sandbox"  # moto accepts any credentials; these are not secrets


@dataclass(frozen=True)
class S3Violation:
    method: str
    path: str
    scheme: str  # e.g. "Bearer"; the credential itself is never kept


def _xml_error(start_response: Callable[..., Any], status: str, code: str, message: str) -> list[bytes]:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    ).encode()
    start_response(status, [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))])
    return [body]


class _Guard:
    def __init__(self, app: WSGIApp, max_bytes: int, violations: list[S3Violation]) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.violations = violations

    @staticmethod
    def _drain(environ: dict[str, Any], length: int) -> None:
        """Read the refused body so the client sees our answer instead of a reset connection."""
        stream = environ["wsgi.input"]
        while length > 0:
            chunk = stream.read(min(length, 1 << 16))
            if not chunk:
                break
            length -= len(chunk)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "")
        length_header = environ.get("CONTENT_LENGTH") or ""
        length = int(length_header) if length_header.isdigit() else 0
        authorization = environ.get("HTTP_AUTHORIZATION")
        if authorization and not authorization.startswith("AWS4-HMAC-SHA256"):
            scheme = authorization.split(" ", 1)[0][:20]
            self.violations.append(S3Violation(method, environ.get("PATH_INFO", ""), scheme))
            self._drain(environ, length)
            return _xml_error(
                start_response, "400 Bad Request", "InvalidArgument", "Only one auth mechanism allowed."
            )
        if method == "PUT":
            if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
                return _xml_error(
                    start_response,
                    "501 Not Implemented",
                    "NotImplemented",
                    "Transfer-Encoding is not supported.",
                )
            if not length_header:
                return _xml_error(
                    start_response,
                    "411 Length Required",
                    "MissingContentLength",
                    "Content-Length is required.",
                )
            if length > self.max_bytes:
                self._drain(environ, length)
                return _xml_error(
                    start_response,
                    "400 Bad Request",
                    "EntityTooLarge",
                    f"Your proposed upload exceeds the maximum allowed size of {self.max_bytes} bytes.",
                )
        return self.app(environ, start_response)


class S3Emulator:
    """One bucket per sandbox on its own moto server thread. `start`/`stop` block: call them via a thread."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bucket = f"casebook-sandbox-{uuid.uuid4().hex[:16]}"  # moto's state is process-wide
        self.violations: list[S3Violation] = []
        self._lock = threading.Lock()
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._client: Any = None
        self.endpoint = ""

    @property
    def started(self) -> bool:
        return self._server is not None

    def start(self) -> None:
        with self._lock:
            if self._server is not None:
                return
            import boto3
            from botocore.config import Config
            from moto.moto_server.werkzeug_app import MotoRequestHandler, create_backend_app
            from werkzeug.serving import make_server

            class QuietHandler(MotoRequestHandler):
                def log_request(self, *args: Any, **kwargs: Any) -> None:
                    """Tests and the CLI do not want a line per upload on stderr."""

            app = _Guard(create_backend_app("s3"), self.max_bytes, self.violations)
            server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
            self.endpoint = f"http://127.0.0.1:{server.server_address[1]}"
            self._thread = threading.Thread(target=server.serve_forever, name="sandbox-s3", daemon=True)
            self._thread.start()
            self._server = server
            self._client = boto3.client(
                "s3",
                endpoint_url=self.endpoint,
                region_name="us-east-1",
                aws_access_key_id=_ACCESS_KEY,
                aws_secret_access_key=_ACCESS_KEY,
                config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
            )
            self._client.create_bucket(Bucket=self.bucket)

    def stop(self) -> None:
        with self._lock:
            if self._server is None:
                return
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join()
            self._backend().buckets.pop(self.bucket, None)
            self._server = self._thread = self._client = None

    @staticmethod
    def _backend() -> Any:
        from moto.core import DEFAULT_ACCOUNT_ID  # type: ignore[attr-defined]
        from moto.s3.models import s3_backends

        return s3_backends[DEFAULT_ACCOUNT_ID]["aws"]

    def presign_put(self, key: str, expires_in: int) -> str:
        """Pure computation (SigV4 signing), safe to call from async code."""
        url: str = self._client.generate_presigned_url(
            "put_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires_in
        )
        return url

    def get_object(self, key: str) -> bytes | None:
        if self._server is None:
            return None
        found = self._backend().get_object(self.bucket, key)
        return None if found is None else bytes(found.value)
