"""Deletions: what a sync job cannot learn from the change feed.

Casebook's documented DELETE is a soft delete that "hides [records] from view in Casebook and Reporting"
(casebook-cases-api, casebook-providers-api): nothing in the API lists deleted records or a deletion time,
and a deleted record answers 404. So deletions are found by reconciling: the ids the server holds now
(a consistent partitioned export that asks for nothing but ``created_at``) against the ids a local copy
holds; a local id the server no longer has was deleted (or never existed there).

    async for record_id in deleted_ids(cb.people, local_ids):   # local_ids: any (async) iterable of str
        mark_deleted(record_id)                                   # streamed, as the local ids are read

Memory: the server's id set, about 100 bytes per record (~100 MB for a million); the local ids are
streamed. A record deleted while the reconcile runs may or may not be reported this time.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable
from typing import Any

from ..query import FilterArg
from ..resources import ResourceAPI
from .partition import export_all


async def server_ids(
    api: ResourceAPI[Any, Any, Any], *, concurrency: int = 8, filter: FilterArg | None = None
) -> set[str]:
    """Every id the server holds now (a consistent export that carries only ``created_at``)."""
    live: set[str] = set()
    fields = {api.spec.jsonapi_type: ["created_at"]}
    async with export_all(api, concurrency=concurrency, filter=filter, fields=fields) as export:
        async for records in export:
            live.update(record.id for record in records)
    return live


async def deleted_ids(
    api: ResourceAPI[Any, Any, Any],
    local_ids: Iterable[str] | AsyncIterable[str],
    *,
    concurrency: int = 8,
    filter: FilterArg | None = None,
) -> AsyncIterator[str]:
    """The ids of ``local_ids`` the server no longer holds, in the order they are read. (An async
    generator is safe here: the export's task group has closed before the first ``yield``.)"""
    live = await server_ids(api, concurrency=concurrency, filter=filter)
    if isinstance(local_ids, AsyncIterable):
        async for record_id in local_ids:
            if record_id not in live:
                yield record_id
    else:
        for record_id in local_ids:
            if record_id not in live:
                yield record_id
