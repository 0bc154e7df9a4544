"""A typed namespace per resource (``cb.people``, ``cb.cases``, ...): get, list, page, create, update, delete.

Records are the generated attrs models (``Person``, ``Case``, ...). Create/update take the generated
``XCreateAttributes``/``XUpdateAttributes`` or a plain dict, which is validated locally through the same
model (missing required attributes, enum values, server-set attributes) before any request is sent.
"""

from __future__ import annotations

import builtins
import copy
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar, overload
from urllib.parse import quote

import attrs

import casebook_openapi.models as generated
from casebook_openapi.models import Resource as IncludedResource
from casebook_openapi.types import UNSET, Unset

from .documents import Document, M, Model, Page, R, linked_to
from .enums import enum_problem
from .errors import InvalidInputError, InvalidResponseError, PaginationError, RelationshipNotSavedError
from .http import HTTPCore
from .pagination import Pages, Paginator
from .paging import (
    FirstAnswer,
    PageTemplate,
    Templates,
    check_page,
    current_page,
    derive_template,
    size_parameter,
)
from .query import FilterArg, Params, build_params, positive_int
from .raw import raw
from .writes import ForeignKeys, Linkage, merge_relationships, relationship, unsaved, write_data

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer

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
    """Where a resource lives and which generated models describe it (casebook_async/_generated.py).

    The models are named, not held: each is imported on first use, so that ``import casebook_async`` does
    not import every generated model."""

    path: str  # e.g. "/people/people"
    jsonapi_type: str  # e.g. "people"
    schema: str  # e.g. "Person": the models Person, PersonCreateAttributes, PersonUpdateAttributes
    relationships: Mapping[str, RelationshipSpec] = field(default_factory=dict, hash=False)
    max_page_size: int | None = None  # the spec's maximum of page[size] for this collection

    @cached_property
    def model(self) -> type[M]:
        model: type[M] = getattr(generated, self.schema)
        return model

    @cached_property
    def create_model(self) -> type[C]:
        model: type[C] = getattr(generated, f"{self.schema}CreateAttributes")
        return model

    @cached_property
    def update_model(self) -> type[U]:
        model: type[U] = getattr(generated, f"{self.schema}UpdateAttributes")
        return model


def _field_names(cls: type[Any] | None) -> frozenset[str]:
    if cls is None or not attrs.has(cls):
        return frozenset()
    return frozenset(f.name for f in attrs.fields(cls) if f.name != "additional_properties")


def _ids(value: Any) -> builtins.list[str]:
    """A foreign key's value (an id, None, or a list of ids) as a list of ids."""
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, builtins.list) else [str(value)]


def _check_id(id: object) -> str:
    if not isinstance(id, str) or not id.strip():
        raise InvalidInputError(f"a record id is required (a non-empty string), got {id!r}")
    return id


