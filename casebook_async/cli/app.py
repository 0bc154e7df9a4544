"""``casebook`` (also ``python -m casebook_async``): export, import, sandbox, demo.

Progress, notices and summaries go to stderr (rich); exported records go to ``--out`` or stdout, so
``casebook export people > people.jsonl`` works. Tokens and client secrets are never printed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import anyio
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .._generated import RESOURCES as RESOURCE_TABLE
from ..bulk import AIMDLimiter, BulkReport, BulkSync, Watermark, export_changed
from ..errors import CasebookError
from ..resources import ResourceAPI
from .connection import Connection, Credentials, CredentialsError, connect
from .records import InputError, Writer, parse_filters, read_jsonl

RESOURCES = tuple(RESOURCE_TABLE)  # every resource in spec/ (casebook_async/_generated.py)

app = typer.Typer(
    name="casebook",
    help="Casebook API from the command line. Without credentials it runs on an embedded sandbox.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # a traceback's locals could include a credential
)


def stderr_console() -> Console:
    return Console(stderr=True)


TokenOpt = Annotated[
    str | None,
    typer.Option("--token", envvar="CASEBOOK_TOKEN", show_default=False, help="Bearer token."),
]
ClientIdOpt = Annotated[
    str | None, typer.Option("--client-id", envvar="CASEBOOK_CLIENT_ID", show_default=False)
]
ClientSecretOpt = Annotated[
    str | None, typer.Option("--client-secret", envvar="CASEBOOK_CLIENT_SECRET", show_default=False)
]
RegionOpt = Annotated[
    str | None, typer.Option("--region", envvar="CASEBOOK_REGION", help="us or ca.", show_default=False)
]
BaseURLOpt = Annotated[str | None, typer.Option("--base-url", envvar="CASEBOOK_BASE_URL", show_default=False)]


def _credentials(
    token: str | None,
    client_id: str | None,
    client_secret: str | None,
    region: str | None,
    base_url: str | None,
) -> Credentials:
    return Credentials(
        token or None, client_id or None, client_secret or None, region or None, base_url or None
    )


def _resource(connection: Connection, name: str) -> ResourceAPI[Any, Any, Any]:
    if name not in RESOURCES:
        raise InputError(f"unknown resource {name!r}; one of: {', '.join(RESOURCES)}")
    api: ResourceAPI[Any, Any, Any] = getattr(connection.client, name)
    return api


def _run(job: Any, *args: Any) -> None:
    """Run an async command; map expected failures to a message and exit code (never a traceback)."""
    console = stderr_console()
    try:
        anyio.run(job, *args)
    except (CasebookError, CredentialsError, InputError, OSError) as exc:  # OSError: a path we cannot use
        # Text, not markup: a message quoting a path or filter like "a[b]" must print as it is.
        console.print(Text.assemble(("error: ", "red"), str(exc)), highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        console.print("interrupted", style="yellow")
        raise typer.Exit(130) from None


# --- export ----------------------------------------------------------------------------------------------
@app.command()
def export(
    resource: Annotated[str, typer.Argument(help=f"One of: {', '.join(RESOURCES)}.")],
    filter: Annotated[
        list[str] | None,
        typer.Option(
            "--filter", "-f", help="field=value or field[op]=value (op: neq g ge l le like); repeatable."
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output file (default: stdout).")] = None,
    since: Annotated[
        str | None,
        typer.Option(help="Only records updated at/after this watermark (ISO time or a printed watermark)."),
    ] = None,
    page_size: Annotated[int, typer.Option(min=1, max=100)] = 100,
    concurrency: Annotated[
        int, typer.Option(min=1, help="Pages fetched at once (not with --since: pages by timestamp).")
    ] = 8,
    token: TokenOpt = None,
    client_id: ClientIdOpt = None,
    client_secret: ClientSecretOpt = None,
    region: RegionOpt = None,
    base_url: BaseURLOpt = None,
) -> None:
    """Export records as JSONL or CSV, fetching pages concurrently.

    Exits 3 if the export finished but the collection changed while it was paged (records may be missing
    or repeated); --since pages by timestamp instead and is not affected.
    """
    credentials = _credentials(token, client_id, client_secret, region, base_url)
    try:
        filters = parse_filters(filter or [])
    except InputError as exc:
        raise typer.BadParameter(str(exc), param_hint="--filter") from None
    mark = _watermark(since) if since else None
    if fmt not in ("jsonl", "csv"):
        raise typer.BadParameter("jsonl or csv", param_hint="--format")

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


EXIT_COLLECTION_CHANGED = 3


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
    with _progress(console) as progress:
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


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=not console.is_terminal,
    )


# --- import ----------------------------------------------------------------------------------------------
@app.command("import")
def import_(
    resource: Annotated[str, typer.Argument(help=f"One of: {', '.join(RESOURCES)}.")],
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
    no_checkpoint: Annotated[bool, typer.Option("--no-checkpoint")] = False,
    results: Annotated[Path | None, typer.Option(help="Write one JSON result per record here.")] = None,
    concurrency: Annotated[int, typer.Option(min=1, help="Starting concurrency (adapts to 429s).")] = 8,
    token: TokenOpt = None,
    client_id: ClientIdOpt = None,
    client_secret: ClientSecretOpt = None,
    region: RegionOpt = None,
    base_url: BaseURLOpt = None,
) -> None:
    """Import a JSONL file through the bulk engine (create, or upsert with --upsert-key); resumable."""
    if upsert_key and key:
        raise typer.BadParameter("use --upsert-key or --key, not both", param_hint="--key")
    credentials = _credentials(token, client_id, client_secret, region, base_url)
    outcome: dict[str, BulkReport] = {}

    async def job() -> None:
        console = stderr_console()
        rows = await read_jsonl(file)
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
                await import_rows(console, api, rows, upsert_key, key, journal, limiter, outcome)
            finally:  # interrupted too: the per-record results say what was and was not written
                if results is not None and "report" in outcome:
                    lines = "".join(_json_line(r.as_dict()) for r in outcome["report"].results)
                    with anyio.CancelScope(shield=True):
                        await anyio.Path(results).write_text(lines, encoding="utf-8")

    _run(job)
    report = outcome.get("report")
    if report is None or not report.ok:
        raise typer.Exit(1)


def _json_line(value: Any) -> str:
    import json

    return json.dumps(value) + "\n"


async def import_rows(
    console: Console,
    api: ResourceAPI[Any, Any, Any],
    rows: list[dict[str, Any]],
    upsert_key: str | None,
    key: str | None,
    journal: Path | None,
    limiter: AIMDLimiter,
    outcome: dict[str, BulkReport] | None = None,
) -> BulkReport:
    """Run the bulk job with a progress bar; print the summary even when interrupted. The report is
    left in ``outcome`` as soon as the job has one (so an interrupted job's report is not lost)."""
    with _progress(console) as progress:
        task = progress.add_task(
            f"{'upsert' if upsert_key else 'create'} {api.spec.jsonapi_type}", total=len(rows)
        )
        sync = BulkSync(api, checkpoint=journal, limiter=limiter, on_result=lambda _: progress.advance(task))
        try:
            if upsert_key:
                report = await sync.upsert(rows, key=upsert_key)
            else:
                report = await sync.create(rows, key=key)
        finally:
            if sync.report is not None:
                if outcome is not None:
                    outcome["report"] = sync.report
                progress.stop()
                print_summary(console, sync.report, limiter)
    return report


def print_summary(console: Console, report: BulkReport, limiter: AIMDLimiter | None = None) -> None:
    title = f"{report.operation} {report.resource}" + (" (stopped early)" if report.cancelled else "")
    table = Table(title=title)
    table.add_column("result")
    table.add_column("records", justify="right")
    for status, count in report.counts.items():
        if count:
            table.add_row(status, str(count))
    table.add_row("key lookups", str(report.lookups), style="dim")
    table.add_row("429 throttles", str(report.throttled), style="dim")
    if limiter is not None:
        table.add_row("final concurrency", str(limiter.limit), style="dim")
    console.print(table)
    for failed in report.by_status("failed")[:10]:
        console.print(f"  failed #{failed.index} {failed.key}: {failed.error}", highlight=False, markup=False)


# --- sandbox and demo ------------------------------------------------------------------------------------
@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def sandbox(ctx: typer.Context) -> None:
    """Serve the Casebook sandbox on loopback (options: see `casebook sandbox --help-sandbox`)."""
    from ..sandbox.__main__ import main as sandbox_main

    args = ["--help" if a == "--help-sandbox" else a for a in ctx.args]
    raise typer.Exit(sandbox_main(args))


@app.command()
def demo() -> None:
    """Run the main job end to end on the embedded sandbox and show what happened."""
    from .demo import run_demo

    _run(run_demo)


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point."""
    try:
        app(args=argv, prog_name="casebook", standalone_mode=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0
