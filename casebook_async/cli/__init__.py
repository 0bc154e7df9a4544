"""The ``casebook`` command line (install the ``cli`` extra: typer and rich)."""

from .app import app, main

__all__ = ["app", "main"]
