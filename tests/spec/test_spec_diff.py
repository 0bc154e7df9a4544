"""`make spec-diff`: pairs of documents for each class of change, each classified breaking or not."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from ..upstream import ROOT, commit_all, git, load_script, widget_document

spec_diff = load_script("spec_diff")
Docs = dict[str, Any]
BASE: Docs = spec_diff.load_directory(ROOT / "spec")


def in_every_document(section: str, name: str) -> Callable[[Docs, Callable[[Any], None]], None]:
    """Apply an edit to a component wherever a document defines it (shared ones are repeated)."""

    def apply(docs: Docs, edit: Callable[[Any], None]) -> None:
        found = [
            doc["components"][section][name]
            for doc in docs.values()
            if name in doc["components"].get(section, {})
        ]
        assert found, name
        for node in found:
            edit(node)

    return apply


def schema(name: str) -> Callable[[Docs, Callable[[Any], None]], None]:
    return in_every_document("schemas", name)


def prop(schema_name: str, attribute: str) -> Callable[[Docs, Callable[[Any], None]], None]:
    def apply(docs: Docs, edit: Callable[[Any], None]) -> None:
        schema(schema_name)(docs, lambda s: edit(s["properties"][attribute]))

    return apply


def people_list(docs: Docs) -> Any:
    return docs["people.yaml"]["paths"]["/people/people"]["get"]


def edit(
    target: Callable[[Docs, Callable[[Any], None]], None], change: Callable[[Any], None]
) -> Callable[[Docs], None]:
    return lambda docs: target(docs, change)


def set_key(key: str, value: Any) -> Callable[[Any], None]:
    return lambda node: node.__setitem__(key, value)


# (id, edit of a copy of spec/, the changes expected: text -> breaking)
CASES: list[tuple[str, Callable[[Docs], None], dict[str, bool]]] = [
    (
        "a new service document: its paths and schemas are added, shared schemas are not",
        lambda docs: docs.__setitem__("widgets.yaml", widget_document()),
        {
            "path /widgets/widgets: added": False,
            "path /widgets/widgets/{id}: added": False,
            **{
                f"schema Widget{suffix}: added": False
                for suffix in (
                    "",
                    "Attributes",
                    "CollectionDocument",
                    "CreateAttributes",
                    "CreateData",
                    "CreateRequest",
                    "Document",
                    "Type",
                    "UpdateAttributes",
                    "UpdateData",
                    "UpdateRequest",
                )
            },
        },
    ),
    (
        "a path removed",
        lambda docs: docs["services.yaml"]["paths"].pop("/services/service_offerings/{id}"),
        {"path /services/service_offerings/{id}: removed": True},
    ),
    (
        "an operation removed",
        lambda docs: docs["people.yaml"]["paths"]["/people/people/{id}"].pop("delete"),
        {"DELETE /people/people/{id}: removed": True},
    ),
    (
        "an operation added",
        lambda docs: docs["people.yaml"]["paths"]["/people/people"].__setitem__(
            "put", copy.deepcopy(docs["people.yaml"]["paths"]["/people/people"]["post"])
        ),
        {"PUT /people/people: added": False},
    ),
    (
        "an optional and a required query parameter added",
        lambda docs: people_list(docs)["parameters"].extend(
            [
                {"name": "q", "in": "query", "schema": {"type": "string"}},
                {"name": "tenant", "in": "query", "required": True, "schema": {"type": "string"}},
            ]
        ),
        {
            "GET /people/people query parameter q: added": False,
            "GET /people/people query parameter tenant: added (required)": True,
        },
    ),
    (
        "a parameter removed",
        lambda docs: people_list(docs)["parameters"].pop(),  # sort
        {"GET /people/people query parameter sort: removed": True},
    ),
    (
        "a parameter made required, inline instead of a shared component",
        lambda docs: people_list(docs)["parameters"].__setitem__(
            -1, {**docs["people.yaml"]["components"]["parameters"]["Sort"], "required": True}
        ),
        {"GET /people/people query parameter sort: now required": True},
    ),
    (
        "a shared parameter's maximum lowered, then raised",
        edit(in_every_document("parameters", "PageSize"), lambda p: p["schema"].__setitem__("maximum", 50)),
        {"parameter PageSize: maximum 100 -> 50": True},
    ),
    (
        "a shared parameter's maximum raised",
        edit(in_every_document("parameters", "PageSize"), lambda p: p["schema"].__setitem__("maximum", 500)),
        {"parameter PageSize: maximum 100 -> 500": False},
    ),
    (
        "a success response removed, an error response added",
        lambda docs: (
            (responses := docs["people.yaml"]["paths"]["/people/people"]["post"]["responses"]).pop("201"),
            responses.__setitem__("404", {"$ref": "#/components/responses/NotFound"}),
        ),
        {"POST /people/people response 201: removed": True, "POST /people/people response 404: added": False},
    ),
    (
        "a response's schema replaced by another",
        lambda docs: docs["people.yaml"]["paths"]["/people/people/{id}"]["get"]["responses"]["200"][
            "content"
        ]["application/vnd.api+json"]["schema"].__setitem__(
            "$ref", "#/components/schemas/PersonCollectionDocument"
        ),
        {
            "GET /people/people/{id} response 200 application/vnd.api+json: "
            "type PersonDocument -> PersonCollectionDocument": True
        },
    ),
    (
        "a schema removed",
        lambda docs: docs["people.yaml"]["components"]["schemas"].pop("PersonCreateRequest"),
        {"schema PersonCreateRequest: removed": True},
    ),
    (
        "an attribute added to what the server returns",
        edit(
            schema("PersonAttributes"), lambda s: s["properties"].__setitem__("pronouns", {"type": "string"})
        ),
        {"schema PersonAttributes.pronouns: added": False},
    ),
    (
        "an attribute removed",
        edit(schema("PersonAttributes"), lambda s: s["properties"].pop("email")),
        {"schema PersonAttributes.email: removed": True},
    ),
    (
        "an enum narrowed where clients send it",
        edit(prop("PersonCreateAttributes", "hispanic_or_latino"), lambda p: p["enum"].remove("unknown")),
        {"schema PersonCreateAttributes.hispanic_or_latino: enum value 'unknown' removed": True},
    ),
    (
        "an enum narrowed only where the server answers",
        edit(prop("PersonAttributes", "hispanic_or_latino"), lambda p: p["enum"].remove("unknown")),
        {"schema PersonAttributes.hispanic_or_latino: enum value 'unknown' removed": False},
    ),
    (
        "an enum widened where the server answers: generated enums refuse unknown values",
        edit(prop("PersonAttributes", "hispanic_or_latino"), lambda p: p["enum"].append("declined")),
        {"schema PersonAttributes.hispanic_or_latino: enum value 'declined' added": True},
    ),
    (
        "an enum widened only where clients send it",
        edit(prop("PersonCreateAttributes", "hispanic_or_latino"), lambda p: p["enum"].append("declined")),
        {"schema PersonCreateAttributes.hispanic_or_latino: enum value 'declined' added": False},
    ),
    (
        "a newly required attribute on create",
        edit(schema("PersonCreateAttributes"), lambda s: s["required"].append("email")),
        {"schema PersonCreateAttributes: email now required": True},
    ),
    (
        "a member the server now always returns",
        edit(schema("PersonAttributes"), lambda s: s.__setitem__("required", ["email"])),
        {"schema PersonAttributes: email now required": False},
    ),
    (
        "a member of a response that may now be absent",
        edit(schema("Person"), lambda s: s["required"].remove("attributes")),
        {"schema Person: attributes no longer required": True},
    ),
    (
        "a type changed",
        edit(prop("PersonAttributes", "email"), set_key("type", "integer")),
        {"schema PersonAttributes.email: type string -> integer": True},
    ),
    (
        "a format changed",
        edit(prop("PersonAttributes", "date_of_birth"), set_key("format", "date-time")),
        {"schema PersonAttributes.date_of_birth: format date -> date-time": True},
    ),
    (
        "null newly possible in an answer",
        edit(prop("PersonAttributes", "last_name"), set_key("nullable", True)),
        {"schema PersonAttributes.last_name: now nullable": True},
    ),
    (
        "null newly accepted in a request",
        edit(prop("PersonUpdateAttributes", "last_name"), set_key("nullable", True)),
        {"schema PersonUpdateAttributes.last_name: now nullable": False},
    ),
    (
        "an attribute clients sent is now read-only",
        edit(prop("PersonCreateAttributes", "email"), set_key("readOnly", True)),
        {"schema PersonCreateAttributes.email: now read-only": True},
    ),
    (
        "a default changed",
        edit(prop("CaseCreateAttributes", "status"), set_key("default", "closed")),
        {"schema CaseCreateAttributes.status: default 'open' -> 'closed'": False},
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"), [(edit_, expected) for _, edit_, expected in CASES], ids=[c[0] for c in CASES]
)
def test_each_class_of_change_is_classified(
    change: Callable[[Docs], None], expected: dict[str, bool]
) -> None:
    new = copy.deepcopy(BASE)
    change(new)
    found = {c.text: c.breaking for c in spec_diff.compare(BASE, new)}
    assert found == expected


def test_descriptions_and_key_order_are_not_changes() -> None:
    new = copy.deepcopy(BASE)
    people = new["people.yaml"]
    people["components"]["schemas"]["PersonAttributes"]["properties"]["email"]["description"] = "Reworded."
    new["people.yaml"] = dict(reversed(list(people.items())))
    assert spec_diff.compare(BASE, new) == []


def test_a_shared_component_that_documents_disagree_on_is_reported() -> None:
    new = copy.deepcopy(BASE)
    new["people.yaml"]["components"]["schemas"]["ResourceIdentifier"]["properties"]["id"]["format"] = "uuid"
    changes = spec_diff.compare(BASE, new)
    assert [(c.kind, c.breaking, c.documents) for c in changes] == [("conflict", True, ("people.yaml",))]
    assert changes[0].text.startswith("schemas ResourceIdentifier: defined differently by attachments.yaml")


def write_documents(directory: Path, docs: Docs) -> Path:
    directory.mkdir(parents=True)
    for name, doc in docs.items():
        (directory / name).write_text(yaml.safe_dump(doc, sort_keys=False))
    return directory


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "scripts" / "spec_diff.py"), *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_unacknowledged_breaking_changes_fail_until_acknowledged(tmp_path: Path) -> None:
    new = copy.deepcopy(BASE)
    new["people.yaml"]["components"]["schemas"]["PersonAttributes"]["properties"].pop("email")
    new["people.yaml"]["components"]["schemas"]["PersonAttributes"]["properties"]["pronouns"] = {
        "type": "string"
    }
    old_dir, new_dir = write_documents(tmp_path / "old", BASE), write_documents(tmp_path / "new", new)
    acknowledged = tmp_path / "breaking-changes.toml"
    report, summary = tmp_path / "report.md", tmp_path / "report.json"
    common = [
        "--old",
        old_dir,
        "--new",
        new_dir,
        "--acknowledged",
        acknowledged,
        "--report",
        report,
        "--json",
        summary,
    ]

    failed = run_cli(*common)
    assert failed.returncode == 1, failed.stderr
    assert "1 breaking change(s) not acknowledged" in failed.stderr
    text = report.read_text()
    assert text == failed.stdout
    assert text.startswith("## Spec changes: 1 breaking (0 acknowledged), 1 not breaking\n")
    assert "### Breaking, not acknowledged" in text
    assert "| property | `schema PersonAttributes.email: removed` | people.yaml |" in text
    assert "| property | `schema PersonAttributes.pronouns: added` | people.yaml |" in text
    assert json.loads(summary.read_text())["unacknowledged"] == 1

    acknowledged.write_text(
        "[[acknowledged]]\n"
        'change = "schema PersonAttributes.email: removed"\nreason = "Upstream dropped it."\n\n'
        '[[acknowledged]]\nchange = "schema Person.type: removed"\nreason = "Never needed."\n'
    )
    passed = run_cli(*common)
    assert passed.returncode == 0, passed.stderr
    assert "| property | `schema PersonAttributes.email: removed` | Upstream dropped it. |" in passed.stdout
    assert "### Breaking, not acknowledged" not in passed.stdout
    assert "match no breaking change here\n\n- `schema Person.type: removed`" in passed.stdout  # stale

    acknowledged.write_text(
        '[[acknowledged]]\nchange = "schema PersonAttributes.email: removed"\nreason = " "\n'
    )
    refused = run_cli(*common)
    assert refused.returncode == 2
    assert "acknowledged[0] needs a change and a reason" in refused.stderr


def test_the_old_version_can_be_a_git_revision(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_documents(repo / "spec", {"people.yaml": BASE["people.yaml"]})
    git(repo, "init", "--quiet")
    commit_all(repo, "spec")
    people = copy.deepcopy(BASE["people.yaml"])
    people["paths"].pop("/people/people/{id}")
    (repo / "spec" / "people.yaml").write_text(yaml.safe_dump(people))
    assert spec_diff.load_revision("HEAD", repo) == {"people.yaml": BASE["people.yaml"]}
    with pytest.raises(spec_diff.SpecDiffError, match="git ls-tree"):
        spec_diff.load_revision("no-such-revision", repo)