class ResourceAPI(Generic[M, C, U]):
    """Operations on one Casebook resource."""

    def __init__(
        self,
        core: HTTPCore,
        spec: ResourceSpec[M, C, U],
        page_concurrency: int,
        *,
        page_parameter: str = "page",
        foreign_keys: ForeignKeys = "both",
    ) -> None:
        self._core = core
        self.spec = spec
        self._page_concurrency = page_concurrency
        self._page_parameter = page_parameter  # used only with a server that sends no pagination links
        self._templates = Templates()
        self._foreign_keys = foreign_keys

    # Attributes the server sets (readOnly in the spec): in the read model, absent from the write model.
    # Worked out on first use: a client is made without importing any model.
    @cached_property
    def _read_attributes(self) -> frozenset[str]:
        return _field_names(getattr(generated, f"{self.spec.schema}Attributes", None))

    @cached_property
    def _server_set(self) -> frozenset[str]:
        return self._read_attributes - _field_names(self.spec.create_model)

    @cached_property
    def _server_set_on_update(self) -> frozenset[str]:
        return self._read_attributes - _field_names(self.spec.update_model)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.spec.path}>"

    def _with_core(self, core: HTTPCore) -> Self:
        """This namespace sending through ``core`` (a view of the client's: see HTTPCore.with_options)."""
        view = copy.copy(self)
        view._core = core
        return view

    @property
    def with_raw_response(self) -> RawResponses[M, C, U]:
        """The same calls, each returning a ``RawResponse``: status, headers and request id of the answer,
        and ``.parse()`` for the result: ``raw = await cb.people.with_raw_response.get(id)``."""
        return RawResponses(self)

    @property
    def http(self) -> HTTPCore:
        """The client's request sender (its ``limiter`` caps the requests in flight)."""
        return self._core

    @property
    def _member_route(self) -> str:
        """The template of a record's path, for tracing: ``/people/people/{id}``."""
        return f"{self.spec.path}/{{id}}"

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
        document = await self._core.request_json("GET", url, route=self._member_route)
        return Document.parse(self.spec.model, document)

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
        """One page of the collection, with ``meta``, ``links`` and ``included``.

        Page 1 is asked for without a page number. Page *n* > 1 is made from page 1's ``links.next`` (so
        the first call for a query also fetches page 1, once, unless ``page(1)`` of it was read recently)
        and checked against what the server says it is: PaginationError rather than another page under
        this page's number."""
        number = positive_int(number, "page")
        query = build_params(filter=filter, sort=sort, include=include, fields=fields)
        page_size = self._page_size(page_size)  # validated before anything is sent
        if number == 1:
            page = await self._first(query, page_size)
            reported = current_page(page.meta)
            if reported is not None and reported != 1:
                raise PaginationError(
                    f"asked for the first page, the server's meta says it is page {reported}"
                )
            unlinked = not page.links.paginated  # no first/prev/next/last at all
            answer = FirstAnswer(
                page.url or "", page.links, len(page.data), tuple(page.ids) if unlinked else ()
            )
            self._templates.remember_first((tuple(query), page_size), answer)
            return page
        key = (tuple(query), page_size)
        template = self._templates.get(key) or self._templates.resized(key[0], page_size)
        first_ids: Sequence[str] = ()
        known = self._templates.first_answer(key) if template is None else None
        if known is not None and not known.links.paginated:
            # A server without pagination links: numbered by the configured parameter, checked against
            # page 1's records (a server ignoring that parameter answers page 1 again).
            template, first_ids = PageTemplate(known.url, self._page_parameter), known.ids
        if template is None:
            first = await self._first(query, page_size)
            first_ids = first.ids
            template = derive_template(first.url or "", first.links, len(first.data))
            if template is not None:
                self._templates.put(key, template)
            elif first.links.next is not None:  # a cursor: only the server can make page n's URL
                return await self._walk(first, number)
            elif first.links.paginated:  # the server says page 1 is the only page
                return Page.empty(self.spec.model, number, first.meta)
            else:
                template = PageTemplate(first.url or "", self._page_parameter)
        page = await self._fetch(template.url_for(number), number)
        check_page(template, number, page.links, page.meta, page.ids, first_ids)
        return page

    async def _walk(self, page: Page[M], number: int) -> Page[M]:
        """Page ``number`` of a cursor-paged listing: ``links.next`` followed from page 1."""
        followed: set[str] = set()
        for position in range(2, number + 1):
            url = page.next_url
            if url is None:
                return Page.empty(self.spec.model, number, page.meta)
            if url in followed:
                raise PaginationError("links.next repeats an already fetched page")
            followed.add(url)
            page = await self._fetch(url, position)
        return page

    def _page_size(self, page_size: int | None) -> int | None:
        """The page size to ask for: ``page_size`` (a positive integer, at most the spec's maximum), or by
        default the largest the spec allows, so that a listing takes as few requests as it can."""
        if page_size is None:
            return self.spec.max_page_size
        return positive_int(page_size, "page_size", self.spec.max_page_size)

    def _size_params(self, page_size: int | None) -> Params:
        return [] if page_size is None else [(self._templates.size_parameter, str(page_size))]

    async def _first(self, query: Params, page_size: int | None) -> Page[M]:
        """Page 1, without a page number. A server whose links show it ignored our page-size parameter for
        one of its own (``page[limit]``) is asked again in its words, here and from now on."""
        url = self._core.url(self.spec.path, query + self._size_params(page_size))
        page = await self._fetch(url, 1)
        if page_size is None:
            return page
        learned = self._templates
        said = size_parameter(page.links, (learned.size_parameter, page_size))
        if said is not None and said[0] != learned.size_parameter:
            learned.size_parameter = said[0]  # the server's links use their own size parameter: so do we
            if said[1] != page_size:  # it ignored ours: ask again in its words
                url = self._core.url(self.spec.path, query + self._size_params(page_size))
                page = await self._fetch(url, 1)
        return page

    async def _fetch(self, url: str, number: int) -> Page[M]:
        tracer = self._core.tracer()
        if tracer is None:
            return await self._fetch_page(url, number)
        from . import _otel  # only once there is a tracer

        name, attributes = f"page {self.spec.jsonapi_type}", {"casebook.page.number": number}
        with _otel.internal(
            tracer, name, {"casebook.resource": self.spec.jsonapi_type, **attributes}
        ) as span:
            page = await self._fetch_page(url, number)
            span.set_attribute("casebook.page.records", len(page.data))
            return page

    async def _fetch_page(self, url: str, number: int) -> Page[M]:
        document = await self._core.request_json("GET", url, route=self.spec.path)
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
        chosen, page_size = page_size, self._page_size(page_size)
        window = concurrency if concurrency is not None else self._page_concurrency
        if isinstance(window, bool) or not isinstance(window, int) or window < 1:
            raise InvalidInputError(f"concurrency must be a positive integer, got {window!r}")
        key = (tuple(query), page_size)

        def pages() -> Pages[M]:
            tracer = self._core.tracer()
            make = Pages if tracer is None else _traced_pages(tracer, self.spec.jsonapi_type)
            return make(
                self._fetch,
                lambda: self._first(query, page_size),
                self._page_parameter,
                window,
                # Only a size the caller chose ends a listing without links at a short page: a server may
                # cap the default below what it was asked for, and the listing must not stop there.
                page_size=chosen,
                learned=lambda template: self._templates.put(key, template),
            )

        return Paginator(pages)

    def validate_create(
        self, attributes: C | Mapping[str, Any], *, relationships: Mapping[str, Linkage] | None = None
    ) -> dict[str, Any]:
        """The JSON attributes ``create`` would send (foreign keys given as ``relationships`` included);
        InvalidInputError for what the API would refuse."""
        return self._attributes(attributes, relationships, self.spec.create_model, self._server_set)

    def validate_update(
        self, attributes: U | Mapping[str, Any], *, relationships: Mapping[str, Linkage] | None = None
    ) -> dict[str, Any]:
        """The JSON attributes ``update`` would send; InvalidInputError for what the API would refuse."""
        return self._attributes(attributes, relationships, self.spec.update_model, self._server_set_on_update)

    def _attributes(
        self,
        value: Any,
        relationships: Mapping[str, Linkage] | None,
        model: type[Model],
        server_set: frozenset[str],
    ) -> dict[str, Any]:
        if isinstance(value, model):
            value = value.to_dict()
        if not isinstance(value, Mapping):
            raise InvalidInputError(
                f"{self.spec.jsonapi_type}: attributes must be a {model.__name__} or a mapping, "
                f"got {type(value).__name__}"
            )
        value = merge_relationships(self.spec.jsonapi_type, self.spec.relationships, relationships, value)
        forbidden = sorted(k for k in value if k in server_set)
        if forbidden:
            raise InvalidInputError(f"{self.spec.jsonapi_type}: {', '.join(forbidden)} are set by the server")
        problem = enum_problem(model, value)
        if problem is not None:
            raise InvalidInputError(f"{self.spec.jsonapi_type}: {problem}")
        try:
            return model.from_dict(value).to_dict()
        except KeyError as exc:
            raise InvalidInputError(
                f"{self.spec.jsonapi_type}: missing required attribute {exc.args[0]!r}"
            ) from None
        except (ValueError, TypeError) as exc:
            raise InvalidInputError(f"{self.spec.jsonapi_type}: invalid attributes: {exc}") from None

    def _written(self, document: Any, method: str, path: str, attributes: dict[str, Any]) -> M:
        """The record the server answered, if it kept every relationship it was given."""
        try:
            record = Document.parse(self.spec.model, document).data
        except InvalidResponseError as exc:
            raise InvalidResponseError(f"{method} {self.spec.path}: {exc}") from exc
        dropped = unsaved(self.spec.relationships, attributes, document["data"])
        if dropped:
            raise RelationshipNotSavedError(method=method, path=path, record=record, relationships=dropped)
        return record

    async def create(
        self, attributes: C | Mapping[str, Any], *, relationships: Mapping[str, Linkage] | None = None
    ) -> M:
        """POST a new record. Retried only if the connection was never made; see OutcomeUnknownError.

        Foreign keys may be given as attributes (``provider_id``) or by relationship name
        (``relationships={"provider": "p1"}``, a list of ids for to-many); they are sent as the client's
        ``foreign_keys`` says, and RelationshipNotSavedError is raised when the answer shows a link not kept.
        """
        attributes_ = self.validate_create(attributes, relationships=relationships)
        data = write_data(self.spec.jsonapi_type, self.spec.relationships, attributes_, self._foreign_keys)
        document = await self._core.request_json(
            "POST", self._core.url(self.spec.path), body={"data": data}, route=self.spec.path
        )
        return self._written(document, "POST", self.spec.path, attributes_)

    async def update(
        self,
        id: str,
        attributes: U | Mapping[str, Any] | None = None,
        *,
        relationships: Mapping[str, Linkage] | None = None,
    ) -> M:
        """PATCH only the given attributes and relationships (see ``create`` for foreign keys)."""
        path = self._member(id)
        attributes_ = self.validate_update(attributes or {}, relationships=relationships)
        data = write_data(
            self.spec.jsonapi_type, self.spec.relationships, attributes_, self._foreign_keys, id
        )
        document = await self._core.request_json(
            "PATCH", self._core.url(path), body={"data": data}, route=self._member_route
        )
        return self._written(document, "PATCH", path, attributes_)

    @overload
    def related(self, record: M, name: str) -> builtins.list[IncludedResource]: ...
    @overload
    def related(self, record: M, name: str, as_: type[R]) -> builtins.list[R]: ...
    def related(self, record: M, name: str, as_: type[Any] | None = None) -> builtins.list[Any]:
        """The side-loaded records ``record``'s relationship ``name`` points to, in linkage order, however
        the record was reached (``get``, ``page``, any iteration of ``list``): ask for them with
        ``include=``. ``as_`` parses them as a model: ``cb.cases.related(case, "goals", as_=Goal)``."""
        self._relationship(name)
        linked = linked_to(record)
        if linked is None:
            return []
        return linked.related(record, name) if as_ is None else linked.related(record, name, as_)

    @overload
    def related_one(self, record: M, name: str) -> IncludedResource | None: ...
    @overload
    def related_one(self, record: M, name: str, as_: type[R]) -> R | None: ...
    def related_one(self, record: M, name: str, as_: type[Any] | None = None) -> Any:
        """The side-loaded record of a to-one relationship, or None (no link, or not included):
        ``cb.cases.related_one(case, "primary_person", as_=Person)``."""
        found = self.related(record, name) if as_ is None else self.related(record, name, as_)
        return found[0] if found else None

    def _relationship(self, name: str) -> RelationshipSpec:
        return relationship(self.spec.jsonapi_type, self.spec.relationships, name)

    def related_ids(self, record: M, name: str) -> builtins.list[str] | None:
        """The ids ``record``'s relationship ``name`` points to, from its foreign-key attribute or, on a
        server that shows foreign keys only as relationships, its linkage (``[]``: no link). None when the
        record shows neither (a sparse fieldset, or linkage the server sends only with ``include``)."""
        spec = self._relationship(name)
        if spec.attribute is not None:
            value = getattr(getattr(record, "attributes", None), spec.attribute, UNSET)
            if not isinstance(value, Unset):
                return _ids(value)
        linkage = getattr(getattr(record, "relationships", None), name, UNSET)
        data = getattr(linkage, "data", UNSET)
        if isinstance(data, Unset):
            return None
        return _ids([item.id for item in data] if isinstance(data, builtins.list) else data and data.id)

    async def delete(self, id: str) -> None:
        """Soft-delete a record."""
        url = self._core.url(self._member(id))
        await self._core.request_json("DELETE", url, expect_body=False, route=self._member_route)


class RawResponses(Generic[M, C, U]):
    """``cb.<resource>.with_raw_response``: get, retrieve, page, create, update and delete, each returning
    a ``RawResponse``. A listing spans many responses: event hooks (``ResponseEvent``) see each of them."""

    def __init__(self, api: ResourceAPI[M, C, U]) -> None:
        self.get = raw(api, ResourceAPI[M, C, U].get)
        self.retrieve = raw(api, ResourceAPI[M, C, U].retrieve)
        self.page = raw(api, ResourceAPI[M, C, U].page)
        self.create = raw(api, ResourceAPI[M, C, U].create)
        self.update = raw(api, ResourceAPI[M, C, U].update)
        self.delete = raw(api, ResourceAPI[M, C, U].delete)


def _traced_pages(tracer: Tracer, resource: str) -> Callable[..., Pages[Any]]:
    from . import _otel  # only once there is a tracer

    return functools.partial(_otel.TracedPages, tracer=tracer, resource=resource)
