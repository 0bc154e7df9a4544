"""What changed between two versions of spec/, and what it breaks for a client (`make spec-diff`).

Compares the documents as one API (paths and components merged across the per-service documents, so a
schema every document repeats is reported once) and lists paths, operations, parameters, request bodies,
responses, schemas, properties, enum values, required lists, types and constraints added, removed or
changed. Each change is breaking or not for a client, judged by where the schema is used: a newly
required property breaks requests, a property that may now be absent breaks responses, an enum value
removed breaks what a client may send, one added breaks what a client may receive (the generated enums
refuse values they do not know). Descriptions and key order are not changes.

The markdown report is the body of the spec-update pull request. The exit status is 1 when a breaking
change is not acknowledged in spec/breaking-changes.toml (the change's text and a reason), 2 on an error.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = ROOT / "spec"
ACKNOWLEDGED = SPEC_DIR / "breaking-changes.toml"
METHODS = ("get", "put", "post", "patch", "delete", "head", "options", "trace")
REQUEST, RESPONSE = "request", "response"
JSON = dict[str, Any]
# libyaml's loader is ~10x faster than the pure-Python one, which stays the fallback.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader


class SpecDiffError(Exception):
    pass


@dataclass(frozen=True)
class Change:
    kind: str  # path, operation, parameter, request body, response, schema, property, type, enum, ...
    where: str  # e.g. "schema PersonAttributes.email", "GET /people/people query parameter sort"
    what: str  # e.g. "removed", "type string -> integer", "enum value 'unknown' removed"
    breaking: bool
    documents: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """How the report prints it, and how spec/breaking-changes.toml acknowledges it."""
        return f"{self.where}: {self.what}"


@dataclass
class API:
    """The documents of one version of spec/, merged: paths and components by name, with their files."""

    paths: dict[str, JSON] = field(default_factory=dict)
    components: dict[str, dict[str, Any]] = field(default_factory=dict)
    origins: dict[str, set[str]] = field(default_factory=dict)  # "path /x" or "schemas X" -> files
    conflicts: list[Change] = field(default_factory=list)

    @classmethod
    def merge(cls, documents: Mapping[str, JSON]) -> API:
        api = cls()
        for name, doc in sorted(documents.items()):
            for path, item in (doc.get("paths") or {}).items():
                api.paths.setdefault(path, item)
                api.origins.setdefault(f"path {path}", set()).add(name)
            for section, entries in (doc.get("components") or {}).items():
                target = api.components.setdefault(section, {})
                for key, value in (entries or {}).items():
                    origin = api.origins.setdefault(f"{section} {key}", set())
                    if key in target and target[key] != value:
                        where = f"{section} {key}"
                        what = f"defined differently by {', '.join(sorted(origin))} and {name}"
                        api.conflicts.append(Change("conflict", where, what, True, (name,)))
                    target.setdefault(key, value)
                    origin.add(name)
        return api

    def resolve(self, node: Any) -> Any:
        """Follow local $refs (#/components/<section>/<name>); a dangling one is left as it is."""
        for _ in range(32):  # a cycle of bare refs cannot hang the report
            if not isinstance(node, dict) or "$ref" not in node:
                return node
            section, name = _ref(node["$ref"])
            if name not in self.components.get(section, {}):
                return node
            node = self.components[section][name]
        return node

    def operations(self) -> Iterator[tuple[str, str, JSON, JSON]]:
        for path, item in self.paths.items():
            for method in METHODS:
                if isinstance(item.get(method), dict):
                    yield path, method, item, item[method]

    def schema_usage(self) -> dict[str, set[str]]:
        """For each component schema, whether requests, responses or both use it (an unused one: both)."""
        roots: dict[str, list[Any]] = {REQUEST: [], RESPONSE: []}
        for _, _, item, operation in self.operations():
            for parameter in [*item.get("parameters", []), *operation.get("parameters", [])]:
                roots[REQUEST].append(self.resolve(parameter).get("schema"))
            body = self.resolve(operation.get("requestBody") or {})
            roots[REQUEST].extend(media.get("schema") for media in (body.get("content") or {}).values())
            for response in (operation.get("responses") or {}).values():
                content = self.resolve(response).get("content") or {}
                roots[RESPONSE].extend(media.get("schema") for media in content.values())
        usage: dict[str, set[str]] = {}
        for direction, nodes in roots.items():
            seen: set[str] = set()
            stack = list(nodes)
            while stack:
                node = stack.pop()
                for name in _schema_refs(node):
                    if name not in seen:
                        seen.add(name)
                        usage.setdefault(name, set()).add(direction)
                        stack.append(self.components.get("schemas", {}).get(name))
        return usage


def _ref(ref: str) -> tuple[str, str]:
    parts = ref.removeprefix("#/components/").split("/")
    return (parts[0], parts[1]) if len(parts) == 2 and ref.startswith("#/components/") else ("", ref)


def _schema_refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                section, name = _ref(value)
                if section == "schemas":
                    yield name
            else:
                yield from _schema_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schema_refs(value)


# Constraints: which way is tighter. A tighter constraint breaks requests; a looser one breaks nothing.
_UPPER = ("maximum", "maxLength", "maxItems")
_LOWER = ("minimum", "minLength", "minItems")


class Comparison:
    def __init__(self, old: API, new: API) -> None:
        self.old, self.new = old, new
        old_usage, new_usage = old.schema_usage(), new.schema_usage()
        names = set(old.components.get("schemas", {})) | set(new.components.get("schemas", {}))
        self.usage = {
            name: (old_usage.get(name, set()) | new_usage.get(name, set())) or {REQUEST, RESPONSE}
            for name in names
        }
        self.changes: list[Change] = []
        self._origin = ""

    def add(self, kind: str, where: str, what: str, breaking: bool) -> None:
        documents = self.new.origins.get(self._origin) or self.old.origins.get(self._origin) or set()
        self.changes.append(Change(kind, where, what, breaking, tuple(sorted(documents))))

    def matched(
        self,
        kind: str,
        old: Mapping[Any, Any],
        new: Mapping[Any, Any],
        where: Callable[[Any], str],
        origin: Callable[[Any], str] | None = None,
    ) -> Iterator[tuple[Any, str, Any, Any]]:
        """Report what only one side has (removed: breaking; added: not); yield what both have.
        ``origin`` names the entry whose documents the changes are reported with."""
        for key in _keys(old, new):
            if origin is not None:
                self._origin = origin(key)
            before, after = old.get(key), new.get(key)
            if before is None and after is None:
                continue
            if before is None or after is None:
                self.add(kind, where(key), "added" if before is None else "removed", after is None)
            else:
                yield key, where(key), before, after

    def run(self) -> list[Change]:
        self._paths()
        self._named("parameters", "parameter", {REQUEST}, self._parameter)
        self._named("responses", "response", {RESPONSE}, self._response)
        self._named("requestBodies", "request body", {REQUEST}, self._request_body)
        self._named("schemas", "schema", set(), self._schema)
        return _merge_documents([*self.changes, *self.new.conflicts])

    def _named(self, section: str, kind: str, directions: set[str], compare: Any) -> None:
        """Components, compared once by name (operations that refer to them by $ref skip them);
        schemas by where they are used."""
        old, new = self.old.components.get(section) or {}, self.new.components.get(section) or {}
        for name, where, before, after in self.matched(
            kind, old, new, lambda name: f"{kind} {name}", lambda name: f"{section} {name}"
        ):
            compare(before, after, where, directions or self.usage[name])

    def _paths(self) -> None:
        paths = self.matched(
            "path", self.old.paths, self.new.paths, lambda path: f"path {path}", lambda path: f"path {path}"
        )
        for path, _, old, new in paths:
            old_ops, new_ops = ({m.upper(): item.get(m) for m in METHODS} for item in (old, new))
            for _, where, old_op, new_op in self.matched(
                "operation", old_ops, new_ops, lambda method, path=path: f"{method} {path}"
            ):
                self._operation(old, new, old_op, new_op, where)

    def _operation(self, old_item: JSON, new_item: JSON, old: JSON, new: JSON, where: str) -> None:
        old_params, new_params = (
            self._parameters(self.old, old_item, old),
            self._parameters(self.new, new_item, new),
        )
        for key in _keys(old_params, new_params):
            place = f"{where} {key[0]} parameter {key[1]}"
            before, after = old_params.get(key), new_params.get(key)
            if before is None:
                required = bool(self.new.resolve(after).get("required"))
                self.add("parameter", place, "added (required)" if required else "added", required)
            elif after is None:
                self.add("parameter", place, "removed", True)
            elif not _same_ref(before, after):
                self._parameter(self.old.resolve(before), self.new.resolve(after), place, {REQUEST})
        old_body, new_body = old.get("requestBody"), new.get("requestBody")
        if old_body is None and new_body is not None:
            required = bool(self.new.resolve(new_body).get("required"))
            self.add("request body", f"{where} request body", "added", required)
        elif old_body is not None and new_body is None:
            self.add("request body", f"{where} request body", "removed", True)
        elif old_body is not None and not _same_ref(old_body, new_body):
            place = f"{where} request body"
            self._request_body(self.old.resolve(old_body), self.new.resolve(new_body), place, {REQUEST})
        old_responses, new_responses = old.get("responses") or {}, new.get("responses") or {}
        for status in _keys(old_responses, new_responses):
            place = f"{where} response {status}"
            before, after = old_responses.get(status), new_responses.get(status)
            success = str(status).startswith("2")
            if before is None or after is None:
                # A success answer that disappears breaks a client; a documented error less does not.
                self.add(
                    "response", place, "added" if before is None else "removed", after is None and success
                )
            elif not _same_ref(before, after):
                self._response(self.old.resolve(before), self.new.resolve(after), place, {RESPONSE})
        if old.get("security") != new.get("security"):
            self.add("security", where, "security requirements changed", True)

    @staticmethod
    def _parameters(api: API, item: JSON, operation: JSON) -> dict[tuple[str, str], Any]:
        found: dict[tuple[str, str], Any] = {}
        for parameter in [*item.get("parameters", []), *operation.get("parameters", [])]:
            resolved = api.resolve(parameter)
            found[(str(resolved.get("in")), str(resolved.get("name")))] = parameter
        return found

    def _parameter(self, old: JSON, new: JSON, where: str, directions: set[str]) -> None:
        if not old.get("required") and new.get("required"):
            self.add("parameter", where, "now required", True)
        elif old.get("required") and not new.get("required"):
            self.add("parameter", where, "no longer required", False)
        if (old.get("in"), old.get("name")) != (new.get("in"), new.get("name")):
            self.add("parameter", where, f"now {new.get('in')} parameter {new.get('name')}", True)
        if old.get("style") != new.get("style") or old.get("explode") != new.get("explode"):
            self.add("parameter", where, "serialisation (style/explode) changed", True)
        self._schema(old.get("schema") or {}, new.get("schema") or {}, where, directions)

    def _request_body(self, old: JSON, new: JSON, where: str, directions: set[str]) -> None:
        if not old.get("required") and new.get("required"):
            self.add("request body", where, "now required", True)
        self._content(old, new, where, directions)

    def _response(self, old: JSON, new: JSON, where: str, directions: set[str]) -> None:
        self._content(old, new, where, directions)

    def _content(self, old: JSON, new: JSON, where: str, directions: set[str]) -> None:
        pairs = self.matched(
            "media type", old.get("content") or {}, new.get("content") or {}, lambda media: f"{where} {media}"
        )
        for _, place, before, after in pairs:
            self._schema(before.get("schema") or {}, after.get("schema") or {}, place, directions)

    def _schema(self, old: Any, new: Any, where: str, directions: set[str], depth: int = 0) -> None:
        if depth > 16 or not isinstance(old, dict) or not isinstance(new, dict):
            return
        if "$ref" in old or "$ref" in new:
            if "$ref" in old and "$ref" in new:
                if old["$ref"] != new["$ref"]:
                    what = f"type {_ref(old['$ref'])[1]} -> {_ref(new['$ref'])[1]}"
                    self.add("type", where, what, True)
                return  # the same component: compared once, under its own name
            old, new = self.old.resolve(old), self.new.resolve(new)  # inline <-> $ref: compare content
            return self._schema(old, new, where, directions, depth + 1)
        request, response = REQUEST in directions, RESPONSE in directions
        for key in ("type", "format"):
            if old.get(key) != new.get(key):
                self.add(
                    "type", where, f"{key} {old.get(key) or '(none)'} -> {new.get(key) or '(none)'}", True
                )
        if bool(old.get("nullable")) != bool(new.get("nullable")):
            # null newly possible breaks readers; null no longer accepted breaks writers.
            added = bool(new.get("nullable"))
            self.add(
                "type",
                where,
                "now nullable" if added else "no longer nullable",
                response if added else request,
            )
        if not old.get("readOnly") and new.get("readOnly"):
            self.add("property", where, "now read-only", request)
        self._enum(old, new, where, request, response)
        self._constraints(old, new, where, request)
        if old.get("default") != new.get("default"):
            self.add("default", where, f"default {old.get('default')!r} -> {new.get('default')!r}", False)
        if old.get("additionalProperties", True) is not False and new.get("additionalProperties") is False:
            self.add("property", where, "additional properties no longer allowed", request)
        old_required, new_required = set(old.get("required") or ()), set(new.get("required") or ())
        for name in sorted(new_required - old_required):
            self.add("required", where, f"{name} now required", request)
        for name in sorted(old_required - new_required):
            self.add("required", where, f"{name} no longer required", response)
        properties = self.matched(
            "property",
            old.get("properties") or {},
            new.get("properties") or {},
            lambda name: f"{where}.{name}",
        )
        for _, place, before, after in properties:
            self._schema(before, after, place, directions, depth + 1)
        if "items" in old or "items" in new:
            self._schema(old.get("items") or {}, new.get("items") or {}, f"{where}[]", directions, depth + 1)
        for key in ("allOf", "oneOf", "anyOf"):
            before, after = old.get(key) or [], new.get(key) or []
            if len(before) != len(after):
                self.add("type", where, f"{key} has {len(after)} schemas, had {len(before)}", True)
            for index, (a, b) in enumerate(zip(before, after, strict=False)):
                self._schema(a, b, f"{where}.{key}[{index}]", directions, depth + 1)

    def _enum(self, old: JSON, new: JSON, where: str, request: bool, response: bool) -> None:
        if "enum" not in old and "enum" not in new:
            return
        if "enum" not in new:
            self.add("enum", where, "no longer an enum", response)
            return
        if "enum" not in old:
            self.add("enum", where, f"now an enum of {new['enum']!r}", request)
            return
        for value in [v for v in old["enum"] if v not in new["enum"]]:
            self.add("enum", where, f"enum value {value!r} removed", request)
        for value in [v for v in new["enum"] if v not in old["enum"]]:
            self.add("enum", where, f"enum value {value!r} added", response)

    def _constraints(self, old: JSON, new: JSON, where: str, request: bool) -> None:
        for key in (*_UPPER, *_LOWER, "pattern"):
            before, after = old.get(key), new.get(key)
            if before == after:
                continue
            if key == "pattern" or before is None or after is None:
                tighter = after is not None
            else:
                tighter = after < before if key in _UPPER else after > before
            self.add("constraint", where, f"{key} {before} -> {after}", tighter and request)


def _keys(*mappings: Any) -> list[Any]:
    """Keys of all mappings, in first-seen order (the report follows the documents)."""
    seen: dict[Any, None] = {}
    for mapping in mappings:
        seen.update(dict.fromkeys(mapping or {}))
    return list(seen)


def _same_ref(old: Any, new: Any) -> bool:
    """Both refer to the same component, which is compared once under its own name."""
    return (
        isinstance(old, dict)
        and isinstance(new, dict)
        and "$ref" in old
        and old.get("$ref") == new.get("$ref")
    )


def _merge_documents(changes: list[Change]) -> list[Change]:
    merged: dict[str, Change] = {}
    for change in changes:
        seen = merged.get(change.text)
        if seen is None:
            merged[change.text] = change
        else:
            documents = tuple(sorted({*seen.documents, *change.documents}))
            merged[change.text] = Change(seen.kind, seen.where, seen.what, seen.breaking, documents)
    return list(merged.values())


def compare(old: Mapping[str, JSON], new: Mapping[str, JSON]) -> list[Change]:
    """Every change from the old documents to the new ones (both by file name)."""
    return Comparison(API.merge(old), API.merge(new)).run()


@dataclass(frozen=True)
class Acknowledgement:
    change: str
    reason: str


def load_acknowledgements(path: Path) -> list[Acknowledgement]:
    if not path.exists():
        return []
    try:
        entries = tomllib.loads(path.read_text()).get("acknowledged", [])
    except tomllib.TOMLDecodeError as exc:
        raise SpecDiffError(f"{path}: {exc}") from None
    found = []
    for index, entry in enumerate(entries):
        change, reason = entry.get("change"), entry.get("reason")
        if not isinstance(change, str) or not isinstance(reason, str) or not reason.strip():
            raise SpecDiffError(f"{path}: acknowledged[{index}] needs a change and a reason (both text)")
        found.append(Acknowledgement(change, reason.strip()))
    return found


@dataclass
class Report:
    changes: list[Change]
    acknowledgements: list[Acknowledgement]
    old_label: str
    new_label: str

    @property
    def reasons(self) -> dict[str, str]:
        return {a.change: a.reason for a in self.acknowledgements}

    @property
    def unacknowledged(self) -> list[Change]:
        return [c for c in self.changes if c.breaking and c.text not in self.reasons]

    @property
    def stale(self) -> list[Acknowledgement]:
        texts = {c.text for c in self.changes if c.breaking}
        return [a for a in self.acknowledgements if a.change not in texts]

    def summary(self) -> JSON:
        breaking = [c for c in self.changes if c.breaking]
        return {
            "changes": len(self.changes),
            "breaking": len(breaking),
            "unacknowledged": len(self.unacknowledged),
            "items": [
                {
                    "kind": c.kind,
                    "change": c.text,
                    "breaking": c.breaking,
                    "acknowledged": c.text in self.reasons,
                    "documents": list(c.documents),
                }
                for c in self.changes
            ],
        }

    def markdown(self) -> str:
        breaking = [c for c in self.changes if c.breaking]
        acknowledged = [c for c in breaking if c.text in self.reasons]
        lines = [
            f"## Spec changes: {len(breaking)} breaking ({len(acknowledged)} acknowledged), "
            f"{len(self.changes) - len(breaking)} not breaking",
            "",
            f"From `{self.old_label}` to `{self.new_label}`.",
        ]
        if not self.changes:
            lines += ["", "No change to paths, operations, parameters, schemas, enum values or types."]
        if self.unacknowledged:
            lines += [
                "",
                "### Breaking, not acknowledged",
                "",
                "Code written against the old documents can fail. For each: adapt the facade, flows and "
                "tests (or ask upstream), plan the release note and version bump, then add it to "
                "`spec/breaking-changes.toml` with the reason; `make spec-diff` passes once all are there.",
                "",
                *_table(self.unacknowledged, "documents", lambda c: ", ".join(c.documents)),
            ]
        if acknowledged:
            lines += ["", "### Breaking, acknowledged", ""]
            lines += _table(acknowledged, "reason", lambda c: self.reasons[c.text])
        not_breaking = [c for c in self.changes if not c.breaking]
        if not_breaking:
            lines += ["", "### Not breaking", ""]
            lines += _table(not_breaking, "documents", lambda c: ", ".join(c.documents))
        if self.stale:
            lines += ["", "### Acknowledgements that match no breaking change here", ""]
            lines += [f"- `{_cell(a.change)}`" for a in self.stale]
        return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(changes: list[Change], last: str, value: Any) -> list[str]:
    rows = [f"| kind | change | {last} |", "| --- | --- | --- |"]
    rows += [f"| {c.kind} | `{_cell(c.text)}` | {_cell(value(c))} |" for c in changes]
    return rows


def load_directory(directory: Path) -> dict[str, JSON]:
    return {path.name: _parse(path.read_text(), str(path)) for path in sorted(directory.glob("*.yaml"))}


def load_revision(revision: str, repo: Path = ROOT) -> dict[str, JSON]:
    """spec/*.yaml as committed at a git revision of the repository."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SpecDiffError(f"git {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    names = [n for n in git("ls-tree", "--name-only", f"{revision}:spec").split() if n.endswith(".yaml")]
    return {name: _parse(git("show", f"{revision}:spec/{name}"), f"{revision}:spec/{name}") for name in names}


def _parse(text: str, label: str) -> JSON:
    try:
        document = load_yaml(text)
    except yaml.YAMLError as exc:
        raise SpecDiffError(f"{label}: not YAML: {exc}") from None
    if not isinstance(document, dict):
        raise SpecDiffError(f"{label}: not an OpenAPI document")
    return document


def write_outputs(report: Report, markdown: Path | None, summary: Path | None) -> None:
    for path, text in ((markdown, report.markdown()), (summary, json.dumps(report.summary(), indent=2))):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    old = parser.add_mutually_exclusive_group()
    old.add_argument("--base", default="HEAD", help="git revision whose spec/ is the old version (HEAD)")
    old.add_argument("--old", type=Path, help="a directory of old documents instead of a revision")
    parser.add_argument("--new", type=Path, default=SPEC_DIR, help="directory of new documents (spec/)")
    parser.add_argument("--acknowledged", type=Path, default=ACKNOWLEDGED)
    parser.add_argument("--report", type=Path, help="write the markdown report here too")
    parser.add_argument("--json", type=Path, help="write a JSON summary here")
    args = parser.parse_args(argv)
    try:
        old_docs = load_directory(args.old) if args.old else load_revision(args.base)
        old_label = str(args.old) if args.old else f"{args.base}:spec/"
        report = Report(
            compare(old_docs, load_directory(args.new)),
            load_acknowledgements(args.acknowledged),
            old_label,
            f"{args.new}/" if args.new != SPEC_DIR else "spec/",
        )
    except (SpecDiffError, OSError) as exc:
        print(f"spec-diff: {exc}", file=sys.stderr)
        return 2
    write_outputs(report, args.report, args.json)
    print(report.markdown(), end="")
    if report.unacknowledged:
        count = len(report.unacknowledged)
        print(
            f"spec-diff: {count} breaking change(s) not acknowledged in {args.acknowledged}", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
