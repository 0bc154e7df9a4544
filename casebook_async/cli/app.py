"""``casebook`` (also ``python -m casebook_async``): export, import, sandbox, demo.

Progress, notices and summaries go to stderr (rich); exported records go to ``--out`` or stdout, so
``casebook export people > people.jsonl`` works. Tokens and client secrets are never printed. Exit codes:
0 done, 1 failed (or records not written), 2 usage (before any connection), 3 export of a changing
collection, 130 interrupted, 141 the reader of stdout went away (``casebook export people | head``).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import anyio
import typer
from rich.console import Console
from rich.text import Text

from .. import __version__
from .._generated import RESOURCES  # every resource in spec/
from ..bulk import AIMDLimiter, BulkReport, Watermark, export_changed
from ..errors import CasebookError
from ..resources import ResourceAPI
from .connection import Connection, Credentials, CredentialsError, connect
from .extras import hint, is_missing_dependency
from .progress import import_rows, progress_bar
from .records import InputError, Writer, parse_filters, read_jsonl

EXIT_USAGE = 2
EXIT_COLLECTION_CHANGED = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT: what a shell reports for a process stopped by Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a process whose reader went away

app = typer.Typer(
    name="casebook",
    help=(
        "Casebook API from the command line. Credentials come from --token, or --client-id and "
        "--client-secret, or the CASEBOOK_* variables; --sandbox (and casebook demo) use an embedded "
        "sandbox instead."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",  # explicit: help texts below escape their square brackets for it
    pretty_exceptions_enable=False,  # a traceback's locals could include a credential
)


def stderr_console() -> Console:
    return Console(stderr=True)


def _error(message: str) -> None:
    # Text, not markup: a message quoting a path or filter like "a[b]" must print as it is.
    stderr_console().print(Text.assemble(("error: ", "red"), message), highlight=False, soft_wrap=True)


def _print_version(value: bool) -> None:
    if value:
        print(f"casebook-async {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    pass


def _known_resource(name: str) -> str:
    if name not in RESOURCES:  # a usage error (exit 2) before any connection
        raise typer.BadParameter(f"{name!r} is not one of: {', '.join(RESOURCES)}")
    return name


ResourceArg = Annotated[
    str,
    typer.Argument(
        callback=_known_resource,
        metavar="RESOURCE",
        help=f"The collection: {', '.join(RESOURCES)}.",
        show_default=False,
    ),
]
TokenOpt = Annotated[
    str | None,
    typer.Option("--token", envvar="CASEBOOK_TOKEN", show_default=False, help="Bearer token."),
]
ClientIdOpt = Annotated[
    str | None,
    typer.Option(
        "--client-id",
        envvar="CASEBOOK_CLIENT_ID",
        show_default=False,
        help="OAuth client id (with a secret).",
    ),
]
ClientSecretOpt = Annotated[
    str | None,
    typer.Option(
        "--client-secret", envvar="CASEBOOK_CLIENT_SECRET", show_default=False, help="OAuth client secret."
    ),
]
RegionOpt = Annotated[
    str | None,
    typer.Option("--region", envvar="CASEBOOK_REGION", help="us (default) or ca.", show_default=False),
]
BaseURLOpt = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        envvar="CASEBOOK_BASE_URL",
        show_default=False,
        help="API root instead of the region's (https, or http on loopback).",
    ),
]
SandboxOpt = Annotated[
    bool,
    typer.Option(
        "--sandbox",
        help="Run on an embedded in-process sandbox with seeded demo data instead of Casebook "
        "(credentials ignored; nothing is kept).",
    ),
]


def _target(
    sandbox: bool,
    token: str | None,
    client_id: str | None,
    client_secret: str | None,
    region: str | None,
    base_url: str | None,
) -> Credentials | None:
    """The credentials to connect with, or None for --sandbox; a usage error (exit 2) if they cannot work."""
    if sandbox:
        with _extra("sandbox", "--sandbox"):
            importlib.import_module("casebook_async.sandbox")
        return None
    credentials = Credentials(
        token or None, client_id or None, client_secret or None, region or None, base_url or None
    )
    try:
        credentials.check()
    except CredentialsError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    return credentials


@contextmanager
def _extra(extra: str, what: str) -> Iterator[None]:
    """A missing third-party module imported in the block: one line naming the extra, exit 1."""
    try:
        yield
    except ModuleNotFoundError as exc:
        if not is_missing_dependency(exc):
            raise
        _error(hint(what, extra, exc))
        raise typer.Exit(1) from None


def _resource(connection: Connection, name: str) -> ResourceAPI[Any, Any, Any]:
    api: ResourceAPI[Any, Any, Any] = getattr(connection.client, name)
    return api


def _run(job: Any, *args: Any) -> None:
    """Run an async command; map expected failures to a message and exit code (never a traceback)."""
    try:
        anyio.run(job, *args)
    except BrokenPipeError:
        # The reader of our output went away (`casebook export people | head`): stop quietly with the
        # status of a process killed by SIGPIPE. SIGPIPE itself stays ignored (Python's default), so a
        # socket's EPIPE remains an error the client handles. Point stdout at devnull so that the
        # interpreter's final flush cannot complain about the pipe again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except (CasebookError, CredentialsError, InputError, OSError) as exc:  # OSError: a path we cannot use
        _error(str(exc))
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        stderr_console().print("interrupted", style="yellow")
        raise typer.Exit(EXIT_INTERRUPTED) from None


# --- export ----------------------------------------------------------------------------------------------
@app.command()
def export(
    resource: ResourceArg,
    filter: Annotated[
        list[str] | None,
        typer.Option(
            "--filter", "-f", help=r"field=value or field\[op]=value (op: neq g ge l le like); repeatable."
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output file (default: stdout).")] = None,
    since: Annotated[
        str | None,
        typer.Option(help="Only records updated at/after this watermark (ISO time or a printed watermark)."),
    ] = None,
    page_size: Annotated[int, typer.Option(min=1, max=100, help="Records per page.")] = 100,
    concurrency: Annotated[
        int, typer.Option(min=1, help="Pages fetched at once (not with --since: pages by timestamp).")
    ] = 8,
    sandbox: SandboxOpt = False,
    token: TokenOpt = None,
    client_id: ClientIdOpt = None,
    client_secret: ClientSecretOpt = None,
    region: RegionOpt = None,
    base_url: BaseURLOpt = None,
) -> None:
    """Export records as JSONL or CSV, fetching pages concurrently.

    Exits 3 if the export finished but the collection changed while it was paged (records may be missing or repeated); --since pages by timestamp instead and is not affected.
    """  # noqa: E501 - rich help keeps a docstring's line breaks: one paragraph, one line
    try:
        filters = parse_filters(filter or [])
    except InputError as exc:
        raise typer.BadParameter(str(exc), param_hint="--filter") from None
    mark = _watermark(since) if since else None
    if fmt not in ("jsonl", "csv"):
        raise typer.BadParameter("jsonl or csv", param_hint="--format")
    credentials = _target(sandbox, token, client_id, client_secret, region, base_url)

    async def job() -> None:
        console = stderr_console()
        async with connect(credentials, notice=sys.stderr) as connection:
            api = _resource(connection, resource)
            if out is None:
                target = anyio.wrap_file(sys.stdout)
                await _export(console, api, filters, fmt, target, mark, page_size, concurrency)
                await target.flush()
            else:
                async with await anyio.open_file(out, "w", encoding="utf-8", newline="") as target_file:
                    await _export(console, api, filters, fmt, target_file, mark, page_size, concurrency)

    try:
        _run(job)
    except CollectionChanged:
        raise typer.Exit(EXIT_COLLECTION_CHANGED) from None


class CollectionChanged(Exception):
    """The export completed, but the collection's record count changed while it was paged."""


