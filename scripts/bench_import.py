"""(9) Import time: ``import casebook_async`` in fresh interpreters against ``import httpx`` (the floor any
httpx-based client pays), timed inside each interpreter (its own start-up excluded), interleaved.

Bytecode is cached, as in an installed wheel (pip compiles it at install): a warm-up import writes it even
where PYTHONDONTWRITEBYTECODE is set, which would otherwise recompile every module of a checkout each time."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys

TARGET_SECONDS = 0.25  # issue 16: `import casebook_async` <= 0.25 s on the 2-core development machine

_PROBE = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def import_seconds(module: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(module=module)],
        capture_output=True,
        text=True,
        check=True,
        env=_ENV,
    )
    return float(done.stdout)


def run(times: int = 10) -> tuple[float, float]:
    """Medians of ``times`` fresh interpreters: (casebook_async, httpx) in seconds."""
    import_seconds("casebook_async")  # writes the bytecode cache
    ours, floor = [], []
    for _ in range(times):
        ours.append(import_seconds("casebook_async"))
        floor.append(import_seconds("httpx"))
    return statistics.median(ours), statistics.median(floor)
