"""`make update-spec`: fetch from a loopback server shaped like SwaggerHub's registry API, keep our
annotations, normalise, write only what changed, and change nothing when anything fails."""

from __future__ import annotations

import copy
import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from ..upstream import ROOT, closed_port_url, load_script, registry, strip_keys

update_spec = load_script("update_spec")
spec_diff = load_script("spec_diff")
load_yaml = spec_diff.load_yaml
CONFIG = update_spec.load_config(ROOT / "spec" / "upstream.toml")
OURS = frozenset(CONFIG.keep)


PUBLISHED = {
    f"/apis/{CONFIG.owner}/{api}/{version}": strip_keys(load_yaml((ROOT / "spec" / name).read_text()), OURS)
    for name, (api, version) in CONFIG.documents.items()
}


def upstream_documents() -> dict[str, Any]:
    """What the registry serves: spec/ as upstream would publish it (none of our annotations)."""
    return copy.deepcopy(PUBLISHED)


@pytest.fixture
def spec_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ROOT / "spec", tmp_path / "spec"))


def snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(directory.iterdir())}


def run(spec_dir: Path, base_url: str, *extra: str) -> int:
    report = spec_dir.parent / "build" / "spec-report.md"
    arguments = ["--spec-dir", str(spec_dir), "--base-url", base_url, "--report", str(report), *extra]
    return int(update_spec.main(arguments))


