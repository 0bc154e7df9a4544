"""Bulk jobs: create/update/upsert many records with adaptive concurrency and a resumable checkpoint,
and incremental export by watermark."""

from .aimd import AIMDLimiter
from .engine import BulkSync, DuplicateKeyError, bulk_create, bulk_update, bulk_upsert, is_definite_failure
from .feed import DEFAULT_SETTLE, ChangeBatch, ChangeFeed, ExportResult, Watermark, export_changed
from .journal import Journal, JournalMismatchError, JournalWriteError
from .partition import FullExport, Partition, Shard, export_all
from .reconcile import deleted_ids, server_ids
from .report import BulkReport, RecordResult, Status

__all__ = [
    "DEFAULT_SETTLE",
    "AIMDLimiter",
    "BulkReport",
    "BulkSync",
    "ChangeBatch",
    "ChangeFeed",
    "DuplicateKeyError",
    "ExportResult",
    "FullExport",
    "Journal",
    "JournalMismatchError",
    "JournalWriteError",
    "Partition",
    "RecordResult",
    "Shard",
    "Status",
    "Watermark",
    "bulk_create",
    "bulk_update",
    "bulk_upsert",
    "deleted_ids",
    "export_all",
    "export_changed",
    "is_definite_failure",
    "server_ids",
]
