"""Test helpers for the spec-change workflow: a copy of the repository to regenerate in, a throwaway
service document, and a loopback server that answers like SwaggerHub's registry API."""

from __future__ import annotations

import copy
import http.server
import importlib
import json
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(sys.prefix)  # the environment running the tests: .venv, or .venv-lowest under make test-lowest
# What `make update-spec`, `make generate` and the facade need; tests/, docs and caches stay behind.
REPO_PARTS = (
    ".gitignore",
    "Makefile",
    "pyproject.toml",
    "requirements",
    "scripts",
    "spec",
    "generated",
    "casebook_async",
)


def load_script(name: str) -> ModuleType:
    """A module of scripts/ (they import each other by name, as when run as `python scripts/x.py`)."""
    scripts = str(ROOT / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    return importlib.import_module(name)


def copy_repo(target: Path) -> Path:
    """A git repository holding a copy of this checkout's working tree (modification times kept, so that
    make finds this checkout's .venv up to date), committed, so that a test can regenerate in it freely."""
    target.mkdir(parents=True, exist_ok=True)
    for part in REPO_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / part)
    git(target, "init", "--quiet", "--initial-branch=main")
    commit_all(target, "copy")
    return target


def git(repo: Path, *args: str) -> str:
    command = ["git", "-C", str(repo), "-c", "user.name=test", "-c", "user.email=test@example.org", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "--all")
    git(repo, "-c", "commit.gpgsign=false", "commit", "--quiet", f"--message={message}")


def make_command() -> list[str]:
    """make in a copy, on the environment running the tests (-o: never reinstalled from the copy)."""
    return ["make", "--no-print-directory", f"VENV={VENV}", "-o", f"{VENV}/.deps"]


def widget_document() -> dict[str, Any]:
    """A new service document, "widgets": the notes half of attachments.yaml renamed, with its own
    attributes (no foreign keys, so that it stands alone)."""
    source = yaml.safe_load((ROOT / "spec" / "attachments.yaml").read_text())
    source["paths"] = {path: item for path, item in source["paths"].items() if "/notes" in path}
    schemas = source["components"]["schemas"]
    source["components"]["schemas"] = {k: v for k, v in schemas.items() if not k.startswith("Attachment")}
    source["tags"] = [{"name": "Notes"}]
    text = yaml.safe_dump(source, sort_keys=False)
    for old, new in (("/attachments/notes", "/widgets/widgets"), ("Note", "Widget"), ("notes", "widgets")):
        text = text.replace(old, new)
    doc: dict[str, Any] = yaml.safe_load(text)
    doc["info"] = {"title": "Casebook Widgets API", "version": "1.0.0", "description": "A throwaway service."}
    attributes: dict[str, Any] = {
        "name": {"type": "string"},
        "size": {"type": "integer", "nullable": True, "minimum": 0},
        "color": {"type": "string", "enum": ["red", "green"]},  # (a null enum needs null in its values)
    }
    stamp = {"type": "string", "format": "date-time", "readOnly": True}
    schemas = doc["components"]["schemas"]
    schemas["WidgetAttributes"]["properties"] = {**attributes, "created_at": stamp, "updated_at": stamp}
    schemas["WidgetCreateAttributes"]["properties"] = copy.deepcopy(attributes)
    schemas["WidgetCreateAttributes"]["required"] = ["name"]
    schemas["WidgetUpdateAttributes"]["properties"] = copy.deepcopy(attributes)
    return doc


def strip_keys(node: Any, keys: frozenset[str]) -> Any:
    """The document without the given keys anywhere (our annotations, which upstream does not carry)."""
    if isinstance(node, dict):
        return {k: strip_keys(v, keys) for k, v in node.items() if k not in keys}
    if isinstance(node, list):
        return [strip_keys(v, keys) for v in node]
    return node


class _Registry(http.server.BaseHTTPRequestHandler):
    documents: Mapping[str, Any]  # "/apis/{owner}/{api}/{version}" -> document
    requests: list[tuple[str, str | None]]  # (path and query, Authorization header)

    def do_GET(self) -> None:
        self.requests.append((self.path, self.headers.get("Authorization")))
        path, _, query = self.path.partition("?")
        document = self.documents.get(path)
        if document is None or query != "resolved=true":
            self.send_error(404, "Unknown API or version")
            return
        # JSON, as SwaggerHub answers without Accept: application/yaml; the reader must take both.
        body = json.dumps(document).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def registry(documents: Mapping[str, Any]) -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
    """A loopback server answering GET /apis/{owner}/{api}/{version}?resolved=true with the documents
    given by path; yields its base URL and what it was asked (path, Authorization header)."""
    requests: list[tuple[str, str | None]] = []
    handler = type("Registry", (_Registry,), {"documents": documents, "requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def closed_port_url() -> str:
    """A loopback URL nothing listens on (the port was free a moment ago): offline, as far as a test goes."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
