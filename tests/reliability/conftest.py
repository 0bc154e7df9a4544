"""Fixtures for reliability tests: the soak script loaded as a module, so `make test` runs the same code
(and the same audit) as `make soak`, only smaller."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SOAK_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "soak.py"


def load_soak() -> ModuleType:
    if "casebook_soak" in sys.modules:
        return sys.modules["casebook_soak"]
    spec = importlib.util.spec_from_file_location("casebook_soak", SOAK_SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["casebook_soak"] = module  # dataclasses resolve their module through sys.modules
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def soak_module() -> ModuleType:
    return load_soak()
