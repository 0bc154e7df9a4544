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
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

import anyio
import typer
from rich.console import Console
from rich.text import Text

from .. import __version__, environment
from .._generated import RESOURCES  # every resource in spec/
from ..bulk import DEFAULT_SETTLE, BulkReport, Shard, Watermark
from ..bulk.journal import fingerprint
from ..environment import Credentials, CredentialsError
from ..errors import CasebookError
from ..resources import ResourceAPI
from .connection import NO_CREDENTIALS, Connection, connect
from .extras import hint, is_missing_dependency
from .progress import import_rows
from .records import AsyncText, InputError, Writer, parse_filters, read_rows
from .sync import CollectionChanged, attributes_model, export_feed, export_full, export_offset, report_deleted

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
    typer.Option("--token", envvar=environment.TOKEN, show_default=False, help="Bearer token."),
]
ClientIdOpt = Annotated[
    str | None,
    typer.Option(
        "--client-id",
        envvar=environment.CLIENT_ID,
        show_default=False,
        help="OAuth client id (with a secret).",
    ),
]
ClientSecretOpt = Annotated[
    str | None,
    typer.Option(
        "--client-secret", envvar=environment.CLIENT_SECRET, show_default=False, help="OAuth client secret."
    ),
]
RegionOpt = Annotated[
    str | None,
    typer.Option("--region", envvar=environment.REGION, help="us (default) or ca.", show_default=False),
]
BaseURLOpt = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        envvar=environment.BASE_URL,
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
        credentials.check(NO_CREDENTIALS)
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
FilterOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--filter", "-f", help=r"field=value or field\[op]=value (op: neq g ge l le like); repeatable."
    ),
]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Output file (default: stdout).")]
ConcurrencyOpt = Annotated[int, typer.Option(min=1, help="Requests in flight at most.")]
MaxRateOpt = Annotated[
    float | None,
    typer.Option(
        "--max-rate",
        min=0.001,
        show_default=False,
        help="Requests per second at most. Shards of one job share the tenant's limit: give each limit / n.",
    ),
]
ShardOpt = Annotated[
    str | None,
    typer.Option(
        "--shard",
        metavar="I/N",
        show_default=False,
        help="Only shard I of N (1-based): run N processes, on as many machines as you like, for one job.",
    ),
]


