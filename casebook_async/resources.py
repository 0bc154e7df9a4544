"""A typed namespace per resource (``cb.people``, ``cb.cases``, ...): get, list, page, create, update, delete.

Records are the generated attrs models (``Person``, ``Case``, ...). Create/update take the generated
``XCreateAttributes``/``XUpdateAttributes`` or a plain dict, which is validated locally through the same
model (missing required attributes, enum values, server-set attributes) before any request is sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import attrs

import casebook_openapi.models as generated

from .documents import Document, M, Model, Page
from .errors import InvalidInputError, InvalidResponseError
from .http import HTTPCore
from .pagination import Pages, Paginator
from .query import FilterArg, Params, build_params

C = TypeVar("C", bound=Model)
U = TypeVar("U", bound=Model)

Names = str | Sequence[str]
Fields = Mapping[str, Names]


@dataclass(frozen=True)
class RelationshipSpec:
    """A relationship of a resource, as the spec declares it (``<Prefix>Relationships``, ``x-foreign-key``).

    ``attribute`` is the foreign-key attribute that writes it from this side (``provider_id``,
    ``location_ids``), or None for a reverse relationship, written only through the other side's key.
    """

    name: str  # e.g. "locations"
    to_many: bool
    target: str  # JSON:API type of the related records, e.g. "locations"
    attribute: str | None


@dataclass(frozen=True)
class ResourceSpec(Generic[M, C, U]):
    """Where a resource lives and which generated models describe it (casebook_async/_generated.py)."""

    path: str  # e.g. "/people/people"
    jsonapi_type: str  # e.g. "people"
    model: type[M]
    create_model: type[C]
    update_model: type[U]
    relationships: Mapping[str, RelationshipSpec] = field(default_factory=dict, hash=False)


def _field_names(cls: type[Any] | None) -> frozenset[str]:
    if cls is None or not attrs.has(cls):
        return frozenset()
    return frozenset(f.name for f in attrs.fields(cls) if f.name != "additional_properties")


def _check_id(id: object) -> str:
    if not isinstance(id, str) or not id.strip():
        raise InvalidInputError(f"a record id is required (a non-empty string), got {id!r}")
    return id


class ResourceAPI(Generic[M, C, U]):
    """Operations on one Casebook resource."""

    def __init__(self, core: HTTPCore, spec: ResourceSpec[M, C, U], page_concurrency: int) -> None:
        self._core = core
        self.spec = spec
        self._page_concurrency = page_concurrency
        read_attributes = getattr(generated, f"{spec.model.__name__}Attributes", None)
        # Attributes the server sets (readOnly in the spec): in the read model, absent from the write model.
        self._server_set = _field_names(read_attributes) - _field_names(spec.create_model)
        self._server_set_on_update = _field_names(read_attributes) - _field_names(spec.update_model)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.spec.path}>"

    def _member(self, id: str) -> str:
        return f"{self.spec.path}/{quote(_check_id(id), safe='')}"

    async def get(self, id: str, *, include: Names | None = None, fields: Fields | None = None) -> M:
        """One record by id (NotFoundError if it does not exist or was deleted)."""
        return (await self.retrieve(id, include=include, fields=fields)).data

    async def retrieve(
        self, id: str, *, include: Names | None = None, fields: Fields | None = None
    ) -> Document[M]:
        """One record plus side-loaded records: ``doc.related_one("provider", as_=Provider)``."""
        url = self._core.url(self._member(id), build_params(include=include, fields=fields))
        return Document.parse(self.spec.model, await self._core.request_json("GET", url))

    async def page(
        self,
        number: int = 1,
        *,
        filter: FilterArg | None = None,
        sort: Names | None = None,
        include: Names | None = None,
        fields: Fields | None = None,
        page_size: int | None = None,
    ) -> Page[M]:
        """One page of the collection, with ``meta``, ``links`` and ``included``."""
        query = build_params(filter=filter, sort=sort, include=include, fields=fields)
        return await self._page(query, number, page_size)

    async def _page(self, query: Params, number: int, page_size: int | None) -> Page[M]:
        params = query + build_params(page=number, page_size=page_size)
        url = self._core.url(self.spec.path, params)
        document = await self._core.request_json("GET", url)
        return Page.parse(self.spec.model, document, number, url)

    def list(
        self,
        *,
        filter: FilterArg | None = None,
        sort: Names | None = None,
        include: Names | None = None,
        fields: Fields | None = None,
        page_size: int | None = None,
        concurrency: int | None = None,
    ) -> Paginator[M]:
        """Every matching record, page after page (see casebook_async.pagination for the modes).

        ``concurrency`` bounds the pages fetched ahead (default: the client's ``page_concurrency``).
        Arguments are validated now, before anything is sent.
        """
        # Encoded once and reused for every page: a filter given as a generator can only be read once.
        query = build_params(filter=filter, sort=sort, include=include, fields=fields)
        build_params(page_size=page_size)
        window = concurrency if concurrency is not None else self._page_concurrency
        if isinstance(window, bool) or not isinstance(window, int) or window < 1:
            raise InvalidInputError(f"concurrency must be a positive integer, got {window!r}")

        async def fetch_number(number: int) -> Page[M]:
            return await self._page(query, number, page_size)

        async def fetch_url(url: str) -> Page[M]:
            url = self._core.resolve(url)
            document = await self._core.request_json("GET", url)
            return Page.parse(self.spec.model, document, None, url)

        return Paginator(lambda: Pages(fetch_number, fetch_url, window))

    def validate_create(self, attributes: C | Mapping[str, Any]) -> dict[str, Any]:
        """The JSON attributes ``create`` would send; InvalidInputError for what the API would refuse."""
        return self._attributes(attributes, self.spec.create_model, self._server_set)

    def validate_update(self, attributes: U | Mapping[str, Any]) -> dict[str, Any]:
        """The JSON attributes ``update`` would send; InvalidInputError for what the API would refuse."""
        return self._attributes(attributes, self.spec.update_model, self._server_set_on_update)

    def _attributes(self, value: Any, model: type[Model], server_set: frozenset[str]) -> dict[str, Any]:
        if isinstance(value, model):
            return value.to_dict()
        if not isinstance(value, Mapping):
            raise InvalidInputError(
                f"{self.spec.jsonapi_type}: attributes must be a {model.__name__} or a mapping, "
                f"got {type(value).__name__}"
            )
        forbidden = sorted(k for k in value if k in server_set)
        if forbidden:
            raise InvalidInputError(f"{self.spec.jsonapi_type}: {', '.join(forbidden)} are set by the server")
        try:
            return model.from_dict(value).to_dict()
        except KeyError as exc:
            raise InvalidInputError(
                f"{self.spec.jsonapi_type}: missing required attribute {exc.args[0]!r}"
            ) from None
        except (ValueError, TypeError) as exc:
            raise InvalidInputError(f"{self.spec.jsonapi_type}: invalid attributes: {exc}") from None

    def _record(self, document: Any, method: str) -> M:
        try:
            return Document.parse(self.spec.model, document).data
        except InvalidResponseError as exc:
            raise InvalidResponseError(f"{method} {self.spec.path}: {exc}") from exc

    async def create(self, attributes: C | Mapping[str, Any]) -> M:
        """POST a new record. Retried only if the connection was never made; see OutcomeUnknownError."""
        body = {
            "data": {
                "type": self.spec.jsonapi_type,
                "attributes": self.validate_create(attributes),
            }
        }
        document = await self._core.request_json("POST", self._core.url(self.spec.path), body=body)
        return self._record(document, "POST")

    async def update(self, id: str, attributes: U | Mapping[str, Any]) -> M:
        """PATCH only the given attributes."""
        path = self._member(id)
        attrs_ = self.validate_update(attributes)
        body = {"data": {"type": self.spec.jsonapi_type, "id": id, "attributes": attrs_}}
        document = await self._core.request_json("PATCH", self._core.url(path), body=body)
        return self._record(document, "PATCH")

    async def delete(self, id: str) -> None:
        """Soft-delete a record."""
        await self._core.request_json("DELETE", self._core.url(self._member(id)), expect_body=False)
