"""The benchmark suite runs end to end at tiny sizes (so scripts/bench*.py cannot rot); no speed asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.timeout(120)
def test_bench_quick_writes_every_row(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, "scripts/bench.py", "--quick", "--runs", "1", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    # The header repeats the command as run, whatever the interpreter is called (python, python3, a path).
    assert f"$ {Path(sys.executable).name} scripts/bench.py --quick" in done.stdout
    results = json.loads(out.read_text())
    names = [row["name"] for row in results["rows"]]
    for section in ("(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)"):
        assert any(name.startswith(section) for name in names), section
    measured = [row for row in results["rows"] if row["ratio"] is not None]
    assert all(row["ratio"] > 0 for row in measured)
