"""A one-line hint, not a traceback, when an optional extra is missing. Standard library only: it must
work when the ``cli`` extra itself is what is missing."""

from __future__ import annotations

OURS = ("casebook_async", "casebook_openapi")


def is_missing_dependency(exc: ModuleNotFoundError) -> bool:
    """A third-party module is missing (not one of ours: that would be a bug, which keeps its traceback)."""
    return exc.name is not None and exc.name.partition(".")[0] not in OURS


def hint(what: str, extra: str, exc: ModuleNotFoundError) -> str:
    return f"{what} needs the {extra} extra: pip install 'casebook-async[{extra}]' ({exc})"