def _watermark(text: str) -> Watermark:
    try:
        mark = Watermark.parse(text)
    except (ValueError, KeyError, TypeError, AttributeError):  # JSONDecodeError is a ValueError
        raise typer.BadParameter(
            f"{text!r} is neither an ISO time with a zone (2026-01-01T00:00:00Z) nor a printed watermark",
            param_hint="--since",
        ) from None
    return mark


async def _export(
    console: Console,
    api: ResourceAPI[Any, Any, Any],
    filters: dict[str, Any],
    fmt: str,
    target: Any,
    mark: Watermark | None,
    page_size: int,
    concurrency: int,
) -> None:
    writer = Writer(target, fmt)
    if mark is not None:
        feed = export_changed(api, mark, page_size=page_size, filter=filters)
        async for batch in feed:
            await writer.write(batch.records)
        console.print(f"exported {writer.count} {api.spec.jsonapi_type} changed since the watermark")
        console.print(
            f"next watermark: {feed.watermark.to_json()}", highlight=False, markup=False, soft_wrap=True
        )
        return
    counts: set[int] = set()
    with progress_bar(console) as progress:
        task = progress.add_task(f"export {api.spec.jsonapi_type}", total=None)
        paginator = api.list(filter=filters or None, page_size=page_size, concurrency=concurrency)
        async with paginator.pages() as pages:
            async for page in pages:
                if page.record_count is not None:
                    counts.add(page.record_count)
                    progress.update(task, total=page.record_count)
                await writer.write(page.data)
                progress.update(task, completed=writer.count)
    console.print(f"exported {writer.count} {api.spec.jsonapi_type}")
    if len(counts) > 1:
        # Pages are offsets into a live collection: a write during the export can shift records across a
        # page boundary, so one may be missing or repeated. Say so, and exit non-zero (like rsync's 24).
        console.print(
            Text.assemble(
                ("warning: ", "yellow"),
                f"the collection changed during the export (the server reported "
                f"{', '.join(str(c) for c in sorted(counts))} records); records may be missing or repeated. "
                "Export again, or use --since for a change feed that pages by timestamp.",
            ),
            highlight=False,
            soft_wrap=True,
        )
        raise CollectionChanged


