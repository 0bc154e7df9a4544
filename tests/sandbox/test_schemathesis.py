"""schemathesis: generated requests for every operation in spec/ get responses that conform to spec/."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi import checks

from casebook_async.sandbox import Sandbox
from casebook_async.sandbox.spec import documents


def merged_spec() -> dict[str, Any]:
    """One OpenAPI document from the per-service ones; shared component names must agree to be merged."""
    docs = copy.deepcopy(documents())
    merged: dict[str, Any] = {**docs["people"], "paths": {}, "components": {}}
    for doc in docs.values():
        for path, item in doc["paths"].items():
            if "security" in doc and doc["security"] == []:  # the token endpoint is public
                for operation in item.values():
                    operation.setdefault("security", [])
            merged["paths"][path] = item
        for section, entries in doc.get("components", {}).items():
            target = merged["components"].setdefault(section, {})
            for name, value in entries.items():
                assert target.get(name, value) == value, (
                    f"components/{section}/{name} differs between documents"
                )
                target[name] = value
    return merged


# "Violates the spec": statuses, content types, headers and bodies the spec does not document, and 5xx.
# positive_data_acceptance is left out: a schema-valid body can still name a missing foreign key (or an
# unknown include), and the spec documents the 422/400 for those.
CHECKS = [
    not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
    checks.ignored_auth,
]
SANDBOX = Sandbox(seed=0, s3=False)
SANDBOX.seed_data(people=20, providers=3, cases=3, notes=3, users=2, units_of_work=2)
TOKEN = SANDBOX.issue_token()
schema = schemathesis.openapi.from_dict(merged_spec())
schema.app = SANDBOX.app


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_response_violates_the_spec(case: schemathesis.Case) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=CHECKS)
