"""The client against a JSON:API server nobody here wrote: Django REST framework JSON:API on loopback.

It pages by ``page[number]`` (ignoring a plain ``page``) or by ``page[offset]``/``page[limit]``, tells
totals as ``meta.pagination``, sends no self link, takes foreign keys only as relationships (ignoring a
``provider_id`` attribute) and reports validation failures as 400: each a place where our inferred spec
guessed otherwise (tests/thirdparty/drf_server.py).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from casebook_async import (
    BadRequestError,
    Casebook,
    NotFoundError,
    RelationshipNotSavedError,
)

from ..inflight import InFlight

pytestmark = pytest.mark.anyio

PEOPLE = 620
SERVER = Path(__file__).with_name("drf_server.py")


@pytest.fixture(scope="module")
def drf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    database = tmp_path_factory.mktemp("drf") / "db.sqlite3"
    process = subprocess.Popen(  # noqa: S603 - our own test server, fixed arguments
        [sys.executable, str(SERVER), str(database), str(PEOPLE)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("listening on "), line
        yield line.removeprefix("listening on ").strip()
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def client(base_url: str, **kwargs: Any) -> Casebook:
    return Casebook(base_url=base_url, token="not-checked-by-this-server", **kwargs)


ALL = [str(i) for i in range(1, PEOPLE + 1)]


@pytest.mark.parametrize("mount", ["", "/offset"], ids=["page-number", "limit-offset"])
@pytest.mark.parametrize("page_size", [10, None], ids=["size-10", "client-default"])
async def test_a_listing_is_whole_in_order_and_concurrent(
    drf: str, mount: str, page_size: int | None
) -> None:
    flight = InFlight()
    async with (
        client(drf + mount, event_hooks=flight.hooks()) as cb,
        cb.people.list(page_size=page_size, concurrency=4) as people,
    ):
        ids = [p.id async for p in people]
    assert ids == ALL
    pages = -(-PEOPLE // (page_size or cb.people.spec.max_page_size or 0))  # default: the spec's maximum
    # Limit-offset's last link points one page past the end when the count is a multiple of the limit.
    assert flight.responses in (pages, pages + 1)
    assert 1 < flight.most <= 4, flight.retries


@pytest.mark.parametrize("mount", ["", "/offset"], ids=["page-number", "limit-offset"])
async def test_page_n_is_page_n(drf: str, mount: str) -> None:
    async with client(drf + mount) as cb:
        for number in (3, 7, 1):
            page = await cb.people.page(number, page_size=100)
            assert page.ids == ALL[(number - 1) * 100 : number * 100]
        assert (await cb.people.page(2, page_size=10)).ids == ALL[10:20]
        assert (await cb.people.page(2)).ids == ALL[100:200]  # by default the largest page the spec allows


async def test_sort_and_filter_pass_through_the_servers_links(drf: str) -> None:
    async with client(drf) as cb:
        found = await cb.people.list(
            filter={"last_name": "Last3"}, sort="-first_name", page_size=10
        ).collect()
    expected = sorted((f"First{i}", str(i + 1)) for i in range(PEOPLE) if i % 7 == 3)
    assert [p.id for p in found] == [id_ for _, id_ in reversed(expected)]
    assert len(found) > 10


async def test_validation_errors_come_as_400_with_pointers(drf: str) -> None:
    async with client(drf) as cb:
        with pytest.raises(BadRequestError) as raised:
            await cb.people.create({"first_name": "A", "last_name": "x" * 60})
    assert raised.value.pointers == ["/data/attributes/last_name"]


async def test_foreign_keys_are_written_as_relationships_and_read_back(drf: str) -> None:
    async with client(drf) as cb:
        location = await cb.locations.create({"name": "Main St", "provider_id": "1"})
        assert cb.locations.related_ids(location, "provider") == ["1"]
        other = await cb.locations.create({"name": "Side St"}, relationships={"provider": "2"})
        provider = await cb.providers.update("1", {"location_ids": [location.id, other.id]})
        assert sorted(cb.providers.related_ids(provider, "locations") or []) == sorted(
            [location.id, other.id]
        )
        again = await cb.providers.get("1")
        assert sorted(cb.providers.related_ids(again, "locations") or []) == sorted([location.id, other.id])
        await cb.locations.delete(other.id)
        with pytest.raises(NotFoundError):
            await cb.locations.get(other.id)


async def test_attributes_only_foreign_keys_are_dropped_by_this_server_and_the_client_says_so(
    drf: str,
) -> None:
    async with client(drf, foreign_keys="attributes") as cb:
        with pytest.raises(RelationshipNotSavedError) as raised:
            await cb.locations.create({"name": "Unlinked", "provider_id": "1"})
        kept = await cb.locations.get(raised.value.record.id)
        assert cb.locations.related_ids(kept, "provider") == []  # written, and truly without its link