# --- import ----------------------------------------------------------------------------------------------
@app.command("import")
def import_(
    resource: ResourceArg,
    file: Annotated[
        Path, typer.Argument(help="JSONL: one object of attributes per line.", exists=True, dir_okay=False)
    ],
    upsert_key: Annotated[
        str | None,
        typer.Option(help="Update the record whose KEY attribute matches (create it if absent)."),
    ] = None,
    key: Annotated[
        str | None,
        typer.Option(help="Create only; KEY identifies records so an unknown outcome never duplicates one."),
    ] = None,
    checkpoint: Annotated[
        Path | None,
        typer.Option(help="Journal for resuming (default: FILE.checkpoint.jsonl; not used on the sandbox)."),
    ] = None,
    no_checkpoint: Annotated[
        bool, typer.Option("--no-checkpoint", help="Keep no journal (a rerun starts over).")
    ] = False,
    results: Annotated[Path | None, typer.Option(help="Write one JSON result per record here.")] = None,
    concurrency: Annotated[int, typer.Option(min=1, help="Starting concurrency (adapts to 429s).")] = 8,
    sandbox: SandboxOpt = False,
    token: TokenOpt = None,
    client_id: ClientIdOpt = None,
    client_secret: ClientSecretOpt = None,
    region: RegionOpt = None,
    base_url: BaseURLOpt = None,
) -> None:
    """Import a JSONL file through the bulk engine (create, or upsert with --upsert-key); resumable."""
    if upsert_key and key:
        raise typer.BadParameter("use --upsert-key or --key, not both", param_hint="--key")
    credentials = _target(sandbox, token, client_id, client_secret, region, base_url)
    outcome: dict[str, BulkReport] = {}

    async def job() -> None:
        console = stderr_console()
        rows, lines = await read_jsonl(file)
        if results is not None:  # learn now, not after the writes, that the results cannot be saved
            async with await anyio.open_file(results, "a", encoding="utf-8"):  # "a": keep earlier results
                pass
        limiter = AIMDLimiter(min(concurrency, 64), maximum=max(64, concurrency))
        async with connect(credentials, limiter=limiter, notice=sys.stderr) as connection:
            api = _resource(connection, resource)
            journal = None
            if not no_checkpoint and not connection.embedded:
                journal = checkpoint or file.with_name(file.name + ".checkpoint.jsonl")
                console.print(f"checkpoint: {journal} (run the same command again to resume)", markup=False)
            try:
                await import_rows(console, api, rows, upsert_key, key, journal, limiter, outcome, lines)
            finally:  # interrupted too: the per-record results say what was and was not written
                if results is not None and "report" in outcome:
                    text = "".join(_json_line(r.as_dict()) for r in outcome["report"].results)
                    with anyio.CancelScope(shield=True):
                        await anyio.Path(results).write_text(text, encoding="utf-8")

    _run(job)
    report = outcome.get("report")
    if report is None or not report.ok:
        raise typer.Exit(1)


def _json_line(value: Any) -> str:
    import json

    return json.dumps(value) + "\n"


# --- sandbox and demo ------------------------------------------------------------------------------------
@app.command(
    add_help_option=False,  # --help goes to the sandbox server's own parser, which lists its options
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def sandbox(ctx: typer.Context) -> None:
    """Serve a seeded sandbox on loopback until Ctrl-C (casebook sandbox --help lists its options)."""
    with _extra("sandbox", "casebook sandbox"):
        from ..sandbox.__main__ import main as sandbox_main

    raise typer.Exit(sandbox_main(ctx.args, prog="casebook sandbox"))


@app.command()
def demo() -> None:
    """Run the main job end to end on the embedded sandbox and show what happened."""
    with _extra("sandbox", "casebook demo"):
        from .demo import run_demo

    _run(run_demo)


def main(argv: list[str] | None = None) -> int:
    """Run the command tree; the exit status as an int."""
    try:
        app(args=argv, prog_name="casebook", standalone_mode=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0
