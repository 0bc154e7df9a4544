"""The README's tour runs as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_five_minute_tour_runs(tmp_path: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
    assert len(blocks) == 1
    script = tmp_path / "tour.py"
    script.write_text(blocks[0])
    result = subprocess.run(  # noqa: S603 - runs our own README with our own interpreter
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "['/data/attributes/email']" in lines
    assert any(line.startswith("GET /people/people/") and "HTTP 404" in line for line in lines)
    assert "True" in lines  # the provider links back to its new location
    assert lines[-1].startswith("{'created': 200, 'updated': 0, 'skipped': 0, 'failed': 0")
