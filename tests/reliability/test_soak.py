"""A bounded soak inside `make test`: bulk create + resume + upsert under ~10 % mixed faults, with token
expiry (refresh before expiry and a server-side rejection) and a cancel midway; then the incremental
change feed with writers running. `make soak` runs the same code at 20 000 records, several seeds and 50
feed runs; see scripts/soak.py for the phases and the audit."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from casebook_async import Casebook
from casebook_async.bulk import BulkSync
from casebook_async.sandbox import Sandbox

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("seed", [5])
async def test_soak_loses_nothing_duplicates_nothing_and_reports_the_truth(
    soak_module: ModuleType, tmp_path: Path, seed: int
) -> None:
    figures = await soak_module.soak(600, seed, tmp_path, upsert=200, limit=60.0, feed_runs=12)
    # soak() audits every record against the sandbox and raises SoakFailure on any disagreement; the
    # figures show that the run exercised every failure mode it claims to.
    assert figures.records == 600
    assert figures.upsert_counts == {"updated": 100, "skipped": 100}
    assert {"429", "drop", "connect_error", "ambiguous_post"} <= set(figures.faults)
    assert any(kind in figures.faults for kind in ("500", "502", "503", "504"))
    assert figures.retries > 0
    assert figures.lookups > 0
    assert figures.recovered > 0  # some POSTs committed without an answer and were found, not re-sent
    assert figures.tokens_issued >= 3
    assert figures.rejected_401 > 0
    assert 0 < figures.finished_before_cancel < 600
    # The incremental feed with writers running and late commits (audited inside soak()).
    assert figures.feed_runs == 12
    assert figures.feed_versions > 600
    assert figures.feed_late > 0


async def test_the_audit_catches_a_duplicate_and_a_lost_record(
    soak_module: ModuleType, tmp_path: Path
) -> None:
    """The audit is not vacuous: a duplicate or a missing record on the server fails it."""
    rows: list[dict[str, Any]] = soak_module.people(5)
    async with (
        Sandbox(seed=3, s3=False) as sb,
        Casebook(base_url=sb.base_url, transport=sb.transport, token=sb.issue_token()) as cb,
    ):
        sync = BulkSync(cb.people, checkpoint=tmp_path / "a.jsonl", durable=False)
        first = await sync.create(rows[:2], key="email")
        first.results += [type(first.results[0])(i, f"email={rows[i]['email']}") for i in range(2, 5)]
        resumed = await BulkSync(cb.people, checkpoint=tmp_path / "a.jsonl", durable=False).create(
            rows, key="email"
        )
        soak_module.audit_final(sb, rows, resumed, first)  # the honest state passes

        await cb.people.create(rows[3])  # a duplicate behind the report's back
        with pytest.raises(soak_module.SoakFailure):
            soak_module.audit_final(sb, rows, resumed, first)
        duplicate = [r for r in sb.inspect.records("people") if r["attributes"]["email"] == rows[3]["email"]]
        await cb.people.delete(duplicate[-1]["id"])
        soak_module.audit_final(sb, rows, resumed, first)

        await cb.people.delete(resumed.results[4].id)  # a record lost
        with pytest.raises(soak_module.SoakFailure, match="lost"):
            soak_module.audit_final(sb, rows, resumed, first)