def test_an_unchanged_upstream_changes_nothing(
    spec_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(spec_dir)
    monkeypatch.setenv("SWAGGERHUB_API_KEY", "sh-key-123")
    with registry(upstream_documents()) as (url, requests):
        assert run(spec_dir, url) == 0
    assert sorted(requests) == sorted(
        (f"/apis/casebook/{api}/{version}?resolved=true", "sh-key-123")
        for api, version in CONFIG.documents.values()
    )
    # Every x-inferred, role and foreign key came back from our documents: nothing to write.
    assert snapshot(spec_dir) == before
    out = capsys.readouterr().out
    assert "people.yaml          unchanged  casebook/cbp-people-api/1.0.0" in out
    assert "kept as they are (not in upstream.toml): breaking-changes.toml" not in out
    assert "kept as they are (not in upstream.toml): oauth.yaml" in out
    assert "## Spec changes: 0 breaking (0 acknowledged), 0 not breaking" in out
    assert "sh-key-123" not in out
    assert run(spec_dir, "http://registry.example.org") == 2  # the key never travels in clear text
    assert "base URL must be https (plain http only on loopback)" in capsys.readouterr().err


def test_a_changed_document_is_written_normalised_with_our_annotations(
    spec_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    served = upstream_documents()
    upstream_people = served["/apis/casebook/cbp-people-api/1.0.0"]
    people = load_yaml((ROOT / "spec" / "people.yaml").read_text())  # what we expect: ours, edited
    for document in (upstream_people, people):
        attributes = document["components"]["schemas"]["PersonAttributes"]["properties"]
        attributes.pop("email")
        attributes["pronouns"] = {"type": "string", "nullable": True}
        attributes["date_of_birth"]["x-inferred"] = False  # upstream says something: upstream wins
    before = snapshot(spec_dir)
    with registry(served) as (url, _):
        assert run(spec_dir, url) == 0
    after = snapshot(spec_dir)
    assert [name for name in after if after[name] != before[name]] == ["people.yaml"]

    written = (spec_dir / "people.yaml").read_text()
    assert load_yaml(written) == people
    assert written == update_spec.dump(update_spec.normalise(people))
    assert list(load_yaml(written)) == [
        "openapi",
        "info",
        "servers",
        "tags",
        "security",
        "paths",
        "components",
    ]
    assert list(load_yaml(written)["components"]["schemas"]["PersonAttributes"]["properties"])[-1] == (
        "pronouns"  # properties keep upstream's order: the generated models' field order
    )
    out = capsys.readouterr().out
    assert "people.yaml          changed    casebook/cbp-people-api/1.0.0" in out
    assert "| property | `schema PersonAttributes.email: removed` | people.yaml |" in out
    report = (spec_dir.parent / "build" / "spec-report.md").read_text()
    assert report.startswith("## Spec changes: 1 breaking (0 acknowledged), 1 not breaking")
    assert report in out

    with registry(served) as (url, requests):
        monkeypatch.setenv("SWAGGERHUB_URL", url)  # the base URL from the environment this time
        assert update_spec.main(["--spec-dir", str(spec_dir), "--report", str(spec_dir.parent / "r.md")]) == 0
    assert len(requests) == len(CONFIG.documents)
    assert snapshot(spec_dir) == after  # fetched again: unchanged, not rewritten


def test_offline_it_fails_clearly_and_changes_nothing(
    spec_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(spec_dir)
    url = closed_port_url()
    assert run(spec_dir, url) == 2
    error = capsys.readouterr().err
    assert f"cannot reach {url}/apis/casebook/cbp-attachments-api/1.0.0?resolved=true: ConnectError" in error
    assert error.endswith("update-spec: spec/ is unchanged.\n")
    assert snapshot(spec_dir) == before
    assert not (spec_dir.parent / "build").exists()


@pytest.mark.parametrize(
    ("serve", "message"),
    [
        (lambda docs: docs.pop("/apis/casebook/cbp-workflows-api/1.0.0"), "answered 404"),
        (
            lambda docs: docs["/apis/casebook/cbp-workflows-api/1.0.0"].update(openapi="2.0"),
            "not an OpenAPI 3",
        ),
        (lambda docs: docs["/apis/casebook/cbp-workflows-api/1.0.0"].pop("paths"), "not a valid OpenAPI"),
    ],
    ids=["missing", "swagger 2", "invalid"],
)
def test_one_bad_document_writes_none(
    spec_dir: Path, serve: Any, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    served = upstream_documents()
    served["/apis/casebook/cbp-people-api/1.0.0"]["paths"].pop("/people/people/{id}")  # would be written
    serve(served)
    before = snapshot(spec_dir)
    with registry(served) as (url, _):
        assert run(spec_dir, url) == 2
    assert message in capsys.readouterr().err
    assert snapshot(spec_dir) == before


def shuffled(node: Any, rng: random.Random, key: str | None = None) -> Any:
    """Every mapping in another order, but `properties` (upstream's order there is kept on purpose)."""
    if isinstance(node, dict):
        items = [(k, shuffled(v, rng, k)) for k, v in node.items()]
        if key != "properties":
            rng.shuffle(items)
        return dict(items)
    if isinstance(node, list):
        return [shuffled(v, rng) for v in node]
    return node


def test_normalising_ignores_upstream_key_order_but_keeps_attribute_order() -> None:
    document = load_yaml((ROOT / "spec" / "providers.yaml").read_text())
    normal = update_spec.dump(update_spec.normalise(document))
    rng = random.Random(7)
    for _ in range(3):
        assert update_spec.dump(update_spec.normalise(shuffled(document, rng))) == normal
    normalised = load_yaml(normal)
    assert normalised == document
    assert list(normalised["paths"]) == sorted(document["paths"])
    attributes = normalised["components"]["schemas"]["ProviderAttributes"]["properties"]
    assert list(attributes) == list(document["components"]["schemas"]["ProviderAttributes"]["properties"])
    operation = normalised["paths"]["/providers/providers"]["post"]
    assert list(operation)[:2] == ["operationId", "tags"]
    assert list(operation)[-2:] == ["responses", "x-casebook-roles"]


def test_annotations_are_restored_only_where_upstream_is_silent() -> None:
    ours = {
        "x-inferred": True,
        "parameters": [
            {"name": "a", "in": "query", "x-inferred": True},
            {"$ref": "#/p", "x-foreign-key": "t"},
        ],
        "properties": {"gone": {"type": "string", "x-inferred": True}, "kept": {"x-inferred": True}},
    }
    theirs = {
        "parameters": [{"$ref": "#/p"}, {"name": "b", "in": "query"}, {"name": "a", "in": "query"}],
        "properties": {"kept": {"type": "integer", "x-inferred": False}, "new": {"type": "string"}},
    }
    assert update_spec.keep_annotations(ours, copy.deepcopy(theirs), ("x-inferred", "x-foreign-key")) == {
        "parameters": [
            {"$ref": "#/p", "x-foreign-key": "t"},
            {"name": "b", "in": "query"},
            {"name": "a", "in": "query", "x-inferred": True},
        ],
        "properties": {"kept": {"type": "integer", "x-inferred": False}, "new": {"type": "string"}},
        "x-inferred": True,
    }


def test_the_config_names_a_file_per_api(tmp_path: Path) -> None:
    assert CONFIG.owner == "casebook"
    assert CONFIG.keep[0] == "x-inferred"
    assert set(CONFIG.documents) <= {p.name for p in (ROOT / "spec").glob("*.yaml")}
    assert "oauth.yaml" not in CONFIG.documents
    bad = tmp_path / "upstream.toml"
    bad.write_text('[swaggerhub]\nowner = "o"\n[documents]\n"../x.yaml" = { api = "a", version = "1" }\n')
    with pytest.raises(update_spec.UpdateError, match="must be a file name in spec/"):
        update_spec.load_config(bad)


def test_a_new_document_takes_our_annotations_of_the_components_it_shares() -> None:
    current = {name: load_yaml((ROOT / "spec" / name).read_text()) for name in ("people.yaml", "cases.yaml")}
    new = {
        "components": {
            "parameters": {
                "PageSize": strip_keys(current["people.yaml"], OURS)["components"]["parameters"]["PageSize"]
            }
        }
    }
    source = update_spec.annotation_source("widgets.yaml", current)
    restored = update_spec.keep_annotations(source, new, CONFIG.keep)
    assert (
        restored["components"]["parameters"]["PageSize"]
        == current["people.yaml"]["components"]["parameters"]["PageSize"]
    )
