"""The scheduled spec update (.github/workflows/spec-update.yml), runnable anywhere the same way.

    python3 scripts/spec_update_job.py [--body build/spec-update-pr.md]

`make update-spec`; if spec/ changed, `make generate` and `make test`; then the pull request body (the
change report, and how generation and the tests went) and, for the workflow, outputs in $GITHUB_OUTPUT:
changed, breaking, tests, title, labels. It exits non-zero only when update-spec itself fails (offline,
a bad document): a failing generation or test run is reported in the body, so that the pull request
still shows a maintainer what upstream changed; the workflow fails the run after opening it.
Only the standard library: it runs before any environment exists (make bootstraps .venv).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "build" / "spec-report.md"
TAIL = 60  # lines of a failing step's output quoted in the body


SECRET_VARIABLE = "SWAGGERHUB_API_KEY"  # noqa: S105 - a variable name; update-spec only


def run(command: list[str], *, secret: bool = False) -> tuple[int, str]:
    """Run in the repository, echoing the output (the workflow log) and keeping its last lines; the
    SwaggerHub key reaches only the commands given ``secret``."""
    print(f"$ {shlex.join(command)}", flush=True)
    tail: deque[str] = deque(maxlen=TAIL)
    environ = os.environ if secret else {k: v for k, v in os.environ.items() if k != SECRET_VARIABLE}
    with subprocess.Popen(
        command, cwd=ROOT, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            sys.stdout.write(line)
            tail.append(line)
    return process.returncode, "".join(tail)


def spec_changed() -> bool:
    status = subprocess.run(
        ["git", "status", "--porcelain", "--", "spec"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return bool(status.stdout.strip())


def check(name: str, outcome: tuple[int, str] | None) -> str:
    if outcome is None:
        return f"- `{name}`: not run\n"
    code, output = outcome
    if code == 0:
        return f"- `{name}`: passed\n"
    quoted = output.replace("```", "'''")
    return (
        f"- `{name}`: **failed** (exit {code})\n\n<details><summary>last lines</summary>\n\n"
        f"```\n{quoted}```\n\n</details>\n"
    )


def write_outputs(path: str | None, outputs: dict[str, str]) -> None:
    if path:
        with open(path, "a", encoding="utf-8") as file:
            file.writelines(f"{key}={value}\n" for key, value in outputs.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--make", default="make", help="the make command (and its variables)")
    parser.add_argument("--test-command", help="what tests the regenerated code (default: make test)")
    parser.add_argument("--body", type=Path, default=ROOT / "build" / "spec-update-pr.md")
    parser.add_argument("--output", default=os.environ.get("GITHUB_OUTPUT"), help="default: $GITHUB_OUTPUT")
    args = parser.parse_args(argv)
    make = shlex.split(args.make)
    test_command = shlex.split(args.test_command) if args.test_command else [*make, "test"]

    code, _ = run([*make, "update-spec"], secret=True)
    if code != 0:
        print("spec-update: update-spec failed; nothing to propose.", file=sys.stderr)
        return code
    if not spec_changed():
        print("spec-update: spec/ is up to date with upstream; nothing to propose.")
        write_outputs(args.output, {"changed": "false"})
        return 0

    generated = run([*make, "generate"])
    tested = run(test_command) if generated[0] == 0 else None
    summary = json.loads(REPORT.with_suffix(".json").read_text())
    body = (
        REPORT.read_text()
        + "\n### Checks\n\n"
        + check("make generate", generated)
        + check(shlex.join(test_command), tested)
        + "\nOpened by `scripts/spec_update_job.py` (`.github/workflows/spec-update.yml`). "
        "What to do with a breaking change: README, *Spec changes*.\n"
    )
    args.body.parent.mkdir(parents=True, exist_ok=True)
    args.body.write_text(body)
    breaking, others = summary["breaking"], summary["changes"] - summary["breaking"]
    passed = tested is not None and tested[0] == 0
    write_outputs(
        args.output,
        {
            "changed": "true",
            "breaking": str(breaking > 0).lower(),
            "tests": "passed" if passed else "failed",
            "title": f"spec: upstream changes ({breaking} breaking, {others} other)",
            "labels": ",".join(["spec-update", *(["breaking-change"] if breaking else [])]),
        },
    )
    verdict = "passed" if passed else "failed"
    print(f"spec-update: {breaking} breaking and {others} other change(s); the tests {verdict}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
