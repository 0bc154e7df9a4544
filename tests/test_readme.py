"""The README's tour and its shell lines run as written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .readme import check_sandbox_outputs, sandbox_commands, tour_script


def test_the_five_minute_tour_runs(tmp_path: Path) -> None:
    script = tmp_path / "tour.py"
    script.write_text(tour_script())
    result = subprocess.run(  # noqa: S603 - runs our own README with our own interpreter
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "['/data/attributes/email']" in lines
    assert any(line.startswith("GET /people/people/") and "HTTP 404" in line for line in lines)
    assert "True" in lines  # the provider links back to its new location
    assert lines[-1].startswith("{'created': 200, 'updated': 0, 'skipped': 0, 'failed': 0")


def test_the_shell_lines_on_the_sandbox_run(tmp_path: Path) -> None:
    commands = sandbox_commands()
    assert ["demo"] in commands
    assert sum("--sandbox" in c for c in commands) == 3
    casebook = Path(sys.executable).with_name("casebook")  # the console script of this environment
    for args in commands:
        if args == ["demo"]:
            continue  # tests/cli runs the demo
        result = subprocess.run(  # noqa: S603 - our own command, the README's arguments
            [str(casebook), *args], capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False
        )
        assert result.returncode == 0, (args, result.stderr)
    check_sandbox_outputs(tmp_path)
