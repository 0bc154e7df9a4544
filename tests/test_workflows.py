"""The GitHub workflows: what they run is what this repository tests (actionlint checks them in make lint)."""

from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import yaml

from .upstream import ROOT, VENV, load_script

WORKFLOWS = ROOT / ".github" / "workflows"


def workflow(name: str) -> dict[Any, Any]:
    document: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    document["on"] = document.pop(True, document.get("on"))  # YAML 1.1 reads a bare `on` as true
    return document


def runs(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def test_make_test_runs_on_every_supported_python_and_on_the_lowest_dependencies() -> None:
    jobs = workflow("test.yml")["jobs"]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert pyproject["requires-python"] == ">=3.11"
    assert jobs["test"]["strategy"]["matrix"]["python"] == ["3.11", "3.12", "3.13"]
    assert runs(jobs["test"]) == ["make test PYTHON=python"]
    assert runs(jobs["lowest"]) == ["make test-lowest PYTHON=python"]
    assert 'make spec-diff SPEC_BASE="$SPEC_BASE"' in runs(jobs["spec-diff"])


def test_the_spec_update_runs_the_tested_job_script_and_proposes_its_report() -> None:
    update = workflow("spec-update.yml")
    assert set(update["on"]) == {"schedule", "workflow_dispatch"}
    steps = update["jobs"]["update"]["steps"]
    job = next(step for step in steps if step.get("id") == "job")
    assert job["run"].startswith("python scripts/spec_update_job.py ")  # tests/spec/test_update_job.py
    body = job["run"].split("--body ")[1].split()[0]
    pull_request = next(
        step for step in steps if step.get("uses", "").startswith("peter-evans/create-pull-request")
    )
    assert pull_request["with"]["body-path"] == body
    assert pull_request["if"] == "steps.job.outputs.changed == 'true'"
    # The pull request carries all that make update-spec and make generate write.
    proposed = set(pull_request["with"]["add-paths"].split())
    generate = load_script("generate")
    facade = {str(path.relative_to(ROOT)) for path in (generate.RESOURCE_MODULE, generate.TYPES_MODULE)}
    assert {"spec/*.yaml", "generated/", *facade} <= proposed


def test_actionlint_fails_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/setup-python@v6\n        with:\n          python-versions: '3.11'\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n"
    )
    env = {**os.environ, "PATH": f"{VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    linted = subprocess.run(  # noqa: S603 - the pinned actionlint
        [VENV / "bin" / "actionlint", broken],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert linted.returncode == 1
    assert 'input "python-versions" is not defined' in linted.stdout
    assert "potentially untrusted" in linted.stdout
