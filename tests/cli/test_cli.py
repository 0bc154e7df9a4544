"""The casebook CLI via typer's CliRunner: credentials or an explicit --sandbox, export, import, demo."""

from __future__ import annotations

import csv
import importlib.metadata
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import anyio
import pytest
import typer
import typer.core
import typer.main
from rich.console import Console
from typer.testing import CliRunner

from casebook_async import Casebook, EventHooks, ResponseEvent
from casebook_async._generated import RESOURCES
from casebook_async.bulk import BulkReport
from casebook_async.bulk.report import RecordResult
from casebook_async.cli.app import EXIT_COLLECTION_CHANGED, app
from casebook_async.cli.connection import SANDBOX_NOTICE, Credentials
from casebook_async.cli.progress import failure_line, print_summary
from casebook_async.cli.records import InputError, Writer, parse_filters
from casebook_async.cli.sync import CollectionChanged, export_offset
from casebook_async.sandbox import Faults, Sandbox
from casebook_async.sandbox.__main__ import build_parser

from .conftest import Served

runner = CliRunner()
VARIABLES = (
    "CASEBOOK_TOKEN",
    "CASEBOOK_CLIENT_ID",
    "CASEBOOK_CLIENT_SECRET",
    "CASEBOOK_REGION",
    "CASEBOOK_BASE_URL",
)
NO_CREDENTIALS = dict.fromkeys(VARIABLES, "")


def env(served: Served) -> dict[str, str]:
    return {**NO_CREDENTIALS, "CASEBOOK_TOKEN": served.token, "CASEBOOK_BASE_URL": served.base_url}


def test_sandbox_flag_exports_from_the_embedded_sandbox(tmp_path: Path) -> None:
    out = tmp_path / "people.jsonl"
    result = runner.invoke(app, ["export", "people", "--sandbox", "--out", str(out)], env=NO_CREDENTIALS)
    assert result.exit_code == 0, result.output
    assert SANDBOX_NOTICE in result.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(lines) == 100  # the embedded sandbox seeds 100 people
    assert len({line["id"] for line in lines}) == 100
    assert all("@" in line["email"] for line in lines)


@pytest.mark.parametrize(
    "setting",
    [{}, {"CASEBOOK_REGION": "ca"}, {"CASEBOOK_BASE_URL": "https://api.casebook.net"}],
    ids=["nothing", "region only", "base url only"],
)
@pytest.mark.parametrize("command", ["export", "import"])
def test_without_credentials_or_sandbox_a_command_exits_2_naming_what_to_set(
    command: str, setting: dict[str, str], tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"first_name": "A", "last_name": "B"}\n')
    args = ["export", "people"] if command == "export" else ["import", "people", str(source)]
    result = runner.invoke(app, args, env={**NO_CREDENTIALS, **setting})
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()  # one line, no traceback, nothing run
    assert line.startswith("error: no Casebook credentials")
    for name in (*VARIABLES, "--sandbox"):
        assert name in line
    assert not list(tmp_path.glob("*.checkpoint.jsonl"))


def test_export_csv_to_stdout_with_filters(served: Served) -> None:
    sb = served.sandbox
    people = sb.inspect.records("people")
    last_name = people[0]["attributes"]["last_name"]
    result = runner.invoke(
        app,
        ["export", "people", "--format", "csv", "-f", f"last_name={last_name}", "--page-size", "2"],
        env=env(served),
    )
    assert result.exit_code == 0, result.output
    assert "embedded" not in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    expected = {p["id"] for p in people if p["attributes"]["last_name"] == last_name}
    assert {r["id"] for r in rows} == expected
    assert all(r["last_name"] == last_name for r in rows)
    assert "email" in rows[0]
    gets = [r for r in sb.inspect.requests if r.method == "GET"]
    assert any(f"filter[last_name]={last_name}" in r.query for r in gets)


def test_export_with_an_operator_filter(served: Served) -> None:
    people = served.sandbox.inspect.records("people")
    result = runner.invoke(app, ["export", "people", "--filter", "email[like]=.1"], env=env(served))
    assert result.exit_code == 0, result.output
    ids = {json.loads(line)["id"] for line in result.stdout.splitlines()}
    assert ids == {p["id"] for p in people if ".1" in p["attributes"]["email"]}


