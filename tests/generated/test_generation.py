"""`make generate` is deterministic and generated/ is exactly what it produces from spec/."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_generate_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("casebook_generate", ROOT / "scripts" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = load_generate_script()


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("regenerated") / "casebook_openapi"
    generate.generate(output)
    return output


def test_generated_package_is_fresh(fresh: Path) -> None:
    assert generate.differences(generate.TARGET, fresh) == []


def test_a_stale_file_is_reported(fresh: Path, tmp_path: Path) -> None:
    stale = tmp_path / "casebook_openapi"
    shutil.copytree(fresh, stale)
    models = stale / "models" / "person.py"
    models.write_text(models.read_text().replace("class Person:", "class Person:  # edited by hand"))
    (stale / "models" / "person_type.py").unlink()
    assert generate.differences(stale, fresh) == [
        "missing from generated/: models/person_type.py",
        "differs: models/person.py",
    ]


def test_bundling_refuses_conflicting_definitions() -> None:
    documents = generate.load_documents()
    assert "/people/people" in generate.bundle(documents)["paths"]
    clash = {**documents["people.yaml"], "paths": {}}
    clash["components"] = {"schemas": {"Person": {"type": "string"}}}
    with pytest.raises(generate.BundleError, match=r"components\.schemas\.Person"):
        generate.bundle({**documents, "zz-clash.yaml": clash})
    duplicate_path = {**documents["people.yaml"], "components": {}}
    with pytest.raises(generate.BundleError, match="/people/people"):
        generate.bundle({**documents, "zz-dup.yaml": duplicate_path})


def test_the_token_endpoint_stays_unauthenticated_in_the_bundle() -> None:
    bundled = generate.bundle(generate.load_documents())
    assert bundled["paths"]["/oauth/token"]["post"]["security"] == []
    assert bundled["paths"]["/people/people"]["get"]["security"] == [{"bearerAuth": []}]
