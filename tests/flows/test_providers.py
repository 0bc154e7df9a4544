"""create_provider_with_location against the sandbox: both links, and an exact account of partial failures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import httpx
import pytest

from casebook_async import (
    Casebook,
    EventHooks,
    InvalidInputError,
    PermissionDeniedError,
    RequestEvent,
    UnprocessableEntityError,
)
from casebook_async.flows import PartialFlowError, create_provider_with_location
from casebook_async.sandbox import Faults, Sandbox
from casebook_openapi.models import Location, LocationCreateAttributes

pytestmark = pytest.mark.anyio


def ids(sb: Sandbox, type_: str) -> set[str]:
    return {r["id"] for r in sb.inspect.records(type_)}


async def test_creates_both_and_links_them_both_ways(sb: Sandbox, cb: Casebook) -> None:
    result = await create_provider_with_location(
        cb,
        provider={"name": "Harbor Family Services", "email": "hi@harbor.example.org"},
        location=LocationCreateAttributes(name="Harbor Main Office", city="Tacoma"),
    )
    provider_id, location_id = result.provider.id, result.location.id
    assert result.provider.attributes.location_ids == [location_id]
    assert result.location.attributes.provider_id == provider_id

    stored_provider = sb.inspect.record("providers", provider_id)
    stored_location = sb.inspect.record("locations", location_id)
    assert stored_provider is not None
    assert stored_location is not None
    assert stored_provider["attributes"]["location_ids"] == [location_id]
    assert stored_location["attributes"]["provider_id"] == provider_id
    assert stored_location["attributes"]["city"] == "Tacoma"

    document = await cb.providers.retrieve(provider_id, include="locations")
    assert [loc.id for loc in document.related("locations", as_=Location)] == [location_id]


async def test_existing_location_ids_are_kept(sb: Sandbox, cb: Casebook) -> None:
    existing = sb.inspect.records("locations")[0]["id"]
    result = await create_provider_with_location(
        cb, provider={"name": "Two Sites", "location_ids": [existing]}, location={"name": "Second site"}
    )
    assert result.provider.attributes.location_ids == [existing, result.location.id]
    stored = sb.inspect.record("providers", result.provider.id)
    assert stored is not None
    assert stored["attributes"]["location_ids"] == [existing, result.location.id]


async def test_invalid_input_creates_nothing(sb: Sandbox, cb: Casebook) -> None:
    before = len(sb.inspect.requests)
    with pytest.raises(InvalidInputError, match="name"):
        await create_provider_with_location(cb, provider={"name": "P"}, location={"city": "No name"})
    with pytest.raises(InvalidInputError, match="provider_id"):
        await create_provider_with_location(
            cb, provider={"name": "P"}, location={"name": "L", "provider_id": "someone-else"}
        )
    with pytest.raises(InvalidInputError):
        await create_provider_with_location(cb, provider={}, location={"name": "L"})
    assert len(sb.inspect.requests) == before


@pytest.mark.parametrize(
    ("provider", "location"),
    [
        ({"name": "P"}, {"name": "L", "created_at": "2024-01-01T00:00:00Z"}),
        ({"name": "P", "updated_at": "2024-01-01T00:00:00Z"}, {"name": "L"}),
    ],
)
async def test_server_set_attributes_are_refused_before_any_write(
    sb: Sandbox, cb: Casebook, provider: dict[str, Any], location: dict[str, Any]
) -> None:
    providers, before = ids(sb, "providers"), len(sb.inspect.requests)
    with pytest.raises(InvalidInputError, match="set by the server"):
        await create_provider_with_location(cb, provider=provider, location=location)
    assert ids(sb, "providers") == providers
    assert len(sb.inspect.requests) == before


async def test_location_rejected_after_the_provider_exists(sb: Sandbox, cb: Casebook) -> None:
    providers, locations = ids(sb, "providers"), ids(sb, "locations")
    with pytest.raises(PartialFlowError) as raised:
        # name must be a string: passes local parsing, the server answers 422
        await create_provider_with_location(cb, provider={"name": "Half Done"}, location={"name": 42})
    error = raised.value
    (new_provider,) = ids(sb, "providers") - providers
    assert error.created == {"providers": new_provider}
    assert error.linked is False
    assert error.step == "create location"
    assert isinstance(error.cause, UnprocessableEntityError)
    assert f"providers/{new_provider}" in str(error)
    assert ids(sb, "locations") == locations


async def test_link_refused_after_both_exist(sb: Sandbox, make_cb: Callable[..., Casebook]) -> None:
    providers, locations = ids(sb, "providers"), ids(sb, "locations")
    async with make_cb(roles=["Providers - Create", "Providers - View"]) as cb:  # no "Providers - Edit"
        with pytest.raises(PartialFlowError) as raised:
            await create_provider_with_location(cb, provider={"name": "Unlinked"}, location={"name": "Lone"})
    error = raised.value
    (new_provider,) = ids(sb, "providers") - providers
    (new_location,) = ids(sb, "locations") - locations
    assert error.created == {"providers": new_provider, "locations": new_location}
    assert error.linked is False
    assert error.step == "link provider to location"
    assert isinstance(error.cause, PermissionDeniedError)
    assert new_provider in str(error)
    assert new_location in str(error)
    provider = sb.inspect.record("providers", new_provider)
    location = sb.inspect.record("locations", new_location)
    assert provider is not None
    assert location is not None
    assert new_location not in (provider["attributes"].get("location_ids") or [])
    assert location["attributes"]["provider_id"] == new_provider


async def test_ambiguous_location_post_is_looked_up_not_repeated(
    sb: Sandbox, make_cb: Callable[..., Casebook]
) -> None:
    def ambiguous_location_post(event: RequestEvent) -> None:
        # Only the location POST gets the "committed, then 502" fault.
        posting_location = event.method == "POST" and "/providers/locations" in event.url
        sb.faults = Faults(rate_ambiguous_post=1.0 if posting_location else 0.0)

    locations = ids(sb, "locations")
    hooks = EventHooks(request=[ambiguous_location_post])
    async with make_cb(event_hooks=hooks) as cb:
        result = await create_provider_with_location(
            cb, provider={"name": "Flaky"}, location={"name": "Once"}
        )
    sb.faults = Faults()
    assert sb.inspect.fault_counts["ambiguous_post"] == 1  # the location POST committed, then got 502
    assert ids(sb, "locations") - locations == {result.location.id}
    stored: dict[str, Any] | None = sb.inspect.record("providers", result.provider.id)
    assert stored is not None
    assert stored["attributes"]["location_ids"] == [result.location.id]


class LosesAnswers(httpx.AsyncBaseTransport):
    """Forwards to the sandbox; PATCHes are applied there but their answer is lost (a read timeout), and
    optionally every GET of a provider fails too."""

    def __init__(self, sb: Sandbox, *, fail_reads: bool = False) -> None:
        self._sandbox = sb.transport
        self._fail_reads = fail_reads

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._fail_reads and request.method == "GET" and "/providers/providers/" in request.url.path:
            raise httpx.ConnectError("unreachable", request=request)
        response = await self._sandbox.handle_async_request(request)
        if request.method == "PATCH":
            await response.aread()
            raise httpx.ReadTimeout("answer lost", request=request)
        return response


async def test_a_link_patch_applied_but_unanswered_is_recognised_as_linked(
    sb: Sandbox, make_cb: Callable[..., Casebook]
) -> None:
    async with make_cb(transport=LosesAnswers(sb)) as cb:
        result = await create_provider_with_location(
            cb, provider={"name": "Lost"}, location={"name": "Answer"}
        )
    assert result.provider.attributes.location_ids == [result.location.id]
    stored = sb.inspect.record("providers", result.provider.id)
    assert stored is not None
    assert stored["attributes"]["location_ids"] == [result.location.id]


async def test_a_link_that_cannot_be_checked_is_reported_as_unknown(
    sb: Sandbox, make_cb: Callable[..., Casebook]
) -> None:
    async with make_cb(transport=LosesAnswers(sb, fail_reads=True)) as cb:
        with pytest.raises(PartialFlowError) as raised:
            await create_provider_with_location(cb, provider={"name": "Lost"}, location={"name": "Answer"})
    assert raised.value.linked is None
    assert "linked: unknown" in str(raised.value)
    assert set(raised.value.created) == {"providers", "locations"}


async def test_a_cancelled_flow_logs_the_records_it_leaves(
    sb: Sandbox, make_cb: Callable[..., Casebook], caplog: pytest.LogCaptureFixture
) -> None:
    reached = anyio.Event()

    class StallsLocations(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.method == "POST" and request.url.path == "/providers/locations":
                reached.set()
                await anyio.sleep_forever()
            return await sb.transport.handle_async_request(request)

    providers = ids(sb, "providers")
    async with make_cb(transport=StallsLocations()) as cb, anyio.create_task_group() as tg:
        tg.start_soon(
            lambda: create_provider_with_location(cb, provider={"name": "Cut"}, location={"name": "Short"})
        )
        await reached.wait()
        tg.cancel_scope.cancel()
    (left,) = ids(sb, "providers") - providers
    (record,) = [r for r in caplog.records if "cancelled" in r.getMessage()]
    assert record.levelname == "WARNING"
    assert f"providers/{left}" in record.getMessage()
