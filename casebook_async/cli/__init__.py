"""The ``casebook`` command line (the ``cli`` extra: typer and rich). The command tree is
``casebook_async.cli.app``; this module imports it only when run, so that a missing extra is a hint."""

from __future__ import annotations

import sys

from .extras import hint, is_missing_dependency

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point (``casebook``, ``python -m casebook_async``)."""
    try:
        from .app import main as run
    except ModuleNotFoundError as exc:
        if not is_missing_dependency(exc):
            raise
        print(f"casebook: {hint('the command line', 'cli', exc)}", file=sys.stderr)
        return 1
    return run(argv)
