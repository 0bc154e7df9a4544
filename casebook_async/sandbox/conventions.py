"""How the emulated server speaks JSON:API where Casebook's docs are silent: every choice here is legal
JSON:API 1.0/1.1, and each preset mirrors a stack found in the wild, so a client can be tested against all of
them. The default is our reading of Casebook's own docs (``page=<N>``, ``page[size]=<S>``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Paging = Literal["page", "page[number]", "offset", "cursor"]
ScalarPage = Literal["accept", "ignore", "reject"]
LinkStyle = Literal["strings", "objects", "none"]
MetaStyle = Literal["casebook", "pagination", "total", "none"]
ForeignKeys = Literal["attributes", "relationships", "strict"]


@dataclass(frozen=True)
class Conventions:
    """Args:
    paging: the page parameter family. "page": ``page=N`` (``page[number]`` also read) with ``page[size]``;
        "page[number]": ``page[number]``/``page[size]``; "offset": ``page[offset]``/``page[limit]``;
        "cursor": an opaque ``page[cursor]`` with ``page[size]``, no totals.
    scalar_page: what a server not paging by "page" does with a plain ``page=N``: read it as the number,
        ignore it (serve page 1, as Django REST framework JSON:API does), or reject it with 400 (Rack's nested
        parser cannot hold ``page=N`` beside ``page[size]``, and JSONAPI::Resources wants ``page`` a hash).
        A "reject" server is strict: it refuses any ``page[...]`` parameter it does not read; the others
        ignore them.
    links: pagination links as URL strings, as JSON:API 1.1 link objects ``{"href": ...}``, or none at all.
    self_link: whether a collection's links include ``self`` (DRF JSON:API sends only first/last/prev/next).
    meta: totals as ``record_count``/``page_count``/``page_number``/``page_size`` (JSONAPI::Resources, our
        inferred Casebook), ``pagination: {page, pages, count}`` (DRF JSON:API), ``total``, or none.
    foreign_keys: "attributes": ``*_id`` attributes (our inferred spec) and relationships both set them;
        "relationships": only relationships do, ``*_id`` attributes in a request are silently ignored and
        not shown; "strict": as "relationships", but a ``*_id`` attribute is refused with 400.
    validation_status: the status of a document that fails validation (422, or 400 as some servers do).
    page_size_cap: the most records a page holds whatever is asked: a larger ``page[size]`` is served at
        the cap without a word (Django REST framework's ``max_page_size``), the links naming the size
        served. None: sizes above the spec's maximum are refused with 400.
    """

    paging: Paging = "page"
    scalar_page: ScalarPage = "accept"
    links: LinkStyle = "strings"
    self_link: bool = True
    meta: MetaStyle = "casebook"
    foreign_keys: ForeignKeys = "attributes"
    validation_status: Literal[400, 422] = 422
    page_size_cap: int | None = None

    @classmethod
    def preset(cls, name: str) -> Conventions:
        try:
            return PRESETS[name]
        except KeyError:
            raise ValueError(f"unknown conventions preset {name!r}; known: {', '.join(PRESETS)}") from None


_CASEBOOK = Conventions()
PRESETS: dict[str, Conventions] = {
    "casebook": _CASEBOOK,
    "link-objects": replace(_CASEBOOK, links="objects"),
    "jsonapi-resources": Conventions(
        paging="page[number]", scalar_page="reject", foreign_keys="strict", validation_status=422
    ),
    "drf": Conventions(
        paging="page[number]",
        scalar_page="ignore",
        self_link=False,
        meta="pagination",
        foreign_keys="relationships",
        validation_status=400,
    ),
    "offset": Conventions(paging="offset", scalar_page="ignore", meta="total"),
    "cursor": Conventions(paging="cursor", scalar_page="reject", meta="none", links="objects"),
    "no-links": replace(_CASEBOOK, links="none"),
    # No links, totals in meta, and `page=N` silently ignored: a client numbering pages itself with the
    # documented `page` gets page 1 again and again; it can only notice and stop.
    "no-links-number-only": Conventions(paging="page[number]", scalar_page="ignore", links="none"),
}