def test_import_with_upsert_key_and_resume_from_checkpoint(served: Served, tmp_path: Path) -> None:
    sb = served.sandbox
    existing = sb.inspect.records("people")[:5]
    rows = [{**p["attributes"], "phone_number": "555-7777"} for p in existing]
    rows += [{"first_name": "New", "last_name": f"N{i}", "email": f"new{i}@example.org"} for i in range(7)]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows))
    results = tmp_path / "results.jsonl"
    args = ["import", "people", str(source), "--upsert-key", "email", "--results", str(results)]

    result = runner.invoke(app, args, env=env(served))
    assert result.exit_code == 0, result.output
    assert served.token not in result.output + result.stderr
    per_record = [json.loads(line) for line in results.read_text().splitlines()]
    assert [r["status"] for r in per_record] == ["updated"] * 5 + ["created"] * 7
    by_email = {}
    for p in sb.inspect.records("people"):
        by_email.setdefault(p["attributes"]["email"], []).append(p)
    for row, outcome in zip(rows, per_record, strict=True):
        (stored,) = by_email[row["email"]]
        assert stored["id"] == outcome["id"]
        assert stored["attributes"]["phone_number"] == row.get("phone_number")
    assert (tmp_path / "in.jsonl.checkpoint.jsonl").exists()

    again = runner.invoke(app, args, env=env(served))
    assert again.exit_code == 0, again.output
    assert [json.loads(line)["status"] for line in results.read_text().splitlines()] == ["skipped"] * 12
    assert len(sb.inspect.records("people")) == 30 + 7


