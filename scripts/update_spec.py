"""Download the upstream Casebook documents into spec/ (`make update-spec`), then print what changed.

Upstream publishes one OpenAPI document per service on SwaggerHub (organisation `casebook`). The owner,
the API names and their pinned versions are in spec/upstream.toml. Each document is fetched from the
SwaggerHub registry API, GET {base}/apis/{owner}/{api}/{version}?resolved=true (external $refs such as
domains resolved; JSON asked for, YAML accepted), with the API key of SWAGGERHUB_API_KEY as the
Authorization header when set. The base URL is https://api.swaggerhub.com unless --base-url or
SWAGGERHUB_URL says otherwise (SwaggerHub On-Premise: https://HOST/v1; tests: a loopback server).

Each document is then
- given back our annotations (spec/upstream.toml `keep`, x-inferred first) on every node the current
  spec/ document annotates and whose upstream counterpart carries no value of its own for that key;
- checked as OpenAPI 3 (openapi-spec-validator);
- written in a stable key order (OpenAPI's customary order for fixed fields, names sorted, properties in
  upstream's order since that is the order of the generated models' fields), only if it changed.

All documents are fetched and checked before anything is written: offline, or on any bad answer, the
command fails naming the document and URL, and spec/ is left as it was. The change report
(scripts/spec_diff.py) is printed and written to build/spec-report.md (and .json).
"""

from __future__ import annotations

import argparse
import copy
import ipaddress
import json
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import spec_diff
import yaml
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = ROOT / "spec"
CONFIG = SPEC_DIR / "upstream.toml"
REPORT = ROOT / "build" / "spec-report.md"
DEFAULT_BASE_URL = "https://api.swaggerhub.com"
JSON = dict[str, Any]


class UpdateError(Exception):
    pass


@dataclass(frozen=True)
class Upstream:
    base_url: str
    owner: str
    keep: tuple[str, ...]
    documents: dict[str, tuple[str, str]]  # spec file name -> (SwaggerHub API name, version)


