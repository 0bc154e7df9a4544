"""The package as a user gets it: an sdist, the wheel built from that sdist, and a fresh virtualenv that
gets the wheel alone, then with [cli], then with [cli,sandbox] - the README's tour and shell lines, the
version, and a one-line hint for each missing extra. uv installs from its cache, at the locked versions
(requirements/dev.txt as constraints): this is about the package, `make test-lowest` about the floors."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from .readme import check_sandbox_outputs, sandbox_commands, tour_script

ROOT = Path(__file__).resolve().parents[1]
UV = Path(sys.executable).with_name("uv")  # the dev group's
LOCKED = ROOT / "requirements" / "dev.txt"
VERSION = importlib.metadata.version("casebook-async")
TIMEOUT = 180
NOT_IN_THE_SDIST = (".gitignore",)


def run(*args: object, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603 - our own tools on our own files
        [str(a) for a in args], capture_output=True, text=True, timeout=TIMEOUT, cwd=cwd, check=False
    )
    if check:
        assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-2000:])
    return result


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    run(UV, "build", "--quiet", "--out-dir", out, ROOT)  # the sdist, then the wheel from the sdist
    return out


def test_the_sdist_holds_every_file_of_the_checkout_and_the_license(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.partition("/")[2] for name in archive.getnames()}
    assert {"LICENSE", "pyproject.toml", "README.md", "docs/bad-inputs.md", "Makefile"} <= names
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (this is the sdist itself): nothing to compare with")
    tracked = run("git", "-C", ROOT, "ls-files").stdout.splitlines()
    missing = [name for name in tracked if not name.startswith(NOT_IN_THE_SDIST) and name not in names]
    assert missing == []


def test_a_fresh_virtualenv_with_the_wheel_and_each_set_of_extras(dist: Path, tmp_path: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    assert wheel.name == f"casebook_async-{VERSION}-py3-none-any.whl"
    venv = tmp_path / "venv"
    run(UV, "venv", "--quiet", "--python", sys.executable, venv)
    python, casebook = venv / "bin" / "python", venv / "bin" / "casebook"

    def install(extras: str) -> None:
        requirement = f"casebook-async{extras} @ {wheel.as_uri()}"
        run(UV, "pip", "install", "--quiet", "--python", python, "-c", LOCKED, requirement)

    def hint(*args: str) -> str:
        result = run(casebook, *args, cwd=tmp_path, check=False)
        assert result.returncode == 1, (args, result.stderr)
        assert result.stdout == ""
        (line,) = result.stderr.splitlines()  # one line, not a traceback
        return line

    # The core alone: the library and its typed packages import; the command line names its extra.
    install("")
    check = (
        "import importlib.resources as r, casebook_async, casebook_openapi\n"
        f"assert casebook_async.__version__ == {VERSION!r}\n"
        "assert r.files('casebook_async').joinpath('py.typed').is_file()\n"
        "assert r.files('casebook_openapi').joinpath('py.typed').is_file()\n"
    )
    run(python, "-c", check)
    assert hint("--help").startswith("casebook: the command line needs the cli extra: ")
    assert "pip install 'casebook-async[cli]'" in hint("export", "people")

    # [cli]: the commands, the version, and a hint wherever the sandbox is needed.
    install("[cli]")
    assert run(casebook, "--version").stdout == f"casebook-async {VERSION}\n"
    (tmp_path / "in.jsonl").write_text('{"first_name": "A", "last_name": "B"}\n')
    for args, what in (
        (("export", "people", "--sandbox"), "--sandbox"),
        (("import", "people", "in.jsonl", "--sandbox"), "--sandbox"),
        (("demo",), "casebook demo"),
        (("sandbox", "--port", "0"), "casebook sandbox"),
    ):
        line = hint(*args)
        assert line.startswith(f"error: {what} needs the sandbox extra: ")
        assert "pip install 'casebook-async[sandbox]'" in line

    # [cli,sandbox]: the README's tour and its shell lines, from the wheel (the spec travels inside it).
    install("[cli,sandbox]")
    (tmp_path / "tour.py").write_text(tour_script())
    tour = run(python, "tour.py", cwd=tmp_path)
    assert tour.stdout.splitlines()[-1].startswith("{'created': 200, 'updated': 0, 'skipped': 0, 'failed': 0")
    for args in sandbox_commands():
        run(casebook, *args, cwd=tmp_path)
    check_sandbox_outputs(tmp_path)
