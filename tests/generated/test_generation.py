"""`make generate` is deterministic and generated/ is exactly what it produces from spec/."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest

from casebook_async._generated import RESOURCES
from casebook_async.resources import RelationshipSpec

from ..upstream import load_script

generate = load_script("generate")


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


def test_the_facade_modules_are_fresh(fresh: Path) -> None:
    facade = generate.modules(generate.load_documents(), fresh)
    assert set(facade) == {generate.RESOURCE_MODULE, generate.TYPES_MODULE}
    assert generate.stale_modules(facade) == []


def test_relationships_come_from_the_spec() -> None:
    relationships = {name: spec.relationships for name, spec in RESOURCES.items()}
    assert relationships["providers"]["locations"] == RelationshipSpec(
        "locations", to_many=True, target="locations", attribute="location_ids"
    )
    assert relationships["locations"]["provider"] == RelationshipSpec(
        "provider", to_many=False, target="providers", attribute="provider_id"
    )
    # Reverse: written only through goals.case_id.
    assert relationships["cases"]["goals"] == RelationshipSpec(
        "goals", to_many=True, target="goals", attribute=None
    )
    assert relationships["notes"] == {}


@pytest.mark.parametrize("type_", ["http", "aclose", "no-dash", "class", "_private"])
def test_a_type_that_cannot_be_an_attribute_is_refused(fresh: Path, type_: str) -> None:
    documents = generate.load_documents()
    attachments = copy.deepcopy(documents["attachments.yaml"])
    attachments["components"]["schemas"]["NoteType"]["enum"] = [type_]  # nothing links to notes
    with pytest.raises(generate.BundleError, match=f"JSON:API type '{type_}' .* cannot be an attribute"):
        generate.resource_module({**documents, "attachments.yaml": attachments}, fresh)


def test_a_resource_without_its_generated_models_is_refused(tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    (models / "__init__.py").write_text('__all__ = ("Person", "PersonCreateAttributes")\n')
    with pytest.raises(generate.BundleError, match="no generated model named PersonUpdateAttributes"):
        generate.resource_module({"people.yaml": generate.load_documents()["people.yaml"]}, tmp_path)
