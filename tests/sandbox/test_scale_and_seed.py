"""Seed data is deterministic; 100 000 records page correctly; construction stays light."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest

from casebook_async.sandbox import Sandbox

from .conftest import client_for

SEED_ARGS = {"people": 20, "providers": 3, "cases": 4, "notes": 4, "users": 2, "units_of_work": 2}


def test_seed_data_is_deterministic_and_consistent() -> None:
    first, second, other = Sandbox(seed=11, s3=False), Sandbox(seed=11, s3=False), Sandbox(seed=12, s3=False)
    ids = first.seed_data(**SEED_ARGS)
    assert ids == second.seed_data(**SEED_ARGS)
    assert first.inspect.records("people") == second.inspect.records("people")
    assert ids["people"] != other.seed_data(**SEED_ARGS)["people"]
    assert {t: len(v) for t, v in ids.items()} == {
        "people": 20,
        "providers": 3,
        "locations": 6,
        "service_offerings": 6,
        "cases": 4,
        "involvements": 8,
        "notes": 4,
        "users": 2,
        "units_of_work": 2,
    }
    for location in first.inspect.records("locations"):  # seeded providers are linked both ways
        provider = first.inspect.record("providers", location["attributes"]["provider_id"])
        assert provider is not None
        assert location["id"] in provider["attributes"]["location_ids"]
    people = set(ids["people"])
    for involvement in first.inspect.records("involvements"):
        assert involvement["attributes"]["person_id"] in people
    assert all(u["attributes"]["assignment_id"] for u in first.inspect.records("units_of_work"))


@pytest.mark.anyio
async def test_a_hundred_thousand_records_page_correctly_at_size_100() -> None:
    async with Sandbox(seed=1, s3=False) as sb:
        sb.seed_data(people=100_000, providers=0, cases=0, notes=0, users=0, units_of_work=0)
        expected = [r.id for r in sb.store.collection("people").live_list()]
        seen: list[str] = []
        async with client_for(sb, sb.issue_token()) as client:
            url: str | None = "/people/people?page[size]=100"
            pages = 0
            while url is not None:
                response = await client.get(url)
                body = response.json()
                pages += 1
                assert body["meta"] == {
                    "record_count": 100_000,
                    "page_count": 1000,
                    "page_number": pages,
                    "page_size": 100,
                }
                seen.extend(r["id"] for r in body["data"])
                url = body["links"]["next"]
            assert body["links"]["last"] == body["links"]["self"]
        assert pages == 1000
        assert seen == expected
        assert len(set(seen)) == 100_000


def test_construction_imports_neither_moto_nor_boto3_nor_uvicorn() -> None:
    """Keeps in-process startup instant: the heavy pieces load only when first needed."""
    code = (
        "import json, sys; from casebook_async.sandbox import Sandbox; sb = Sandbox(); sb.app; sb.transport; "
        "print(json.dumps(sorted(m for m in ('moto', 'boto3', 'uvicorn') if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert json.loads(out.stdout) == []


def test_inspection_returns_copies(sb_plain: Sandbox) -> None:
    people = sb_plain.inspect.records("people")
    people[0]["attributes"]["first_name"] = "changed"
    assert sb_plain.inspect.records("people")[0]["attributes"]["first_name"] != "changed"


@pytest.fixture
def sb_plain() -> Sandbox:
    sandbox = Sandbox(s3=False)
    sandbox.seed_data(people=2, providers=0, cases=0, notes=0, users=0, units_of_work=0)
    return sandbox


def test_transport_is_an_httpx_transport() -> None:
    assert isinstance(Sandbox(s3=False).transport, httpx.AsyncBaseTransport)
