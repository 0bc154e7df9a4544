"""Regenerate the typed surface from spec/*.yaml (`make generate`), or check it is fresh (`--check`).

Two outputs, both never edited by hand:
- generated/casebook_openapi, the low-level client. Upstream publishes one OpenAPI document per Casebook
  service; the facade wants one low-level client. So the documents are bundled into one (paths and
  components merged; a name defined twice must be defined identically) and openapi-python-client
  generates a single package from the bundle.
- casebook_async/_generated.py, the facade's resource table and the typed namespaces of ``Casebook``
  (``cb.people``, ...), so a resource added to spec/ is a typed ``cb.<type>`` after `make generate`;
  and casebook_async/types.py, the models a user names (each resource's, and what they are made of).
"""

from __future__ import annotations

import argparse
import ast
import filecmp
import importlib.util
import keyword
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = ROOT / "spec"
CONFIG = ROOT / "scripts" / "openapi-python-client.yaml"
TEMPLATES = ROOT / "scripts" / "templates"  # overrides of the generator's templates: lazy models, enum order
PACKAGE = "casebook_openapi"
TARGET = ROOT / "generated" / PACKAGE
RESOURCE_MODULE = ROOT / "casebook_async" / "_generated.py"
TYPES_MODULE = ROOT / "casebook_async" / "types.py"


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
                "--custom-template-path",
                str(TEMPLATES),
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


def _sandbox_spec() -> ModuleType:
    """The sandbox's reader of spec/ (casebook_async/sandbox/spec.py): the one derivation of resources and
    relationships from the documents. Loaded by path, not imported: importing casebook_async would import
    the very module this script writes, which may be stale or broken until it has been regenerated."""
    path = ROOT / "casebook_async" / "sandbox" / "spec.py"
    module_spec = importlib.util.spec_from_file_location("_casebook_sandbox_spec", path)
    assert module_spec is not None
    assert module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[module_spec.name] = module  # dataclasses look their module up while decorating
    module_spec.loader.exec_module(module)
    return module


def _casebook_members() -> set[str]:
    """Names Casebook defines itself (methods, properties): a resource must not shadow one."""
    tree = ast.parse((ROOT / "casebook_async" / "client.py").read_text())
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Casebook")
    names = {n.name for n in cls.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    names |= {
        t.attr
        for n in ast.walk(cls)
        if isinstance(n, ast.Assign | ast.AnnAssign)
        for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
        if isinstance(t, ast.Attribute)
    }
    return names


def _model_names(package: Path) -> set[str]:
    tree = ast.parse((package / "models" / "__init__.py").read_text())
    exported = next(
        n.value
        for n in tree.body
        if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in n.targets)
    )
    return {ast.literal_eval(element) for element in ast.walk(exported) if isinstance(element, ast.Constant)}


RESOURCE_TEMPLATE = '''\
# Generated by scripts/generate.py (`make generate`) from spec/*.yaml. Do not edit by hand:
# `make test` fails when this file is stale against spec/.
"""The resource table and the typed resource namespaces of ``Casebook``, one per resource in spec/."""

from __future__ import annotations

from typing import Any

from casebook_openapi import models as m  # each model is imported on first use (ResourceSpec.model)

from .resources import RelationshipSpec, ResourceAPI, ResourceSpec

# Every resource by attribute name (= JSON:API type): route, generated models (by name), relationships, and
# the largest page the spec allows.
RESOURCES: dict[str, ResourceSpec[Any, Any, Any]] = {{
{table}
}}


class ResourceNamespaces:
    """A namespace of ``Casebook`` per resource (``cb.people``), typed with its generated models."""

    {namespaces}
'''


def resource_module(documents: dict[str, dict[str, Any]], package: Path) -> str:
    """The source of casebook_async/_generated.py for these documents and this generated package."""
    resources = _sandbox_spec().build_resources({Path(name).stem: doc for name, doc in documents.items()})
    models, reserved = _model_names(package), _casebook_members()
    table: list[str] = []
    namespaces: list[str] = []
    for type_, resource in resources.items():
        if not type_.isidentifier() or keyword.iskeyword(type_) or type_.startswith("_") or type_ in reserved:
            raise BundleError(f"JSON:API type {type_!r} ({resource.path}) cannot be an attribute of Casebook")
        names = [resource.schema, f"{resource.schema}CreateAttributes", f"{resource.schema}UpdateAttributes"]
        missing = [name for name in names if name not in models]
        if missing:
            raise BundleError(f"{resource.path}: no generated model named {', '.join(missing)}")
        model, create, update = (f"m.{name}" for name in names)
        max_page_size = resource.page_size_max
        relationships = "".join(
            f"{rel.name!r}: RelationshipSpec({rel.name!r}, to_many={rel.kind != 'to_one'}, "
            f"target={rel.target!r}, attribute={None if rel.kind == 'to_many_reverse' else rel.attribute!r}),"
            for rel in resource.relationships.values()
        )
        table.append(
            f"{type_!r}: ResourceSpec({resource.path!r}, {type_!r}, {resource.schema!r}, "
            f"relationships={{{relationships}}}, max_page_size={max_page_size!r}),"
        )
        namespaces.append(f"{type_}: ResourceAPI[{model}, {create}, {update}]")
    source = RESOURCE_TEMPLATE.format(table="\n".join(table), namespaces="\n    ".join(namespaces))
    return _ruff_format(source)


