"""A service document added to spec/ becomes a working, type-checked ``cb.<type>`` after `make generate`,
with no hand edit; and generating twice changes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from ..upstream import ROOT, VENV_BIN, commit_all, copy_repo, git, make_command, widget_document

CHECK = Path(__file__).with_name("new_resource_check.py")


def run_widgets_check(repo: Path, cache: Path) -> str:
    """new_resource_check.py run and type-checked against the copy's casebook_async and generated/."""
    shutil.copy(CHECK, repo / "check_widgets.py")
    if (ROOT / ".mypy_cache").is_dir():  # warm for the standard library and dependencies (~20 s cold)
        shutil.copytree(ROOT / ".mypy_cache", cache)
    paths = os.pathsep.join([str(repo), str(repo / "generated")])
    env = {**os.environ, "PYTHONPATH": paths, "MYPYPATH": paths}
    ran = subprocess.run(
        [sys.executable, "check_widgets.py"], cwd=repo, env=env, capture_output=True, text=True, check=False
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    typed = subprocess.run(
        [VENV_BIN / "mypy", "--strict", "--cache-dir", str(cache), "check_widgets.py"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert typed.returncode == 0, typed.stdout + typed.stderr
    return ran.stdout


def test_a_new_service_document_is_a_typed_namespace_after_make_generate(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path / "repo")
    (repo / "spec" / "widgets.yaml").write_text(yaml.safe_dump(widget_document(), sort_keys=False))
    subprocess.run([*make_command(repo), "generate"], check=True, capture_output=True)
    table = (repo / "casebook_async" / "_generated.py").read_text()
    assert "widgets: ResourceAPI[m.Widget, m.WidgetCreateAttributes, m.WidgetUpdateAttributes]" in table
    assert run_widgets_check(repo, tmp_path / "mypy") == "cb.widgets: sprocket ok\n"

    commit_all(repo, "widgets")
    subprocess.run([*make_command(repo), "generate"], check=True, capture_output=True)
    assert git(repo, "status", "--porcelain") == ""