@app.command()
def export(
    resource: ResourceArg,
    filter: FilterOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
    out: OutOpt = None,
    since: Annotated[
        str | None,
        typer.Option(help="Only changes at/after this: an ISO time with a zone, or a watermark's JSON."),
    ] = None,
    watermark_file: Annotated[
        Path | None,
        typer.Option(
            "--watermark-file",
            help="Where the change feed stands: read to start from (if it exists), replaced atomically "
            "after every page (--out is then appended to, so a stopped run goes on where it stopped). "
            "Without it yet, the run exports everything and saves where changes begin.",
        ),
    ] = None,
    settle: Annotated[
        float,
        typer.Option(min=0, help="Seconds a change may take to commit and still be delivered (re-read)."),
    ] = DEFAULT_SETTLE.total_seconds(),
    offset: Annotated[
        bool,
        typer.Option(
            "--offset", help="Page by number instead (not consistent under writes: exits 3 if it changed)."
        ),
    ] = False,
    shard: ShardOpt = None,
    shard_width: Annotated[
        float, typer.Option(min=0.001, help="Seconds of created_at per shard bucket (shards take turns).")
    ] = 86400.0,
    page_size: Annotated[int, typer.Option(min=1, max=100, help="Records per page.")] = 100,
    concurrency: ConcurrencyOpt = 8,
    max_rate: MaxRateOpt = None,
    sandbox: SandboxOpt = False,
    token: TokenOpt = None,
    client_id: ClientIdOpt = None,
    client_secret: ClientSecretOpt = None,
    region: RegionOpt = None,
    base_url: BaseURLOpt = None,
) -> None:
    """Export records as JSONL or CSV, written as they arrive.

    Everything, by default: partitions of created_at paged concurrently by keyset, so every record that exists throughout the export comes exactly once even while others write. With --since or an existing --watermark-file: the changes since then (the change feed), resumable after any page.
    """  # noqa: E501 - rich help keeps a docstring's line breaks: one paragraph, one line
    try:
        filters = parse_filters(filter or [])
    except InputError as exc:
        raise typer.BadParameter(str(exc), param_hint="--filter") from None
    if fmt not in ("jsonl", "csv"):
        raise typer.BadParameter("jsonl or csv", param_hint="--format")
    mark = _watermark(since, "--since") if since else None
    if watermark_file is not None and watermark_file.exists():
        if mark is not None:
            raise typer.BadParameter(
                f"{watermark_file} exists: this run starts where it says; drop --since", param_hint="--since"
            )
        mark = _watermark(_read_watermark_file(watermark_file), "--watermark-file")
    cut = _shard(shard)
    if cut is not None and (mark is not None or offset or watermark_file is not None):
        # A shard's watermark would know only its own buckets: no feed can go on from it.
        raise typer.BadParameter(
            "shards split the full export (not the change feed, --watermark-file or --offset)",
            param_hint="--shard",
        )
    if offset and (mark is not None or watermark_file is not None):
        raise typer.BadParameter(
            "--offset is a full export: no --since or --watermark-file", param_hint="--offset"
        )
    credentials = _target(sandbox, token, client_id, client_secret, region, base_url)
    # Going on from a watermark file: --out is appended to, so a run stopped after some pages and started
    # again keeps what those pages wrote (the watermark counts them), and a CSV keeps its one header row.
    resuming = watermark_file is not None and watermark_file.exists()
    continuing = resuming and out is not None and out.exists() and out.stat().st_size > 0

    async def run(console: Console, api: ResourceAPI[Any, Any, Any], writer: Writer) -> None:
        if mark is not None:
            await export_feed(
                console,
                api,
                writer,
                mark,
                page_size=page_size,
                filters=filters,
                settle=timedelta(seconds=settle),
                watermark_file=watermark_file,
            )
        elif offset:
            await export_offset(
                console, api, writer, page_size=page_size, concurrency=concurrency, filters=filters
            )
        else:
            await export_full(
                console,
                api,
                writer,
                page_size=page_size,
                concurrency=concurrency,
                filters=filters,
                shard=cut,
                shard_width=timedelta(seconds=shard_width),
                settle=timedelta(seconds=settle),
                watermark_file=watermark_file,
            )

    async def job() -> None:
        async with (
            connect(credentials, notice=sys.stderr, max_concurrency=concurrency, max_rate=max_rate) as where,
            _output(out, append=resuming) as target,
        ):
            api = _resource(where, resource)
            writer = Writer(target, fmt, attributes_model(api), continuing=continuing)
            await run(stderr_console(), api, writer)

    try:
        _run(job)
    except CollectionChanged:
        raise typer.Exit(EXIT_COLLECTION_CHANGED) from None


@asynccontextmanager
async def _output(out: Path | None, *, append: bool = False) -> AsyncIterator[AsyncText]:
    """``--out`` opened for writing or appending (CSV's own line endings kept), or stdout, flushed at the
    end."""
    if out is None:
        target = anyio.wrap_file(sys.stdout)
        yield target
        await target.flush()
        return
    mode: Literal["a", "w"] = "a" if append else "w"
    async with await anyio.open_file(out, mode, encoding="utf-8", newline="") as target_file:
        yield target_file


def _watermark(text: str, option: str) -> Watermark:
    try:
        return Watermark.parse(text)
    except ValueError:  # JSONDecodeError is one too
        shown = text if len(text) < 80 else text[:77] + "..."
        raise typer.BadParameter(
            f"{shown!r} is neither an ISO time with a zone (2026-01-01T00:00:00Z) nor a watermark",
            param_hint=option,
        ) from None


def _read_watermark_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise typer.BadParameter(f"cannot read {path}: {exc}", param_hint="--watermark-file") from None


def _shard(text: str | None) -> Shard | None:
    if text is None:
        return None
    try:
        return Shard.parse(text)
    except CasebookError as exc:
        raise typer.BadParameter(str(exc), param_hint="--shard") from None


# --- deletions -------------------------------------------------------------------------------------------
@app.command()
def deleted(
    resource: ResourceArg,
    local: Annotated[
        Path,
        typer.Argument(
            help="An earlier export (JSONL, or CSV by its .csv name): the ids your copy holds.",
            exists=True,
            dir_okay=False,
        ),
    ],
    out: OutOpt = None,
    concurrency: ConcurrencyOpt = 8,
    max_rate: MaxRateOpt = None,
    sandbox: SandboxOpt = False,
    token: TokenOpt = None,
    client_id: ClientIdOpt = None,
    client_secret: ClientSecretOpt = None,
    region: RegionOpt = None,
    base_url: BaseURLOpt = None,
) -> None:
    """Print {"id": ...} for each record of LOCAL that Casebook no longer holds (deleted since).

    The API lists no deleted records (a delete hides them), so this compares the ids the server holds now with the ids of LOCAL.
    """  # noqa: E501 - rich help keeps a docstring's line breaks: one paragraph, one line
    credentials = _target(sandbox, token, client_id, client_secret, region, base_url)

    async def job() -> None:
        async with (
            connect(credentials, notice=sys.stderr, max_concurrency=concurrency, max_rate=max_rate) as where,
            _output(out) as target,
        ):
            await report_deleted(stderr_console(), _resource(where, resource), local, target, concurrency)

    _run(job)