TYPES_TEMPLATE = '''\
# Generated by scripts/generate.py (`make generate`) from spec/*.yaml. Do not edit by hand:
# `make test` fails when this file is stale against spec/.
"""The types a user of casebook_async names, in one place, so that nobody imports casebook_openapi::

    from casebook_async.types import UNSET, Person, PersonCreateAttributes

The generated models of every resource in spec/ (the record, its attributes, what create and update take)
and of what they are made of (enums, relationship linkage, links, meta, side-loaded records); ``UNSET`` and
``Unset``; and the facade's ``Page``, ``Document``, ``RawResponse``, ``Paginator`` and ``Pages``. Each model
is imported when first named, as in casebook_openapi.models.
"""

from typing import TYPE_CHECKING, Any

from casebook_openapi import models as _models
from casebook_openapi.types import UNSET, Unset

from .documents import Document, Page
from .pagination import Pages, Paginator
from .raw import RawResponse

if TYPE_CHECKING:
    from casebook_openapi.models import {imports}

_MODELS = frozenset({{{names}}})


def __getattr__(name: str) -> Any:
    if name not in _MODELS:
        raise AttributeError(f"module {{__name__!r}} has no attribute {{name!r}}")
    value = getattr(_models, name)
    globals()[name] = value  # later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted({{*globals(), *_MODELS}})


__all__ = [{exported}]
'''
FACADE_TYPES = ("UNSET", "Document", "Page", "Pages", "Paginator", "RawResponse", "Unset")


def _model_modules(package: Path) -> dict[str, Path]:
    """Every generated model's name and the file that defines it."""
    tree = ast.parse((package / "models" / "__init__.py").read_text())
    return {
        alias.name: package / "models" / f"{node.module}.py"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
        for alias in node.names
    }


def _referenced_models(name: str, modules: dict[str, Path]) -> set[str]:
    """The models named in the field annotations of the generated class ``name``."""
    tree = ast.parse(modules[name].read_text())
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name)
    return {
        node.id
        for field in cls.body
        if isinstance(field, ast.AnnAssign)
        for node in ast.walk(field.annotation)
        if isinstance(node, ast.Name) and node.id in modules
    }


def types_module(documents: dict[str, dict[str, Any]], package: Path) -> str:
    """The source of casebook_async/types.py: every model reachable from a resource's record, create and
    update models and its document (for side-loaded records), but the documents themselves, which the
    facade unwraps."""
    resources = _sandbox_spec().build_resources({Path(name).stem: doc for name, doc in documents.items()})
    modules = _model_modules(package)
    roots = [
        f"{resource.schema}{suffix}"
        for resource in resources.values()
        for suffix in ("", "CreateAttributes", "UpdateAttributes", "Document")
    ]
    reachable: set[str] = set()
    while roots:
        name = roots.pop()
        if name in modules and name not in reachable:
            reachable.add(name)
            roots.extend(_referenced_models(name, modules))
    models = sorted(name for name in reachable if not name.endswith("Document"))
    source = TYPES_TEMPLATE.format(
        imports=f"({', '.join(models)},)",
        names=", ".join(repr(name) for name in models),
        # isort's order, as ruff wants it: constants, then classes.
        exported=", ".join(
            repr(n) for n in sorted([*FACADE_TYPES, *models], key=lambda n: (not n.isupper(), n))
        ),
    )
    return _ruff_format(source, TYPES_MODULE)


def modules(documents: dict[str, dict[str, Any]], package: Path) -> dict[Path, str]:
    """The facade's generated modules: path and source."""
    return {
        RESOURCE_MODULE: resource_module(documents, package),
        TYPES_MODULE: types_module(documents, package),
    }


def _ruff_format(source: str, path: Path = RESOURCE_MODULE) -> str:
    """Format with the pinned ruff and the project's settings, so that the output is deterministic."""
    return subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(path), "-"],
        input=source,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout


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


def stale_modules(fresh: dict[Path, str]) -> list[str]:
    return [
        f"differs: {path.relative_to(ROOT)}"
        for path, source in fresh.items()
        if (path.read_text() if path.exists() else None) != source
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the outputs are stale against spec/")
    args = parser.parse_args()
    documents = load_documents()
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / PACKAGE
        generate(fresh)
        facade = modules(documents, fresh)
        if args.check:
            stale = differences(TARGET, fresh) if TARGET.exists() else [f"{TARGET} does not exist"]
            stale += stale_modules(facade)
            for line in stale:
                print(line, file=sys.stderr)
            if stale:
                print("generated code is stale: run `make generate` and commit the result.", file=sys.stderr)
                return 1
            print("generated/, casebook_async/_generated.py and casebook_async/types.py are fresh.")
            return 0
        shutil.rmtree(TARGET, ignore_errors=True)
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(fresh, TARGET, ignore=shutil.ignore_patterns("__pycache__"))
        for path, source in facade.items():
            path.write_text(source)
    print(
        f"generated {TARGET.relative_to(ROOT)}, {RESOURCE_MODULE.relative_to(ROOT)} and "
        f"{TYPES_MODULE.relative_to(ROOT)} from {len(documents)} documents in spec/."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
