"""Deletions found by reconciling the server's ids with a local copy's (nothing in the API lists them)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from casebook_async import Casebook
from casebook_async.bulk import deleted_ids
from casebook_async.sandbox import Sandbox

pytestmark = pytest.mark.anyio


async def test_local_ids_the_server_no_longer_holds_are_reported_streamed() -> None:
    async with Sandbox(seed=1, s3=False) as sb:
        sb.seed_data(people=250, providers=0, cases=0, notes=0, users=0, units_of_work=0)
        local = [r["id"] for r in sb.inspect.records("people")]
        async with Casebook(base_url=sb.base_url, transport=sb.transport, token=sb.issue_token()) as cb:
            gone = [local[3], local[100], local[249]]
            for record_id in gone:
                await cb.people.delete(record_id)
            await cb.people.create({"first_name": "New", "last_name": "Since"})  # only on the server
            sb.inspect.clear_log()
            found = [i async for i in deleted_ids(cb.people, [*local, "never-existed"], concurrency=3)]

            async def local_stream() -> AsyncIterator[str]:
                for record_id in local:
                    yield record_id

            streamed = [i async for i in deleted_ids(cb.people, local_stream())]
    assert found == [*gone, "never-existed"]  # in the local order
    assert streamed == gone
    fields = [r.query for r in sb.inspect.requests if "fields" in r.query]
    assert fields  # the server's side asks for nothing but the partition key
    assert all("fields[people]=created_at" in q for q in fields)
