"""What ``casebook export`` and ``casebook deleted`` run: the change feed, the consistent full export, the
offset listing, and the deletions reconcile; each writes as it goes, behind a progress bar on stderr.

Machine-readable output (records, watermarks, deleted ids) never goes through rich, which would wrap it
to the terminal's width: records go to the output file or stdout, a watermark to ``--watermark-file``
(and plainly to stderr).
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

import casebook_openapi.models as generated

from ..bulk import Shard, Watermark, deleted_ids, export_all, export_changed
from ..resources import ResourceAPI
from .progress import progress_bar
from .records import AsyncText, Writer, read_ids, save_atomic


class CollectionChanged(Exception):
    """The offset export completed, but the collection's record count changed while it was paged."""


def attributes_model(api: ResourceAPI[Any, Any, Any]) -> type[Any] | None:
    """The generated ``XAttributes`` class of a resource (the CSV columns)."""
    model: type[Any] | None = getattr(generated, f"{api.spec.model.__name__}Attributes", None)
    return model


def _say_watermark(mark: Watermark) -> None:
    print(f"next watermark: {mark.to_json()}", file=sys.stderr, flush=True)  # plain: never wrapped


async def export_feed(
    console: Console,
    api: ResourceAPI[Any, Any, Any],
    writer: Writer,
    mark: Watermark,
    *,
    page_size: int,
    filters: dict[str, Any],
    settle: timedelta,
    watermark_file: Path | None,
) -> None:
    """The change feed from ``mark``: each page written, then its watermark saved (atomically), so an
    interrupted run resumes after the last page it saved."""
    feed = export_changed(api, mark, page_size=page_size, settle=settle, filter=filters or None)
    with progress_bar(console) as progress:
        task = progress.add_task(f"changes to {api.spec.jsonapi_type}", total=None)
        async for batch in feed:
            await writer.write(batch.records)
            if watermark_file is not None:
                await writer.sync()  # the records on disk before the watermark that says they are
                await save_atomic(watermark_file, batch.watermark.to_json())
            progress.update(task, total=feed.total, completed=writer.count)
    await writer.finish()
    console.print(f"exported {writer.count} changed {api.spec.jsonapi_type}", highlight=False)
    if watermark_file is None:
        _say_watermark(feed.watermark)


async def export_full(
    console: Console,
    api: ResourceAPI[Any, Any, Any],
    writer: Writer,
    *,
    page_size: int,
    concurrency: int,
    filters: dict[str, Any],
    shard: Shard | None,
    shard_width: timedelta,
    settle: timedelta,
    watermark_file: Path | None,
) -> None:
    """Every record, partitioned and consistent under writes; the watermark a change feed continues
    from is saved at the end."""
    export = export_all(
        api,
        concurrency=concurrency,
        page_size=page_size,
        filter=filters or None,
        shard=shard,
        shard_width=shard_width,
        settle=settle,
    )
    with progress_bar(console) as progress:
        what = f"export {api.spec.jsonapi_type}" + (f" (shard {shard})" if shard else "")
        task = progress.add_task(what, total=None)
        async with export:
            progress.update(task, total=None if shard else export.total)
            async for records in export:
                await writer.write(records)
                progress.update(task, completed=writer.count)
    await writer.finish()
    console.print(f"exported {writer.count} {api.spec.jsonapi_type}", highlight=False)
    if watermark_file is not None:
        await writer.sync()  # the records on disk before the watermark that says they are
        await save_atomic(watermark_file, export.watermark().to_json())


async def export_offset(
    console: Console,
    api: ResourceAPI[Any, Any, Any],
    writer: Writer,
    *,
    page_size: int,
    concurrency: int,
    filters: dict[str, Any],
) -> None:
    """Pages by number, concurrently: not consistent under writes, so a changed count is CollectionChanged
    (exit 3)."""
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
    await writer.finish()
    console.print(f"exported {writer.count} {api.spec.jsonapi_type}", highlight=False)
    if len(counts) > 1:
        # Pages are offsets into a live collection: a write during the export can shift records across a
        # page boundary, so one may be missing or repeated. Say so, and exit non-zero (like rsync's 24).
        console.print(
            Text.assemble(
                ("warning: ", "yellow"),
                f"the collection changed during the export (the server reported "
                f"{', '.join(str(c) for c in sorted(counts))} records); records may be missing or repeated. "
                "Export again without --offset: the default export is consistent under writes.",
            ),
            highlight=False,
            soft_wrap=True,
        )
        raise CollectionChanged


async def report_deleted(
    console: Console, api: ResourceAPI[Any, Any, Any], local: Path, out: AsyncText, concurrency: int
) -> int:
    """Write ``{"id": ...}`` for each id of the local export the server no longer holds; how many."""
    count = 0
    with progress_bar(console) as progress:
        progress.add_task(f"reconcile {api.spec.jsonapi_type} with {local.name}", total=None)
        async for record_id in deleted_ids(api, read_ids(local), concurrency=concurrency):
            await out.write(json.dumps({"id": record_id}) + "\n")
            count += 1
    console.print(f"{count} {api.spec.jsonapi_type} of {local} are no longer on the server", highlight=False)
    return count
