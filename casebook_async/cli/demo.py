"""``casebook demo``: the main job end to end on the embedded sandbox, narrated with rich.

Seeds data, exports it with its watermark, imports a JSONL file through the bulk engine (under
injected faults, so the no-duplicate guarantee is exercised), exports incrementally from the watermark,
uploads an attachment, creates a provider with its location and assigns a unit of work. Each step is
checked against the sandbox's own state, and a mismatch fails the demo.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import anyio
from rich.console import Console
from rich.table import Table

from ..bulk import export_changed
from ..client import Casebook
from ..flows import assign_unit_of_work, create_provider_with_location, upload_attachment
from ..retry import RetryPolicy
from ..sandbox import Faults, Sandbox
from .progress import import_rows
from .records import Writer, flat


class DemoCheckError(AssertionError):
    """The sandbox disagrees with what a demo step reported."""


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise DemoCheckError(message)


async def run_demo() -> None:
    console = Console(stderr=True)
    console.rule("casebook-async demo (embedded in-process sandbox; nothing leaves this process)")
    steps = Table(title="What the demo did")
    steps.add_column("step")
    steps.add_column("result")
    with tempfile.TemporaryDirectory(prefix="casebook-demo-") as tmp:
        workdir = Path(tmp)
        async with Sandbox(seed=0) as sb:
            seeded = sb.seed_data(people=250, providers=5, cases=10, notes=10, users=5, units_of_work=5)
            steps.add_row("seed", ", ".join(f"{len(v)} {k}" for k, v in seeded.items() if v))
            retry = RetryPolicy(initial_backoff=0.01, max_backoff=0.2)
            async with Casebook(
                base_url=sb.base_url, transport=sb.transport, token=sb.issue_token(), retry=retry
            ) as cb:
                await _demo(console, steps, sb, cb, workdir)
    console.print(steps)
    console.print("[green]demo finished: every step checked against the sandbox[/]")


async def _demo(console: Console, steps: Table, sb: Sandbox, cb: Casebook, workdir: Path) -> None:
    # 1. Export everything by timestamp; keep the watermark for the incremental export.
    exported = await export_changed(cb.people, page_size=25).collect()
    export_path = workdir / "people.jsonl"
    async with await anyio.open_file(export_path, "w", encoding="utf-8") as f:
        writer = Writer(f, "jsonl")
        await writer.write(exported.records)
    _check(writer.count == sb.inspect.count("people"), "export missed records")
    steps.add_row(
        "export people",
        f"{writer.count} records in {exported.pages} pages (keyset by updated_at) → {export_path.name}",
    )

    # 2. Import: 40 changed people and 60 new ones, upserted by email, while the sandbox injects faults.
    rows: list[dict[str, Any]] = []
    for record in exported.records[:40]:
        row = flat(record)
        row["phone_number"] = "555-0100"
        rows.append(row)
    rows += [
        {"first_name": "Demo", "last_name": f"Person{i}", "email": f"demo.person{i}@example.org"}
        for i in range(60)
    ]
    import_path = workdir / "import.jsonl"
    await anyio.Path(import_path).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    sb.faults = Faults(rate_429=0.05, rate_5xx=0.03, rate_ambiguous_post=0.05, retry_after=0, seed=1)
    report = await import_rows(
        console, cb.people, rows, "email", None, workdir / "import.checkpoint", max_concurrency=16
    )
    faults = sb.inspect.fault_counts
    sb.faults = Faults()
    emails = [r["attributes"].get("email") for r in sb.inspect.records("people")]
    _check(report.ok, "import left records unwritten")
    _check(all(emails.count(r["email"]) == 1 for r in rows), "import duplicated a record")
    steps.add_row(
        "import people (upsert by email)",
        f"{report.counts['created']} created, {report.counts['updated']} updated under "
        f"{sum(faults.values())} injected faults; {report.lookups} key lookups, no duplicates",
    )

    # 3. Incremental export from the watermark: exactly what the import changed.
    changed = await export_changed(cb.people, exported.watermark, page_size=50).collect()
    _check(
        len(changed.records) == len(rows), f"incremental export found {len(changed.records)}, not {len(rows)}"
    )
    steps.add_row("export changes since watermark", f"{len(changed.records)} records (the 100 imported)")

    # 4. Attachment: record, presigned PUT to the loopback S3 emulator (no Casebook token sent there).
    person_id = exported.records[0].id
    content = b"Intake notes for the demo.\n" * 100
    attachment = await upload_attachment(
        cb, content, filename="intake.txt", content_type="text/plain", record=("people", person_id)
    )
    _check(sb.inspect.s3_object(attachment.id) == content, "uploaded bytes differ")
    _check(not sb.inspect.s3_authorization_violations, "the token reached S3")
    steps.add_row("upload attachment", f"{len(content)} bytes to person {person_id[:8]}…, stored intact")

    # 5. Provider with its location, linked both ways.
    created = await create_provider_with_location(
        cb,
        provider={"name": "Demo Family Services"},
        location={"name": "Demo Family Services - Main Street", "address_line_1": "1 Main Street"},
    )
    stored = sb.inspect.record("providers", created.provider.id)
    _check(
        stored is not None and created.location.id in stored["attributes"].get("location_ids", []),
        "provider not linked to its location",
    )
    steps.add_row(
        "provider with location", f"provider {created.provider.id[:8]}… ↔ location {created.location.id[:8]}…"
    )

    # 6. Assign a unit of work to a user.
    unit = sb.inspect.records("units_of_work")[0]
    user = sb.inspect.records("users")[0]
    assignment = await assign_unit_of_work(cb, unit["id"], user["id"])
    steps.add_row(
        "assign unit of work", f"unit {unit['id'][:8]}… → user {user['id'][:8]}… ({assignment.id[:8]}…)"
    )