# --- import ----------------------------------------------------------------------------------------------
@app.command("import")
def import_(
    resource: ResourceArg,
    file: Annotated[
        Path,
        typer.Argument(
            help="JSONL (one object of attributes per line) or CSV (a header row of attribute names; "
            "an empty cell is null).",
            exists=True,
            dir_okay=False,
        ),
    ],
    fmt: Annotated[
        str | None, typer.Option("--format", help="jsonl or csv (default: csv for a .csv name, else jsonl).")
    ] = None,
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
    concurrency: Annotated[
        int, typer.Option(min=1, help="Records in flight at most; the window starts at 8 and adapts to 429s.")
    ] = 16,
    shard: ShardOpt = None,
    max_rate: MaxRateOpt = None,
    sandbox: SandboxOpt = False,
    token: TokenOpt = None,
    client_id: ClientIdOpt = None,
    client_secret: ClientSecretOpt = None,
    region: RegionOpt = None,
    base_url: BaseURLOpt = None,
) -> None:
    """Import a JSONL or CSV file through the bulk engine (create, or upsert with --upsert-key); resumable.

    With --shard I/N, only the records whose key (or, without a key, whose content) hashes to shard I: N processes with the same file and arguments write each record once between them.
    """  # noqa: E501 - rich help keeps a docstring's line breaks: one paragraph, one line
    if upsert_key and key:
        raise typer.BadParameter("use --upsert-key or --key, not both", param_hint="--key")
    if fmt not in (None, "jsonl", "csv"):
        raise typer.BadParameter("jsonl or csv", param_hint="--format")
    cut = _shard(shard)
    credentials = _target(sandbox, token, client_id, client_secret, region, base_url)
    outcome: dict[str, BulkReport] = {}

    async def job() -> None:
        console = stderr_console()
        if results is not None:  # learn now, not after the writes, that the results cannot be saved
            async with await anyio.open_file(results, "a", encoding="utf-8"):  # "a": keep earlier results
                pass
        async with connect(
            credentials, notice=sys.stderr, max_concurrency=concurrency, max_rate=max_rate
        ) as connection:
            api = _resource(connection, resource)
            rows, lines = await read_rows(file, fmt, attributes_model(api))
            if cut is not None:
                rows, lines = _shard_rows(cut, rows, lines, upsert_key or key)
                console.print(f"shard {cut}: {len(rows)} records of {file}", highlight=False)
            journal = None
            if not no_checkpoint and not connection.embedded:
                journal = checkpoint or file.with_name(
                    file.name + (f".shard{cut.number}of{cut.count}" if cut else "") + ".checkpoint.jsonl"
                )
                console.print(f"checkpoint: {journal} (run the same command again to resume)", markup=False)
            try:
                await import_rows(
                    console,
                    api,
                    rows,
                    upsert_key,
                    key,
                    journal,
                    max_concurrency=concurrency,  # a hard cap on the adaptive window
                    outcome=outcome,
                    lines=lines,
                )
            finally:  # interrupted too: the per-record results say what was and was not written
                if results is not None and "report" in outcome:
                    text = "".join(_json_line(r.as_dict()) for r in outcome["report"].results)
                    with anyio.CancelScope(shield=True):
                        await anyio.Path(results).write_text(text, encoding="utf-8")

    _run(job)
    report = outcome.get("report")
    if report is None or not report.ok:
        raise typer.Exit(1)


def _shard_rows(
    shard: Shard, rows: list[dict[str, Any]], lines: list[int], key: str | None
) -> tuple[list[dict[str, Any]], list[int]]:
    """This shard's rows: by a stable hash of the key's value, or of the whole row without a key."""
    mine = [
        (row, line)
        for row, line in zip(rows, lines, strict=True)
        if shard.owns_key(str(row.get(key)) if key is not None else fingerprint(row))
    ]
    return [row for row, _ in mine], [line for _, line in mine]


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