def test_import_reports_failures_with_exit_code_1_and_a_line_each(served: Served, tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text(
        '{"first_name": "A", "last_name": "B"}\n\n{"first_name": "NoLast", "email": "x@example.org"}\n'
    )
    result = runner.invoke(app, ["import", "people", str(source), "--no-checkpoint"], env=env(served))
    assert result.exit_code == 1
    # Where the record is in the file (line 3: blank lines count), then why.
    assert "  failed line 3: InvalidInputError: people: missing required attribute 'last_name'\n" in (
        result.stderr
    )
    assert len(served.sandbox.inspect.records("people")) == 31

    keyed = runner.invoke(
        app, ["import", "people", str(source), "--no-checkpoint", "--key", "email"], env=env(served)
    )
    assert keyed.exit_code == 1
    assert "  failed line 3 (email=x@example.org): InvalidInputError: " in keyed.stderr


def test_failure_lines_say_where_and_stop_after_ten() -> None:
    report = BulkReport("create", "people")
    report.results = [RecordResult(i, f"#{i}", "failed", error="E: why") for i in range(12)]
    report.results[1].key = "email=b@example.org"
    assert failure_line(report.results[0]) == "  failed record 1: E: why"
    assert failure_line(report.results[1], [4, 7]) == "  failed line 7 (email=b@example.org): E: why"
    console = Console(file=io.StringIO(), width=200)
    print_summary(console, report)
    printed = console.file.getvalue()  # type: ignore[attr-defined]
    assert printed.count("  failed record") == 10
    assert "... and 2 more failed (--results lists every record)" in printed


def test_client_credentials_from_the_environment(served: Served, tmp_path: Path) -> None:
    application = served.sandbox.register_application()
    environment = {
        **NO_CREDENTIALS,
        "CASEBOOK_CLIENT_ID": application.client_id,
        "CASEBOOK_CLIENT_SECRET": application.client_secret,
        "CASEBOOK_BASE_URL": served.base_url,
    }
    result = runner.invoke(app, ["export", "providers"], env=environment)
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 2
    assert application.client_secret not in result.output + result.stderr
    assert served.sandbox.inspect.tokens_issued >= 1


def test_incomplete_credentials_are_a_usage_error_that_does_not_echo_them() -> None:
    result = runner.invoke(
        app, ["export", "people"], env={**NO_CREDENTIALS, "CASEBOOK_CLIENT_SECRET": "s3cr3t-value"}
    )
    assert result.exit_code == 2
    assert "client id and a client secret" in result.stderr
    assert "s3cr3t-value" not in result.output + result.stderr
    assert "s3cr3t-value" not in repr(Credentials(client_secret="s3cr3t-value", token="tok-value"))
    assert "tok-value" not in repr(Credentials(client_secret="s3cr3t-value", token="tok-value"))


@pytest.mark.parametrize("command", ["export", "import"])
def test_an_unknown_resource_is_a_usage_error_before_any_connection(
    command: str, served: Served, tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"first_name": "A", "last_name": "B"}\n')
    args = [command, "nope"] + ([str(source)] if command == "import" else [])
    result = runner.invoke(app, args, env=env(served))
    assert result.exit_code == 2, result.output
    message = " ".join(result.stderr.replace("│", " ").split())  # rich boxes the error
    assert "'nope' is not one of: " in message
    assert all(name in message for name in RESOURCES)
    assert served.sandbox.inspect.requests == []


def test_parse_filters() -> None:
    assert parse_filters(["a=1", "b[ge]=2026-01-01", "b[l]=2027-01-01", "c=null"]) == {
        "a": {"eq": "1"},
        "b": {"ge": "2026-01-01", "l": "2027-01-01"},
        "c": {"eq": None},
    }
    with pytest.raises(InputError):
        parse_filters(["novalue"])
    with pytest.raises(InputError):
        parse_filters(["a=1", "a=2"])


def test_demo_exits_0_and_says_what_it_did() -> None:  # the demo needs no --sandbox: it is one
    result = runner.invoke(app, ["demo"], env=NO_CREDENTIALS)
    assert result.exit_code == 0, result.output
    for step in (
        "export people",
        "import people",
        "upload attachment",
        "provider with location",
        "assign unit of work",
    ):
        assert step in result.stderr
    assert "demo finished" in result.stderr


def test_sandbox_help_lists_its_options_each_with_help() -> None:
    result = runner.invoke(app, ["sandbox", "--help"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("usage: casebook sandbox")
    for option in ("--port", "--host", "--people", "--client-id", "--rate-limit", "--no-s3", "--latency"):
        assert option in result.stdout
    parser = build_parser()
    for action in parser._actions:
        assert action.help, action.option_strings


def test_every_option_of_every_command_has_help() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    commands = {"casebook": group, **group.commands}
    assert set(commands) == {"casebook", "export", "import", "deleted", "sandbox", "demo"}
    for name, command in commands.items():
        for param in command.params:
            assert getattr(param, "help", None), (name, param.name)


def test_filter_help_keeps_its_square_brackets() -> None:
    result = runner.invoke(app, ["export", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "field=value or field[op]=value" in result.stdout


def test_version_is_the_installed_distribution_s() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"casebook-async {importlib.metadata.version('casebook-async')}\n"


def test_python_dash_m_entry_point(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CASEBOOK_")}
    completed = subprocess.run(
        [sys.executable, "-m", "casebook_async", "export", "providers", "--sandbox", "--format", "csv"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert SANDBOX_NOTICE in completed.stderr
    assert completed.stdout.splitlines()[0].startswith("id,")
    assert len(completed.stdout.splitlines()) == 1 + 10  # header + the 10 seeded providers


def test_bad_filter_and_since_are_usage_errors_not_tracebacks() -> None:
    for args, hint in (
        (["--filter", "novalue"], "--filter"),
        (["--since", "yesterday"], "--since"),
        (["--since", '{"value": 1}'], "--since"),
        (["--since", "2026-01-01T00:00:00"], "--since"),  # no zone: ambiguous
    ):
        result = runner.invoke(app, ["export", "people", *args], env=NO_CREDENTIALS)
        assert result.exit_code == 2, (args, result.output)
        assert hint in result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output + result.stderr


def test_unreadable_input_is_an_error_printed_as_is(tmp_path: Path) -> None:
    source = tmp_path / "people[red].jsonl"  # rich markup would eat "[red]"
    source.write_bytes(b'{"first_name": "\xff"}\n')
    result = runner.invoke(app, ["import", "people", str(source), "--sandbox"], env=NO_CREDENTIALS)
    assert result.exit_code == 1
    assert "people[red].jsonl is not UTF-8 text" in result.stderr
    assert "Traceback" not in result.stderr


def test_import_over_an_edited_file_with_its_old_checkpoint_is_refused(
    served: Served, tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    rows = [{"first_name": "A", "last_name": f"L{i}", "email": f"e{i}@example.org"} for i in range(3)]
    source.write_text("".join(json.dumps(r) + "\n" for r in rows))
    results = tmp_path / "results.jsonl"
    args = ["import", "people", str(source), "--key", "email", "--results", str(results)]
    assert runner.invoke(app, args, env=env(served)).exit_code == 0
    first_results = results.read_text()
    rows[1]["last_name"] = "Edited"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = runner.invoke(app, args, env=env(served))
    assert result.exit_code == 1
    assert "differ from the input this checkpoint was written for" in result.stderr
    assert "Traceback" not in result.stderr
    assert "stopped early" not in result.stderr  # nothing was started, so no summary of it
    assert results.read_text() == first_results  # the earlier run's results are not overwritten


def test_an_interrupted_import_still_writes_its_results(served: Served, tmp_path: Path) -> None:
    sb = served.sandbox
    sb.faults = Faults(latency=0.05)
    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(json.dumps({"first_name": "I", "last_name": f"L{i}"}) + "\n" for i in range(200))
    )
    results = tmp_path / "results.jsonl"
    environment = {**{k: v for k, v in os.environ.items() if not k.startswith("CASEBOOK_")}, **env(served)}
    before = sb.inspect.count("people")
    command = [sys.executable, "-m", "casebook_async", "import", "people", str(source)]
    command += ["--no-checkpoint", "--results", str(results), "--concurrency", "2"]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while sb.inspect.count("people") < before + 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    outcomes = [json.loads(line) for line in results.read_text().splitlines()]
    assert len(outcomes) == 200
    created = {o["id"] for o in outcomes if o["status"] == "created"}
    stored = {p["id"] for p in sb.inspect.records("people")}
    assert created <= stored
    assert len(stored) - before - len(created) <= sum(o["status"] == "in_doubt" for o in outcomes)
    assert any(o["status"] == "not_attempted" for o in outcomes)


def test_unusable_paths_and_a_corrupt_checkpoint_are_error_lines_before_any_write(
    served: Served, tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"first_name": "A", "last_name": "B", "email": "a@example.org"}) + "\n")
    before = served.sandbox.inspect.count("people")
    corrupt = tmp_path / "corrupt.jsonl"
    header = {"format": 2, "operation": "create", "resource": "people", "key": "email"}
    corrupt.write_text(json.dumps(header) + "\n" + "{not json\n")
    cases = {
        "--results": ["--results", str(tmp_path / "missing-dir" / "results.jsonl")],
        "--checkpoint": ["--checkpoint", str(tmp_path / "missing-dir" / "journal.jsonl")],
        "corrupt": ["--checkpoint", str(corrupt)],
    }
    for name, extra in cases.items():
        result = runner.invoke(
            app, ["import", "people", str(source), "--key", "email", *extra], env=env(served)
        )
        assert result.exit_code == 1, (name, result.output)
        assert "\nerror: " in "\n" + result.stderr, (name, result.stderr)
        assert "Traceback" not in result.stderr
    assert "line 2 is not a checkpoint entry" in result.stderr
    assert served.sandbox.inspect.count("people") == before  # nothing was written by any of them


@pytest.mark.anyio
async def test_an_export_of_a_collection_that_changes_meanwhile_says_so() -> None:
    async with Sandbox(seed=1, s3=False) as sb:
        ids = sb.seed_data(people=50, providers=0, cases=0, notes=0, users=0, units_of_work=0)["people"]
        done = False

        def another_writer(event: ResponseEvent) -> None:
            nonlocal done
            if event.method == "GET" and not done:  # page 1 has been answered
                done = True
                for id_ in ids[:5]:
                    sb.records.delete(sb.store.get("people", id_))

        out = io.StringIO()
        console = Console(file=io.StringIO(), width=200)
        hooks = EventHooks(response=[another_writer])
        async with Casebook(
            base_url=sb.base_url, transport=sb.transport, token=sb.issue_token(), event_hooks=hooks
        ) as cb:
            writer = Writer(anyio.wrap_file(out), "jsonl")
            with pytest.raises(CollectionChanged):
                await export_offset(console, cb.people, writer, page_size=10, concurrency=4, filters={})
    assert "the collection changed during the export (the server reported 45, 50 records)" in (
        console.file.getvalue()  # type: ignore[attr-defined]
    )


def test_the_export_command_exits_3_when_the_collection_changed(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def changed(*args: object, **kwargs: object) -> None:
        raise CollectionChanged

    monkeypatch.setattr(sys.modules["casebook_async.cli.app"], "export_offset", changed)
    result = runner.invoke(app, ["export", "people", "--offset"], env=env(served))
    assert result.exit_code == EXIT_COLLECTION_CHANGED == 3