def load_config(path: Path) -> Upstream:
    try:
        config = tomllib.loads(path.read_text())
        hub = config["swaggerhub"]
        documents = {
            name: (str(entry["api"]), str(entry["version"])) for name, entry in config["documents"].items()
        }
        upstream = Upstream(
            str(hub.get("base_url", DEFAULT_BASE_URL)),
            str(hub["owner"]),
            tuple(hub.get("keep", ["x-inferred"])),
            documents,
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise UpdateError(f"{path}: {type(exc).__name__}: {exc}") from None
    for name in documents:
        if Path(name).name != name or not name.endswith(".yaml"):
            raise UpdateError(f"{path}: {name!r} must be a file name in spec/ ending in .yaml")
    return upstream


def check_base_url(base_url: str) -> str:
    """https, except on loopback: an API key must never travel in clear text."""
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise UpdateError(f"base URL must be https (plain http only on loopback), got {base_url!r}")
    return base_url.rstrip("/")


def definition_url(base_url: str, owner: str, api: str, version: str) -> str:
    segments = "/".join(quote(part, safe="") for part in (owner, api, version))
    return f"{base_url}/apis/{segments}?resolved=true"


def fetch(client: httpx.Client, url: str) -> JSON:
    try:
        response = client.get(url)
    except httpx.HTTPError as exc:
        raise UpdateError(f"cannot reach {url}: {type(exc).__name__}: {exc}") from None
    if response.status_code != 200:
        raise UpdateError(f"{url} answered {response.status_code} {response.reason_phrase}")
    try:
        if "yaml" in response.headers.get("content-type", ""):
            document = spec_diff.load_yaml(response.text)
        else:
            document = json.loads(response.text)
    except (ValueError, yaml.YAMLError) as exc:
        raise UpdateError(f"{url}: the answer is not a JSON or YAML document: {exc}") from None
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3."):
        raise UpdateError(f"{url}: not an OpenAPI 3 document")
    return document


def keep_annotations(ours: Any, theirs: Any, keys: tuple[str, ...]) -> Any:
    """`theirs` with our annotation keys restored on every node both documents have, where upstream sets
    no value of its own. Nodes upstream dropped stay dropped (the report says so)."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        merged = {key: keep_annotations(ours.get(key), value, keys) for key, value in theirs.items()}
        merged.update({key: copy.deepcopy(ours[key]) for key in keys if key in ours and key not in theirs})
        return merged
    if isinstance(ours, list) and isinstance(theirs, list):
        mine = {_identity(item, index): item for index, item in enumerate(ours)}
        return [keep_annotations(mine.get(_identity(v, i)), v, keys) for i, v in enumerate(theirs)]
    return theirs


def annotation_source(name: str, current: dict[str, JSON]) -> JSON:
    """Our version of a document, to take annotations from: spec/<name>, with every component any of our
    documents defines. The documents repeat shared components (PageSize, CollectionMeta, ...), and those
    must stay identical for `make generate` to bundle them, in a new upstream document too."""
    own = current.get(name, {})
    components: dict[str, dict[str, Any]] = {}
    for document in (own, *current.values()):
        for section, entries in (document.get("components") or {}).items():
            for key, value in (entries or {}).items():
                components.setdefault(section, {}).setdefault(key, value)
    return {**own, "components": components}


def _identity(item: Any, index: int) -> Any:
    """Items of a list are matched by what names them (parameters by name and place, tags by name)."""
    if isinstance(item, dict):
        if "name" in item:
            return ("name", item.get("in"), item["name"])
        if "$ref" in item:
            return ("$ref", item["$ref"])
    return ("index", index)


# Fixed fields in the order OpenAPI documents customarily use; others follow alphabetically, then x-*.
FIELD_ORDER = {
    key: rank
    for rank, key in enumerate(
        """openapi info servers $ref operationId name in url title version tags summary type format
        description required deprecated style explode allowReserved enum const default nullable
        readOnly writeOnly minimum exclusiveMinimum maximum exclusiveMaximum minLength maxLength
        pattern minItems maxItems uniqueItems items properties additionalProperties allOf oneOf anyOf
        not discriminator parameters requestBody responses headers content schema example examples
        security paths components externalDocs""".split()  # noqa: SIM905
    )
}
# Maps keyed by names (paths, component names, status codes, media types): sorted, so that upstream's
# reordering is no diff. `properties` keeps upstream's order: it is the field order of the models.
NAMED_MAPS = frozenset(
    """paths schemas parameters responses requestBodies headers securitySchemes examples links callbacks
    content variables encoding mapping scopes""".split()  # noqa: SIM905
)


def normalise(node: Any, key: str | None = None) -> Any:
    if isinstance(node, list):
        return [normalise(item) for item in node]
    if not isinstance(node, dict):
        return node
    if key == "properties":
        return {name: normalise(value) for name, value in node.items()}
    if key in NAMED_MAPS:
        return {name: normalise(node[name]) for name in sorted(node, key=str)}
    return {field: normalise(node[field], field) for field in sorted(node, key=_field_rank)}


def _field_rank(field: str) -> tuple[int, int, str]:
    if field in FIELD_ORDER:
        return (0, FIELD_ORDER[field], field)
    return (2 if field.startswith("x-") else 1, 0, field)


def dump(document: JSON) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=120)


def update(
    upstream: Upstream, spec_dir: Path, current: dict[str, JSON], client: httpx.Client
) -> dict[str, str]:
    """Fetch, annotate, normalise and check every document, then write those that differ from `current`
    (spec/'s documents by file name). Returns each document's outcome; raises UpdateError, having written
    nothing, on any failure."""
    base_url = check_base_url(upstream.base_url)
    fresh: dict[str, JSON] = {}
    for name, (api, version) in upstream.documents.items():
        url = definition_url(base_url, upstream.owner, api, version)
        ours = annotation_source(name, current)
        document = normalise(keep_annotations(ours, fetch(client, url), upstream.keep))
        try:
            validate(document)
        except Exception as exc:  # the validator's errors share no base class worth naming
            raise UpdateError(f"{url}: not a valid OpenAPI document: {str(exc).splitlines()[0]}") from None
        fresh[name] = document
    outcomes: dict[str, str] = {}
    for name, document in fresh.items():
        if current.get(name) == document:
            outcomes[name] = "unchanged"
            continue
        outcomes[name] = "changed" if name in current else "added"
        temporary = spec_dir / f".{name}.tmp"
        temporary.write_text(dump(document))
        temporary.replace(spec_dir / name)
        current[name] = document
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--config", type=Path, default=CONFIG)
    parser.add_argument("--spec-dir", type=Path, default=SPEC_DIR)
    parser.add_argument("--base-url", help="registry API base URL (default: SWAGGERHUB_URL, then the config)")
    parser.add_argument("--acknowledged", type=Path, default=spec_diff.ACKNOWLEDGED)
    parser.add_argument("--report", type=Path, default=REPORT, help="markdown report (and .json beside it)")
    args = parser.parse_args(argv)
    headers = {"Accept": "application/json", "User-Agent": "casebook-async update-spec"}
    if os.environ.get("SWAGGERHUB_API_KEY"):
        headers["Authorization"] = os.environ["SWAGGERHUB_API_KEY"]
    try:
        upstream = load_config(args.config)
        base_url = args.base_url or os.environ.get("SWAGGERHUB_URL") or upstream.base_url
        upstream = Upstream(base_url, upstream.owner, upstream.keep, upstream.documents)
        before = spec_diff.load_directory(args.spec_dir)
        after = dict(before)
        with httpx.Client(headers=headers, timeout=30.0, follow_redirects=True) as client:
            outcomes = update(upstream, args.spec_dir, after, client)
        report = spec_diff.Report(
            spec_diff.compare(before, after),
            spec_diff.load_acknowledgements(args.acknowledged),
            "spec/ before update-spec",
            f"SwaggerHub {upstream.owner} ({check_base_url(base_url)})",
        )
    except (UpdateError, spec_diff.SpecDiffError) as exc:
        print(f"update-spec: {exc}\nupdate-spec: spec/ is unchanged.", file=sys.stderr)
        return 2
    for name, outcome in outcomes.items():
        api, version = upstream.documents[name]
        print(f"{name:<20} {outcome:<10} {upstream.owner}/{api}/{version}")
    local = sorted(p.name for p in args.spec_dir.glob("*.yaml") if p.name not in upstream.documents)
    if local:
        print(f"kept as they are (not in {args.config.name}): {', '.join(local)}")
    spec_diff.write_outputs(report, args.report, args.report.with_suffix(".json"))
    print(f"\n{report.markdown()}", end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
