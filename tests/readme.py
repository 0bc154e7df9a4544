"""The README's runnable examples, for the tests that run them (in this checkout and from a built wheel)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def tour_script() -> str:
    """The one ```python block: the five-minute tour."""
    (block,) = re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
    return block


def sandbox_commands() -> list[list[str]]:
    """The README's ``$ casebook ...`` lines that run on an embedded sandbox (``--sandbox``, ``demo``), in
    order, as argument lists without the leading ``casebook``."""
    commands = []
    for block in re.findall(r"```console\n(.*?)```", README.read_text(), re.DOTALL):
        for line in block.splitlines():
            if line.startswith("$ casebook "):
                args = shlex.split(line.removeprefix("$ casebook "), comments=True)
                if "--sandbox" in args or args == ["demo"]:
                    commands.append(args)
    return commands


def check_sandbox_outputs(folder: Path) -> None:
    """What the sandbox commands left in ``folder`` (their working directory)."""
    does = (folder / "does.csv").read_text().splitlines()
    assert does[0].startswith("id,first_name,")
    assert len(does) > 1
    assert all(",Doe" in row for row in does[1:])
    assert len((folder / "people.jsonl").read_text().splitlines()) == 100
