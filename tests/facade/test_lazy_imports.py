"""``import casebook_async`` and making a client import no generated model beyond the two the facade names;
each model is imported when first used. (Its speed is measured by `make bench`, row (9), not asserted.)"""

from __future__ import annotations

import subprocess
import sys

import pytest

import casebook_openapi.models as models

PROBE = """
import sys
import casebook_async
cb = casebook_async.Casebook(base_url="http://127.0.0.1:1", token="t")
loaded = lambda: sorted(m for m in sys.modules if m.startswith("casebook_openapi.models."))
print(loaded())
cb.people.validate_create({"first_name": "A", "last_name": "B"})
print(loaded())
"""


def test_a_client_imports_only_the_models_it_uses() -> None:
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed program
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    )
    at_start, after_use = (eval(line) for line in done.stdout.splitlines())  # noqa: S307 - our own output
    assert at_start == ["casebook_openapi.models.resource", "casebook_openapi.models.token_response"]
    assert "casebook_openapi.models.person_create_attributes" in after_use
    assert "casebook_openapi.models.case" not in after_use
    assert len(after_use) < 10


def test_every_model_named_by_the_package_resolves() -> None:
    for name in models.__all__:
        model = getattr(models, name)
        assert model.__name__ == name
    assert set(models.__all__) <= set(dir(models))
    from casebook_openapi.models import Person, PersonAttributes

    assert Person is models.Person
    assert PersonAttributes.__module__ == "casebook_openapi.models.person_attributes"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchModel"):
        models.NoSuchModel  # noqa: B018 - the lookup is the test
