"""A provider and its location, linked both ways, in one call.

Casebook links them in two writes: the location's ``provider_id`` is set when the location is created,
and the provider's ``location_ids`` needs a separate PATCH (the docs say creating the location does not
link the provider back). A failure midway raises PartialFlowError naming every record that exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio

from casebook_openapi.models import Location, LocationCreateAttributes, Provider, ProviderCreateAttributes

from ..errors import CasebookError, InvalidInputError
from ..observability import logger
from ..tracing import client_of, operation
from .errors import PartialFlowError
from .idempotent import create_once

if TYPE_CHECKING:
    from ..client import Casebook

FLOW = "create_provider_with_location"


@dataclass(frozen=True)
class ProviderWithLocation:
    provider: Provider  # as returned by the linking PATCH: location_ids includes location.id
    location: Location


def _as_dict(location: LocationCreateAttributes | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(location, LocationCreateAttributes):
        result: dict[str, Any] = location.to_dict()
        return result
    if not isinstance(location, Mapping):
        raise InvalidInputError(
            f"location must be a LocationCreateAttributes or a mapping, got {type(location).__name__}"
        )
    return dict(location)


@operation("create_provider_with_location", client_of)
async def create_provider_with_location(
    cb: Casebook,
    *,
    provider: ProviderCreateAttributes | Mapping[str, Any],
    location: LocationCreateAttributes | Mapping[str, Any],
) -> ProviderWithLocation:
    """Create the provider, create its location (``provider_id`` set), then PATCH the provider's
    ``location_ids`` to include the location (keeping ids it already had).

    A failure creating the provider raises the facade's error: nothing was created, except after an
    OutcomeUnknownError (the POST may have been applied; its id is unknown). A later failure raises
    PartialFlowError: ``.created`` maps "providers"/"locations" to the ids that exist, ``.linked`` is
    False, or None when the linking PATCH may have been applied and re-reading the provider failed too.
    If the PATCH failed but the re-read shows the link, the flow succeeded and returns normally.
    Nothing is rolled back: the records are valid on their own and the caller decides. A cancellation
    after the first record exists propagates, and a warning on the ``casebook_async`` logger names the
    records left behind.
    """
    # Both records are validated by their resources (required, enums, server-set attributes) before the
    # first write, so input that is locally knowable to be bad creates nothing.
    provider_attributes = cb.providers.validate_create(provider)
    location_input = _as_dict(location)
    if location_input.get("provider_id") is not None:
        raise InvalidInputError("location: provider_id is set by this flow (to the new provider's id)")
    location_attributes = cb.locations.validate_create({**location_input, "provider_id": "pending"})

    created_provider = await cb.providers.create(provider_attributes)
    created: dict[str, str] = {"providers": created_provider.id}
    try:
        return await _locate_and_link(cb, created_provider, location_attributes, created)
    except anyio.get_cancelled_exc_class():
        # The caller gets only the cancellation: the log keeps the account of what exists.
        logger.warning(
            "%s cancelled: records created and still existing: %s; %s",
            FLOW,
            ", ".join(f"{t}/{i}" for t, i in created.items()),
            "linked: unknown (the PATCH may have been in flight)"
            if "locations" in created
            else "linked: no (a location pointing at it exists if its POST was in flight)",
        )
        raise


async def _locate_and_link(
    cb: Casebook, created_provider: Provider, location_attributes: dict[str, Any], created: dict[str, str]
) -> ProviderWithLocation:

    async def find_location() -> Location | None:
        # The provider is brand new: any location pointing at it was created by this flow.
        page = await cb.locations.page(filter={"provider_id": created_provider.id}, page_size=1)
        return page.data[0] if page.data else None

    try:
        new_location = await create_once(
            lambda: cb.locations.create({**location_attributes, "provider_id": created_provider.id}),
            find_location,
        )
    except CasebookError as exc:
        raise PartialFlowError(
            flow=FLOW, step="create location", created=created, linked=False, cause=exc
        ) from exc
    created["locations"] = new_location.id

    known = cb.providers.related_ids(created_provider, "locations") or []
    location_ids = known if new_location.id in known else [*known, new_location.id]
    try:
        linked_provider = await cb.providers.update(created_provider.id, {"location_ids": location_ids})
    except CasebookError as exc:
        # A PATCH whose answer was lost (timeout, 5xx) may have been applied: the provider says which.
        try:
            current = await cb.providers.get(created_provider.id)
        except CasebookError:
            linked: bool | None = None
        else:
            ids = cb.providers.related_ids(current, "locations")
            linked = None if ids is None else new_location.id in ids
            if linked:
                return ProviderWithLocation(provider=current, location=new_location)
        raise PartialFlowError(
            flow=FLOW, step="link provider to location", created=created, linked=linked, cause=exc
        ) from exc
    return ProviderWithLocation(provider=linked_provider, location=new_location)
