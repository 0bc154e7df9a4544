"""A bulk job with a progress bar and its summary, shared by ``casebook import`` and ``casebook demo``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..bulk import AIMDLimiter, BulkReport, BulkSync
from ..bulk.report import RecordResult
from ..resources import ResourceAPI

FAILURES_SHOWN = 10


def progress_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=not console.is_terminal,
    )


async def import_rows(
    console: Console,
    api: ResourceAPI[Any, Any, Any],
    rows: list[dict[str, Any]],
    upsert_key: str | None,
    key: str | None,
    journal: Path | None,
    *,
    max_concurrency: int | None = None,
    outcome: dict[str, BulkReport] | None = None,
    lines: Sequence[int] | None = None,
) -> BulkReport:
    """Run the bulk job with a progress bar; print the summary even when interrupted. The report is
    left in ``outcome`` as soon as the job has one (so an interrupted job's report is not lost).
    ``max_concurrency`` caps the job's adaptive window; ``lines`` are the input line numbers of ``rows``,
    for the failure lines of the summary."""
    with progress_bar(console) as progress:
        task = progress.add_task(
            f"{'upsert' if upsert_key else 'create'} {api.spec.jsonapi_type}", total=len(rows)
        )
        sync = BulkSync(
            api,
            checkpoint=journal,
            max_concurrency=max_concurrency,
            on_result=lambda _: progress.advance(task),
        )
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
                print_summary(console, sync.report, sync.limiter, lines)
    return report


def print_summary(
    console: Console,
    report: BulkReport,
    limiter: AIMDLimiter | None = None,
    lines: Sequence[int] | None = None,
) -> None:
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
    failed = report.by_status("failed")
    for result in failed[:FAILURES_SHOWN]:
        console.print(failure_line(result, lines), highlight=False, markup=False, soft_wrap=True)
    if len(failed) > FAILURES_SHOWN:
        console.print(f"  ... and {len(failed) - FAILURES_SHOWN} more failed (--results lists every record)")


def failure_line(result: RecordResult, lines: Sequence[int] | None = None) -> str:
    """``failed line 7 (email=a@example.org): <why>``: where the record is in the input, and its key
    when it has one (a keyless record's key is its position, already said)."""
    where = f"line {lines[result.index]}" if lines is not None else f"record {result.index + 1}"
    if result.key != f"#{result.index}":
        where += f" ({result.key})"
    return f"  failed {where}: {result.error}"
