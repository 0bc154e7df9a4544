"""The sandbox imports nothing of the client it emulates a server for: an emulator sharing the client's
code would share its bugs, and client and sandbox would agree with each other and nothing else."""

from __future__ import annotations

import ast
from pathlib import Path

import casebook_async.sandbox

SANDBOX = Path(casebook_async.sandbox.__file__).parent


def imported_modules(path: Path) -> list[str]:
    """Absolute names of what ``path`` imports (relative imports resolved inside casebook_async.sandbox)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                names.append(node.module or "")
            else:
                package = ["casebook_async", "sandbox"][: 3 - node.level] if node.level <= 2 else []
                names.append(".".join([*package, *([node.module] if node.module else [])]))
    return names


def test_the_sandbox_imports_nothing_of_the_facade() -> None:
    offending = {
        f"{path.name}: {name}"
        for path in sorted(SANDBOX.rglob("*.py"))
        for name in imported_modules(path)
        if (name == "casebook_async" or name.startswith("casebook_async."))
        and not (name == "casebook_async.sandbox" or name.startswith("casebook_async.sandbox."))
    }
    assert offending == set()


def test_the_check_sees_every_form_of_a_facade_import(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        "from . import store\nfrom .errors import ApiError\nfrom .. import http\n"
        "from ..resources import ResourceAPI\nimport casebook_async.query\n"
    )
    assert imported_modules(module) == [
        "casebook_async.sandbox",
        "casebook_async.sandbox.errors",
        "casebook_async",
        "casebook_async.resources",
        "casebook_async.query",
    ]
