"""The casebook CLI as a process: a missing extra, a closed pipe, the sandbox server's failures and Ctrl-C.
These need a fresh interpreter (an import that fails, a signal, a file descriptor), not the CliRunner."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

TIMEOUT = 60


def environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("CASEBOOK_")}


def casebook(*args: str, blocked: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """Run ``casebook ARGS`` in a fresh interpreter where the ``blocked`` modules cannot be imported
    (``sys.modules[name] = None`` makes ``import name`` raise ModuleNotFoundError, as if uninstalled)."""
    code = (
        "import sys\n"
        f"for name in {blocked!r}: sys.modules[name] = None\n"
        "from casebook_async.cli import main\n"
        f"raise SystemExit(main({list(args)!r}))\n"
    )
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=TIMEOUT,
        check=False,
    )


def test_without_the_cli_extra_casebook_says_which_extra_to_install() -> None:
    for blocked in (("typer",), ("rich",)):
        result = casebook("--help", blocked=blocked)
        assert result.returncode == 1
        assert result.stdout == ""
        (line,) = result.stderr.splitlines()
        assert line.startswith(
            "casebook: the command line needs the cli extra: pip install 'casebook-async[cli]' ("
        )
        assert blocked[0] in line


@pytest.mark.parametrize(
    ("args", "what", "missing"),
    [
        (("export", "people", "--sandbox"), "--sandbox", "yaml"),
        (("import", "people", "in.jsonl", "--sandbox"), "--sandbox", "starlette"),
        (("demo",), "casebook demo", "yaml"),
        (("sandbox", "--port", "0"), "casebook sandbox", "starlette"),
    ],
)
def test_without_the_sandbox_extra_each_sandbox_command_says_which_extra(
    args: tuple[str, ...], what: str, missing: str, tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"first_name": "A", "last_name": "B"}\n')
    result = casebook(*(str(source) if a == "in.jsonl" else a for a in args), blocked=(missing,))
    assert result.returncode == 1, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {what} needs the sandbox extra: pip install 'casebook-async[sandbox]' (")
    assert missing in line


def test_export_into_a_closed_pipe_stops_quietly_like_a_process_killed_by_sigpipe() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first record is written (`| head` that exited)
    try:
        process = subprocess.run(
            [sys.executable, "-m", "casebook_async", "export", "people", "--sandbox"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(),
            timeout=TIMEOUT,
            check=False,
        )
    finally:
        os.close(write_end)
    assert process.returncode == 128 + signal.SIGPIPE, process.stderr
    assert "error" not in process.stderr.lower()
    assert "Exception ignored" not in process.stderr
    assert "exported" not in process.stderr  # it did not finish, and does not claim to have


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_sandbox_on_a_busy_port_is_one_line_and_exit_1(busy_port: int) -> None:
    result = casebook("sandbox", "--port", str(busy_port), "--no-s3")
    assert result.returncode == 1
    assert result.stderr == f"error: cannot listen on 127.0.0.1:{busy_port}: Address already in use\n"


@pytest.mark.parametrize("value", ["99999", "-1", "http"])
def test_sandbox_on_a_port_that_is_not_one_is_a_usage_error(value: str) -> None:
    result = casebook("sandbox", "--port", value)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("casebook sandbox: error: argument --port: ")
    assert line.endswith("(--help lists the options)")


def test_sandbox_stopped_by_ctrl_c_exits_130() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "casebook_async", "sandbox", "--port", "0", "--no-s3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("Casebook sandbox at http://127.0.0.1:")
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=TIMEOUT)
    finally:
        process.kill()
    assert process.returncode == 130
    assert stderr == "stopped\n"


def test_the_demo_does_not_import_the_command_tree() -> None:
    # demo.py and app.py once imported each other; the shared bulk-job code lives in cli/progress.py.
    code = "import sys, casebook_async.cli.demo; assert 'casebook_async.cli.app' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=TIMEOUT)  # noqa: S603
