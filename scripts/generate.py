"""Regenerate generated/casebook_openapi from spec/*.yaml (`make generate`), or check it is fresh (`--check`).

Upstream publishes one OpenAPI document per Casebook service; the facade wants one low-level client.
So the documents are bundled into one (paths and components merged; a name defined twice must be
defined identically) and openapi-python-client generates a single package from the bundle.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = ROOT / "spec"
CONFIG = ROOT / "scripts" / "openapi-python-client.yaml"
PACKAGE = "casebook_openapi"
TARGET = ROOT / "generated" / PACKAGE


class BundleError(Exception):
    pass


def load_documents(spec_dir: Path = SPEC_DIR) -> dict[str, dict[str, Any]]:
    return {path.name: yaml.safe_load(path.read_text()) for path in sorted(spec_dir.glob("*.yaml"))}


def bundle(documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Merge per-service documents into one; refuse to paper over conflicting definitions."""
    merged: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "Casebook API", "version": "1.0.0", "description": "Bundle of spec/*.yaml."},
        "servers": None,
        "security": [{"bearerAuth": []}],
        "tags": [],
        "paths": {},
        "components": {},
    }
    for name, doc in documents.items():
        if merged["servers"] is None:
            merged["servers"] = doc["servers"]
        elif doc["servers"] != merged["servers"]:
            raise BundleError(f"{name}: servers differ from the other documents")
        doc_security = doc.get("security", [])
        for path, item in doc["paths"].items():
            if path in merged["paths"]:
                raise BundleError(f"{name}: path {path} is defined by another document too")
            item = dict(item)
            for method in ("get", "put", "post", "patch", "delete"):
                if method in item and "security" not in item[method]:
                    # Keep each document's own default security once documents are merged.
                    item[method] = {**item[method], "security": doc_security}
            merged["paths"][path] = item
        merged["tags"].extend(tag for tag in doc.get("tags", []) if tag not in merged["tags"])
        for section, entries in doc.get("components", {}).items():
            target = merged["components"].setdefault(section, {})
            for key, value in entries.items():
                if key in target and target[key] != value:
                    raise BundleError(f"{name}: components.{section}.{key} conflicts with another document")
                target[key] = value
    return merged


def generate(output: Path) -> None:
    """Generate the package into `output` (which must not exist yet)."""
    with tempfile.TemporaryDirectory() as tmp:
        bundle_path = Path(tmp) / "casebook-bundle.yaml"
        bundle_path.write_text(yaml.safe_dump(bundle(load_documents()), sort_keys=False))
        subprocess.run(
            [
                sys.executable,
                "-m",
                "openapi_python_client",
                "generate",
                "--path",
                str(bundle_path),
                "--config",
                str(CONFIG),
                "--meta",
                "none",
                "--output-path",
                str(output),
                "--fail-on-warning",
            ],
            check=True,
            cwd=tmp,
            # The post hooks call `ruff`: make it the one pinned in this environment.
            env={
                **os.environ,
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            },
        )


def differences(left: Path, right: Path) -> list[str]:
    comparison = filecmp.dircmp(left, right, ignore=["__pycache__"])
    found: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(f"only in generated/: {prefix}{n}" for n in cmp.left_only)
        found.extend(f"missing from generated/: {prefix}{n}" for n in cmp.right_only)
        found.extend(f"differs: {prefix}{n}" for n in cmp.diff_files)
        # dircmp compares shallowly (size and mtime) first; confirm content for the rest.
        found.extend(
            f"differs: {prefix}{n}"
            for n in cmp.same_files
            if (Path(cmp.left) / n).read_bytes() != (Path(cmp.right) / n).read_bytes()
        )
        for sub, sub_cmp in cmp.subdirs.items():
            walk(sub_cmp, f"{prefix}{sub}/")

    walk(comparison, "")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if generated/ is stale against spec/")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / PACKAGE
        generate(fresh)
        if args.check:
            stale = differences(TARGET, fresh) if TARGET.exists() else [f"{TARGET} does not exist"]
            for line in stale:
                print(line, file=sys.stderr)
            if stale:
                print("generated/ is stale: run `make generate` and commit the result.", file=sys.stderr)
                return 1
            print("generated/ is fresh.")
            return 0
        shutil.rmtree(TARGET, ignore_errors=True)
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(fresh, TARGET, ignore=shutil.ignore_patterns("__pycache__"))
    print(f"generated {TARGET.relative_to(ROOT)} from {len(load_documents())} documents in spec/.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
