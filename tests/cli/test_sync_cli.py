"""The CLI for sync jobs: the change feed with a watermark file, the consistent full export, shards, CSV
in and out, deletions; against a sandbox served on loopback."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from casebook_async.bulk import Watermark
from casebook_async.cli.app import app
from casebook_async.cli.records import parse_csv, write_atomic
from casebook_async.sandbox import Faults

from .conftest import Served
from .test_cli import env

runner = CliRunner()


def export(served: Served, *args: str) -> Any:
    result = runner.invoke(app, ["export", "people", *args], env=env(served))
    assert result.exit_code == 0, result.output
    return result


def ids_in(text: str) -> list[str]:
    return [json.loads(line)["id"] for line in text.splitlines() if line.strip()]


def test_a_watermark_file_turns_export_into_an_incremental_job(served: Served, tmp_path: Path) -> None:
    sb = served.sandbox
    mark = tmp_path / "people.watermark.json"
    first = export(served, "--watermark-file", str(mark))  # no file yet: everything, then where changes begin
    assert sorted(ids_in(first.stdout)) == sorted(r["id"] for r in sb.inspect.records("people"))
    assert Watermark.parse(mark.read_text()).start is not None

    changed = sb.inspect.records("people")[4]["id"]
    resource = sb.resources["people"]
    record = sb.store.get("people", changed)
    assert record is not None
    sb.records.update(resource, record, {"phone_number": "555-0101"})
    new = sb.records.create(resource, {"first_name": "New", "last_name": "Person"}).id
    second = export(served, "--watermark-file", str(mark), "--page-size", "2")
    assert sorted(ids_in(second.stdout)) == sorted([changed, new])
    third = export(served, "--watermark-file", str(mark))
    assert ids_in(third.stdout) == []  # nothing changed since: nothing again


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_run_going_on_from_a_watermark_file_appends_to_its_output(
    served: Served, tmp_path: Path, fmt: str
) -> None:
    sb = served.sandbox
    mark, out = tmp_path / "mark.json", tmp_path / f"people.{fmt}"
    args = ["--watermark-file", str(mark), "--out", str(out), "--format", fmt]
    export(served, *args)  # everything, then where changes begin
    before = out.read_text()
    new = sb.records.create(sb.resources["people"], {"first_name": "New", "last_name": "Person"}).id
    export(served, *args)  # the changes since: after what the first run wrote, never over it
    text = out.read_text()
    assert text.startswith(before)
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))  # one header row, then every record
        assert [r["id"] for r in rows][-1] == new
        assert len(rows) == len(sb.inspect.records("people"))
    else:
        assert ids_in(text)[-1] == new
        assert len(ids_in(text)) == len(sb.inspect.records("people"))


def test_the_feed_saves_its_watermark_after_every_page(
    served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mark = tmp_path / "mark.json"
    saved: list[str] = []
    sync = sys.modules["casebook_async.cli.sync"]
    real = sync.save_atomic

    async def spy(path: Path, text: str) -> None:
        saved.append(text)
        await real(path, text)

    monkeypatch.setattr(sync, "save_atomic", spy)
    result = export(
        served, "--since", "1970-01-01T00:00:00Z", "--watermark-file", str(mark), "--page-size", "4"
    )
    assert len(ids_in(result.stdout)) == 30
    assert len(saved) >= 30 // 4  # one save per page (and the last one), each a whole watermark
    assert all(Watermark.parse(text) for text in saved)
    assert mark.read_text() == saved[-1]


def test_a_full_export_saves_its_watermark_only_once_its_records_are_in_the_file(
    served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mark, out = tmp_path / "mark.json", tmp_path / "people.jsonl"
    on_disk: list[int] = []
    sync = sys.modules["casebook_async.cli.sync"]
    real = sync.save_atomic

    async def spy(path: Path, text: str) -> None:
        on_disk.append(len(ids_in(out.read_text())))
        await real(path, text)

    monkeypatch.setattr(sync, "save_atomic", spy)
    export(served, "--watermark-file", str(mark), "--out", str(out), "--page-size", "2")  # small writes
    assert on_disk == [len(served.sandbox.inspect.records("people"))]


def test_a_printed_watermark_is_one_unwrapped_line(served: Served) -> None:
    result = runner.invoke(
        app, ["export", "people", "--since", "1970-01-01T00:00:00Z"], env={**env(served), "COLUMNS": "30"}
    )
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("next watermark: ")]
    assert Watermark.parse(line.removeprefix("next watermark: ")).start is not None


def test_the_default_full_export_is_partitioned_and_shards_split_it(served: Served) -> None:
    everyone = {r["id"] for r in served.sandbox.inspect.records("people")}
    whole = export(served, "--concurrency", "3", "--page-size", "5")
    assert sorted(ids_in(whole.stdout)) == sorted(everyone)  # each once
    queries = [r.query for r in served.sandbox.inspect.requests if r.method == "GET"]
    assert any("filter[created_at][ge]=" in q and "sort=created_at,id" in q for q in queries)
    parts = [ids_in(export(served, "--shard", f"{i}/3", "--shard-width", "600").stdout) for i in (1, 2, 3)]
    assert sorted(i for part in parts for i in part) == sorted(everyone)  # together: everyone, once
    bad = runner.invoke(app, ["export", "people", "--shard", "4/3"], env=env(served))
    assert bad.exit_code == 2
    # A shard's watermark would know only its own part: no change feed could go on from it.
    with_mark = runner.invoke(
        app, ["export", "people", "--shard", "1/3", "--watermark-file", "shard.wm"], env=env(served)
    )
    assert with_mark.exit_code == 2
    assert "--watermark-file" in with_mark.output


def test_an_empty_csv_export_keeps_its_header(served: Served) -> None:
    result = export(served, "--format", "csv", "-f", "last_name=Nobody")
    header, *rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == []
    assert header[:3] == ["id", "first_name", "middle_name"]


def test_csv_import_reads_types_from_the_model_and_names_failed_lines(served: Served, tmp_path: Path) -> None:
    sb = served.sandbox
    provider = sb.inspect.records("providers")[0]["id"]
    source = tmp_path / "offerings.csv"
    source.write_text(
        "provider_id,name,archived,description\n"
        f"{provider},Food Pantry,true,\n"  # line 2: archived is a boolean; the empty description is null
        f"{provider},,false,no name\n"  # line 3: the required name is null: this one fails
        f'{provider},"Legal, Aid",false,"two\nlines"\n'  # lines 4-5: quoted comma and line break
    )
    result = runner.invoke(
        app, ["import", "service_offerings", str(source), "--no-checkpoint"], env=env(served)
    )
    assert result.exit_code == 1, result.output  # one record failed
    assert "failed line 3" in result.stderr
    stored = {r["attributes"]["name"]: r["attributes"] for r in sb.inspect.records("service_offerings")}
    assert stored["Food Pantry"]["archived"] is True
    assert stored["Food Pantry"]["description"] is None
    assert stored["Legal, Aid"]["description"] == "two\nlines"


def test_parse_csv_types_and_line_numbers() -> None:
    import casebook_openapi.models as m

    rows, lines = parse_csv(
        "name,archived,extra,provider_id\nA,true,x,p\n\nB,maybe,,p\n", "f.csv", m.ServiceOfferingAttributes
    )
    assert rows == [
        {"name": "A", "archived": True, "extra": "x", "provider_id": "p"},
        {"name": "B", "archived": "maybe", "extra": None, "provider_id": "p"},  # as written: it will fail
    ]
    assert lines == [2, 4]


def test_import_shards_write_each_record_once_between_them(served: Served, tmp_path: Path) -> None:
    sb = served.sandbox
    rows = [{"first_name": "S", "last_name": str(i), "email": f"shard{i}@example.org"} for i in range(40)]
    source = tmp_path / "people.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows))
    for number in (1, 2):
        args = ["import", "people", str(source), "--upsert-key", "email", "--shard", f"{number}/2"]
        result = runner.invoke(app, [*args, "--max-rate", "500"], env=env(served))
        assert result.exit_code == 0, result.output
        assert f"shard {number}/2:" in result.stderr
    emails = [r["attributes"]["email"] for r in sb.inspect.records("people")]
    assert sorted(e for e in emails if e.startswith("shard")) == sorted(r["email"] for r in rows)
    assert (tmp_path / "people.jsonl.shard1of2.checkpoint.jsonl").exists()  # one journal per shard


def test_concurrency_is_a_hard_cap_on_import(served: Served, tmp_path: Path) -> None:
    served.sandbox.faults = Faults(rate_429=0.05, retry_after=0, seed=3)
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"first_name": "C", "last_name": str(i)}) + "\n" for i in range(60)))
    args = ["import", "people", str(source), "--no-checkpoint", "--concurrency", "2"]
    result = runner.invoke(app, args, env={**env(served), "COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.stderr.splitlines() if "final concurrency" in line]
    assert int(line.split()[-2 if line.rstrip().endswith("│") else -1]) <= 2


def test_deleted_reports_the_records_the_server_no_longer_holds(served: Served, tmp_path: Path) -> None:
    sb = served.sandbox
    local = tmp_path / "people.csv"
    local.write_text(export(served, "--format", "csv").stdout)
    gone = [r["id"] for r in sb.inspect.records("people")[2:4]]
    for record_id in gone:
        record = sb.store.get("people", record_id)
        assert record is not None
        sb.records.delete(record)
    result = runner.invoke(app, ["deleted", "people", str(local)], env=env(served))
    assert result.exit_code == 0, result.output
    assert ids_in(result.stdout) == gone


@pytest.mark.anyio
async def test_ids_of_a_csv_export_are_read_by_row_not_by_line(tmp_path: Path) -> None:
    from casebook_async.cli.records import read_ids

    local = tmp_path / "people.csv"
    local.write_text('id,description\n1,"two\nlines"\n2,ok\n', encoding="utf-8")
    assert [i async for i in read_ids(local)] == ["1", "2"]


def test_write_atomic_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "mark.json"
    write_atomic(target, "one")
    write_atomic(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in tmp_path.iterdir()] == ["mark.json"]  # no temporary left behind


@pytest.mark.anyio
async def test_records_reach_the_disk_before_the_watermark_that_counts_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import anyio

    from casebook_async.cli import records

    synced: list[int] = []
    monkeypatch.setattr(records.os, "fsync", synced.append)
    async with await anyio.open_file(tmp_path / "out.jsonl", "w") as out:
        writer = records.Writer(out, "jsonl")
        await out.write('{"id": "1"}\n')
        await writer.sync()
        assert (tmp_path / "out.jsonl").read_text() == '{"id": "1"}\n'  # flushed
        assert synced == [out.wrapped.fileno()]  # and fsynced
    await records.Writer(anyio.wrap_file(io.StringIO()), "jsonl").sync()  # no descriptor: flushed only
