"""The scheduled job's script (scripts/spec_update_job.py), run in a copy of the repository against a
loopback registry: upstream narrowed an enum and published a new service, "widgets". The job fetches it,
reports the change, regenerates generated/ and casebook_async/_generated.py, and the test step proves
``cb.widgets`` works on the sandbox and type-checks, with nothing edited by hand."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..upstream import (
    ROOT,
    VENV,
    closed_port_url,
    commit_all,
    copy_repo,
    git,
    load_script,
    make_command,
    registry,
    strip_keys,
    widget_document,
)

update_spec = load_script("update_spec")
CONFIG = update_spec.load_config(ROOT / "spec" / "upstream.toml")
WIDGETS = ("widgets.yaml", "cbp-widgets-api", "1.0.0")
# The job's test step: the throwaway resource at run time on the sandbox, then under mypy --strict.
TEST_STEP = """\
set -eu
export PYTHONPATH="$PWD:$PWD/generated" MYPYPATH="$PWD:$PWD/generated"
"{python}" tests_widgets_check.py
"{mypy}" --strict --cache-dir "{cache}" tests_widgets_check.py
"""


def published() -> dict[str, object]:
    """Upstream: spec/ without our annotations, 'unknown' gone from people's hispanic_or_latino on create,
    and the widgets API."""
    served: dict[str, object] = {}
    for name, (api, version) in [*CONFIG.documents.items(), (WIDGETS[0], WIDGETS[1:])]:
        path = ROOT / "spec" / name
        document = update_spec.spec_diff.load_yaml(path.read_text()) if path.exists() else widget_document()
        if name == "people.yaml":
            attributes = document["components"]["schemas"]["PersonCreateAttributes"]["properties"]
            attributes["hispanic_or_latino"]["enum"].remove("unknown")
        served[f"/apis/casebook/{api}/{version}"] = strip_keys(document, frozenset(CONFIG.keep))
    return served


@dataclass
class Run:
    repo: Path
    code: int
    stdout: str
    outputs: dict[str, str]


def run_job(repo: Path, url: str, tmp: Path) -> Run:
    output = tmp / f"github-output-{len(list(tmp.glob('github-output-*')))}"
    done = subprocess.run(  # noqa: S603 - our own script
        [
            sys.executable,
            "scripts/spec_update_job.py",
            "--make",
            " ".join(make_command()),
            "--test-command",
            "sh check.sh",
            "--output",
            str(output),
        ],
        cwd=repo,
        env={**{k: v for k, v in os.environ.items() if k != "GITHUB_OUTPUT"}, "SWAGGERHUB_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )
    lines = output.read_text().splitlines() if output.exists() else []
    return Run(repo, done.returncode, done.stdout + done.stderr, dict(line.split("=", 1) for line in lines))


@pytest.fixture(scope="module")
def job(tmp_path_factory: pytest.TempPathFactory) -> Run:
    tmp = tmp_path_factory.mktemp("spec-update-job")
    repo = copy_repo(tmp / "repo")
    with (repo / "spec" / "upstream.toml").open("a") as config:
        config.write(f'"{WIDGETS[0]}" = {{ api = "{WIDGETS[1]}", version = "{WIDGETS[2]}" }}\n')
    shutil.copy(Path(__file__).with_name("widgets_check.py"), repo / "tests_widgets_check.py")
    cache = tmp / "mypy"
    if (ROOT / ".mypy_cache").is_dir():  # warm for the standard library and dependencies (~20 s cold)
        shutil.copytree(ROOT / ".mypy_cache", cache)
    (repo / "check.sh").write_text(
        TEST_STEP.format(python=sys.executable, mypy=VENV / "bin" / "mypy", cache=cache)
    )
    commit_all(repo, "the widgets API is published upstream")
    with registry(published()) as (url, _):
        first = run_job(repo, url, tmp)
        assert first.code == 0, first.stdout
        commit_all(repo, "what the job proposed")
        again = run_job(repo, url, tmp)
    assert again.code == 0, again.stdout
    assert again.outputs == {"changed": "false"}  # up to date: no pull request
    return first


def test_the_job_opens_a_pull_request_whose_body_is_the_report(job: Run) -> None:
    assert job.outputs == {
        "changed": "true",
        "breaking": "true",
        "tests": "passed",
        "title": "spec: upstream changes (1 breaking, 13 other)",
        "labels": "spec-update,breaking-change",
    }
    body = (job.repo / "build" / "spec-update-pr.md").read_text()
    assert body.startswith("## Spec changes: 1 breaking (0 acknowledged), 13 not breaking\n")
    breaking, rest = body.split("### Not breaking")
    assert (
        "| enum | `schema PersonCreateAttributes.hispanic_or_latino: enum value 'unknown' removed` |"
        in breaking
    )
    assert "| path | `path /widgets/widgets: added` | widgets.yaml |" in rest
    assert "- `make generate`: passed\n- `sh check.sh`: passed\n" in body


def test_the_new_service_works_through_cb_widgets_with_no_hand_edit(job: Run) -> None:
    assert "cb.widgets: sprocket ok" in job.stdout  # the test step: sandbox, then mypy --strict
    assert (job.repo / "generated" / "casebook_openapi" / "models" / "widget.py").exists()
    table = (job.repo / "casebook_async" / "_generated.py").read_text()
    assert "widgets: ResourceAPI[m.Widget, m.WidgetCreateAttributes, m.WidgetUpdateAttributes]" in table
    changed = set(git(job.repo, "diff", "--name-only", "HEAD~1", "--", "casebook_async", "spec").split())
    assert changed == {
        "casebook_async/_generated.py",
        "casebook_async/types.py",
        "spec/people.yaml",
        "spec/widgets.yaml",
    }
    assert "Widget" in (job.repo / "casebook_async" / "types.py").read_text()


def test_make_generate_twice_changes_nothing(job: Run) -> None:
    subprocess.run([*make_command(), "generate"], cwd=job.repo, check=True, capture_output=True)  # noqa: S603
    assert git(job.repo, "status", "--porcelain") == ""


def test_offline_the_job_fails_and_proposes_nothing(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path / "repo")
    failed = run_job(repo, closed_port_url(), tmp_path)
    assert failed.code != 0
    assert "update-spec: spec/ is unchanged." in failed.stdout
    assert "update-spec failed; nothing to propose" in failed.stdout
    assert failed.outputs == {}
    assert git(repo, "status", "--porcelain") == ""


def test_only_update_spec_is_given_the_swaggerhub_key(monkeypatch: pytest.MonkeyPatch) -> None:
    job = load_script("spec_update_job")
    monkeypatch.setenv(job.SECRET_VARIABLE, "sh-key-123")
    show = [sys.executable, "-c", f"import os; print(os.environ.get({job.SECRET_VARIABLE!r}))"]
    assert job.run(show) == (0, "None\n")  # make generate, make test: code built from fetched documents
    assert job.run(show, secret=True) == (0, "sh-key-123\n")
