"""(9) Import time: ``import casebook_async`` in fresh interpreters against ``import httpx`` (the floor any
httpx-based client pays), timed inside each interpreter (its own start-up excluded), interleaved; in this
environment, and in one with only the core install (no extra: with the ``cli`` extra installed, httpx
imports rich and click for its own command line, ~50 ms here).

Bytecode is cached, as in an installed wheel (pip compiles it at install): a warm-up import writes it even
where PYTHONDONTWRITEBYTECODE is set, which would otherwise recompile every module of a checkout each time."""

from __future__ import annotations

import importlib.metadata
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

TARGET_SECONDS = 0.25  # issue 16: `import casebook_async` <= 0.25 s on the 2-core development machine
ROOT = Path(__file__).resolve().parent.parent

_PROBE = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def import_seconds(module: str, python: str = sys.executable) -> float:
    done = subprocess.run(
        [python, "-c", _PROBE.format(module=module)], capture_output=True, text=True, check=True, env=_ENV
    )
    return float(done.stdout)


def run(times: int = 10, python: str = sys.executable) -> tuple[float, float]:
    """Medians of ``times`` fresh interpreters: (casebook_async, httpx) in seconds."""
    import_seconds("casebook_async", python)  # writes the bytecode cache
    ours, floor = [], []
    for _ in range(times):
        ours.append(import_seconds("casebook_async", python))
        floor.append(import_seconds("httpx", python))
    return statistics.median(ours), statistics.median(floor)


def run_core(times: int = 10) -> tuple[float, float] | str:
    """``run`` in a throwaway virtualenv holding the package and its core dependencies only (at the versions
    requirements/dev.txt pins), or why it could not be made."""
    uv = Path(sys.executable).with_name("uv")
    if not uv.exists():
        return "no uv beside this interpreter to make a core-only environment"
    core = [r for r in importlib.metadata.requires("casebook-async") or [] if "extra ==" not in r]
    with tempfile.TemporaryDirectory() as folder:
        python = str(Path(folder) / "bin" / "python")
        for command in (
            [uv, "venv", "--quiet", "--python", sys.executable, folder],
            [
                uv,
                "pip",
                "install",
                "--quiet",
                "--python",
                python,
                "-c",
                ROOT / "requirements" / "dev.txt",
                *core,
            ],
            [uv, "pip", "install", "--quiet", "--python", python, "--no-deps", "-e", ROOT],
        ):
            subprocess.run(command, check=True, capture_output=True)
        return run(times, python)
