"""What a collection page says about its place in a listing, read from the server's answer.

JSON:API reserves the ``page`` parameter family but leaves its members to the server, which advertises its
pages through ``links`` (``self``, ``first``, ``prev``, ``next``, ``last``: URL strings or, since 1.1,
link objects with an ``href``). Casebook's docs give ``page=<N>`` and ``page[size]=<S>`` and say nothing of
links or totals; stock servers page with ``page[number]``, ``page[offset]``/``page[limit]`` or opaque
cursors, and report totals under several ``meta`` names. A nested query parser (Rack's) cannot even hold
``page=3`` beside ``page[size]=10``. So nothing here is assumed:

* page 1 is requested without a page number (every server's default page);
* ``links.next`` is always correct to follow, one page at a time;
* when ``links.next`` differs from page 1's own URL in exactly one integer parameter (a page number or an
  offset) and the server says how many pages there are, page *n*'s URL is that link with only that
  parameter changed, so pages can be fetched concurrently; each such page must then agree with what it
  was asked to be (its own ``links`` and ``meta``, and not a repeat of page 1), or the listing stops with
  ``PaginationError``;
* only a server that sends no pagination links at all is paged by the configured parameter
  (``page``, as documented), checked the same way.

Pure functions and small values: no I/O, so every rule is unit-tested on its own.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final
from urllib.parse import quote, unquote_plus, urljoin, urlsplit, urlunsplit

from .errors import PaginationError

PAGE_PARAMETERS: Final = ("page", "page[number]")  # what the client may use when a server sends no links
_SIZE_PARAMETERS: Final = ("page[size]", "page[limit]")

# Totals as JSON:API servers report them in top-level meta (path into meta). First match wins.
# record_count/page_count: JSONAPI::Resources and our inferred Casebook spec; pagination.*: Django REST
# framework JSON:API; page.*: Laravel JSON:API and json-api-server; totalResourceCount: crnk; stats: Graphiti.
_RECORD_TOTAL: Final = (
    ("record_count",),
    ("total",),
    ("total_count",),
    ("totalCount",),
    ("total-count",),
    ("totalResourceCount",),
    ("pagination", "count"),
    ("page", "total"),
    ("stats", "total", "count"),
)
_PAGE_TOTAL: Final = (
    ("page_count",),
    ("total_pages",),
    ("totalPages",),
    ("pagination", "pages"),
    ("page", "lastPage"),
    ("page", "last_page"),
)
_CURRENT_PAGE: Final = (  # 1-based everywhere listed
    ("page_number",),
    ("current_page",),
    ("currentPage",),
    ("pagination", "page"),
    ("page", "currentPage"),
    ("page", "current_page"),
)


def href(value: Any) -> str | None:
    """A link's URL: a string, or a link object's ``href`` (JSON:API 1.1); None for null or junk."""
    if isinstance(value, Mapping):
        value = value.get("href")
    return value if isinstance(value, str) and value else None


def _meta_int(meta: Mapping[str, Any] | None, paths: Sequence[tuple[str, ...]]) -> int | None:
    for path in paths:
        node: Any = meta
        for key in path:
            node = node.get(key) if isinstance(node, Mapping) else None
        if isinstance(node, int) and not isinstance(node, bool) and node >= 0:
            return node
    return None


def record_total(meta: Mapping[str, Any] | None) -> int | None:
    return _meta_int(meta, _RECORD_TOTAL)


def page_total(meta: Mapping[str, Any] | None) -> int | None:
    return _meta_int(meta, _PAGE_TOTAL)


def current_page(meta: Mapping[str, Any] | None) -> int | None:
    return _meta_int(meta, _CURRENT_PAGE)


@dataclass(frozen=True)
class Links:
    """A collection document's pagination links, absolute (relative ones resolved against the page URL)."""

    self_: str | None = None
    first: str | None = None
    prev: str | None = None
    next: str | None = None
    last: str | None = None
    # Whether the server advertises pages at all (any of first/prev/next/last, even null): then a missing
    # `next` means "no next page", not "this server does not say".
    paginated: bool = False

    @classmethod
    def parse(cls, raw: Any, base_url: str | None) -> Links:
        if not isinstance(raw, Mapping):
            return cls()

        def absolute(name: str) -> str | None:
            url = href(raw.get(name))
            if url is None or not base_url or url.startswith(("https://", "http://")):
                return url  # (urljoin would return an absolute URL unchanged, at ~10 us a link)
            try:
                return urljoin(base_url, url)  # RFC 3986: "?page=2" is relative to the page's own URL
            except ValueError:  # e.g. "http://[::1/x": kept; following it raises PaginationError
                return url

        paginated = any(name in raw for name in ("first", "prev", "next", "last"))
        return cls(
            absolute("self"),
            absolute("first"),
            absolute("prev"),
            absolute("next"),
            absolute("last"),
            paginated,
        )


def query_pairs(url: str) -> list[tuple[str, str]]:
    """Decoded (key, value) pairs in order; ``page%5Bnumber%5D`` and ``page[number]`` are the same key."""
    query = urlsplit(url).query
    pairs = []
    for part in query.split("&") if query else ():
        key, _, value = part.partition("=")
        pairs.append((unquote_plus(key), unquote_plus(value)))
    return pairs


def _int(text: str | None) -> int | None:
    if text is None or not text.isascii() or not text.lstrip("-").isdigit():
        return None
    return int(text)


def _parameter(url: str | None, parameter: str) -> int | None:
    if url is None:
        return None
    try:
        return next((_int(v) for k, v in query_pairs(url) if k == parameter), None)
    except ValueError:
        return None


@dataclass(frozen=True)
class PageTemplate:
    """Page *n* of one listing: ``url`` with ``parameter`` set to ``first + (n - 1) * step``.

    ``step`` is 1 for page numbers and the page length for offsets. The URL keeps the server's own spelling
    of every other parameter."""

    url: str
    parameter: str
    first: int = 1
    step: int = 1

    def value(self, number: int) -> int:
        return self.first + (number - 1) * self.step

    def url_for(self, number: int) -> str:
        prefix, suffix = self._around_value
        return f"{prefix}{self.value(number)}{suffix}"

    def number_of(self, url: str | None) -> int | None:
        """Which page of this listing ``url`` names; None when it does not carry the parameter.
        A value off the template's grid gives a non-integer page, returned as -1 (never a valid page)."""
        if url is None:
            return None
        prefix, suffix = self._around_value
        middle = url[len(prefix) : len(url) - len(suffix)] if url.startswith(prefix) else ""
        if url.endswith(suffix) and middle.isascii() and middle.isdigit():
            value: int | None = int(middle)  # spelled as the template spells it: no parsing needed
        else:
            value = _parameter(url, self.parameter)
        if value is None:
            return None
        pages, rest = divmod(value - self.first, self.step)
        return pages + 1 if rest == 0 else -1

    @cached_property
    def _around_value(self) -> tuple[str, str]:
        """The URL before and after the parameter's value, so that page n's URL is a concatenation."""
        marker = "\x00"  # cannot occur in a URL
        parts = urlsplit(self.url)
        pieces = parts.query.split("&") if parts.query else []
        for i, piece in enumerate(pieces):
            if unquote_plus(piece.partition("=")[0]) == self.parameter:
                pieces[i] = f"{piece.partition('=')[0]}={marker}"
                break
        else:  # not in the URL yet: before the page size, as the docs order them (page=N&page[size]=S)
            at = next(
                (i for i, p in enumerate(pieces) if unquote_plus(p.partition("=")[0]) in _SIZE_PARAMETERS),
                len(pieces),
            )
            pieces.insert(at, f"{quote(self.parameter, safe='[]')}={marker}")
        prefix, _, suffix = urlunsplit(parts._replace(query="&".join(pieces))).partition(marker)
        return prefix, suffix


TemplateKey = tuple[Hashable, int | None]  # (the query's parameters, the page size)


@dataclass(frozen=True)
class FirstAnswer:
    """What page 1 of a query answered, kept a while so that page n of the same query needs no second
    request for page 1: its URL, links and length (the template is worked out only if page n is asked
    for) and, from a server without pagination links, its ids (page n must not be page 1 again)."""

    url: str
    links: Links
    length: int
    ids: tuple[str, ...] = ()


class Templates:
    """What page 1 taught a resource: the templates of recent queries (keyed by the query), so ``page(n)``
    for the same query fetches page 1 once (bounded: least recently used entries go first), and the
    server's page-size parameter. Shared by the views of a resource (``with_options``, raw responses).

    The answers of page 1 are kept apart, fewer and for a shorter while: every page of a keyset scan is a
    page 1 of its own query, never followed by a page 2, and must not push out the learned templates."""

    def __init__(self, size: int = 64, answers: int = 16) -> None:
        self._size = size
        self._entries: OrderedDict[TemplateKey, PageTemplate] = OrderedDict()
        self._answers_size = answers
        self._answers: OrderedDict[TemplateKey, FirstAnswer] = OrderedDict()
        self.size_parameter = "page[size]"  # as documented, until a server's links name their own

    def get(self, key: TemplateKey) -> PageTemplate | None:
        template = self._entries.get(key)
        if template is None and (answer := self._answers.get(key)) is not None:
            template = derive_template(answer.url, answer.links, answer.length)
            if template is not None:  # else pages are followed one by one, or there are no links
                del self._answers[key]
                self.put(key, template)
        if template is not None:
            self._entries.move_to_end(key)
        return template

    def first_answer(self, key: TemplateKey) -> FirstAnswer | None:
        return self._answers.get(key)

    def put(self, key: TemplateKey, template: PageTemplate) -> None:
        self._entries[key] = template
        self._entries.move_to_end(key)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)

    def resized(self, query: Hashable, size: int | None) -> PageTemplate | None:
        """The template of ``query`` at ``size`` made from one learned at another size (page 1 then read
        at another size need not be read again at this one); None if there is none to make it from."""
        if size is None:
            return None
        known = [*reversed(self._entries), *reversed(self._answers)]  # the most recent first
        for key in [key for key in known if key[0] == query and key[1] not in (None, size)]:
            learned, learned_size = self.get(key), key[1]
            template = resize(learned, learned_size, size) if learned and learned_size else None
            if template is not None:
                self.put((query, size), template)
                return template
        return None

    def remember_first(self, key: TemplateKey, answer: FirstAnswer) -> None:
        """Page 1 of ``key`` was read (a template already learned for it is kept)."""
        if key not in self._entries:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self._answers_size:
                self._answers.popitem(last=False)


def _implied_start(parameter: str, next_value: int, length: int) -> tuple[int, int] | None:
    """(first, step) when page 1's URL lacks the parameter: page numbers start at 1, offsets at 0."""
    is_offset = next_value == length and length > 1
    is_number = next_value == 2
    if is_offset and is_number:  # two records a page, next=2: the name must tell
        is_offset, is_number = "offset" in parameter, "offset" not in parameter
    if is_offset:
        return 0, length
    if is_number:
        return 1, 1
    if next_value == 1:  # 0-based page numbers (or offsets of a one-record page: the same sequence)
        return 0, 1
    return None


def derive_template(requested: str, links: Links, length: int) -> PageTemplate | None:
    """The template of a listing from page 1's answer, or None when pages must be followed one by one.

    ``requested`` is the URL page 1 was fetched from and ``length`` its number of records. The reference
    for page 1 is the server's own ``self`` (else ``first``, else the request): ``next`` must differ from
    it in one integer parameter and in nothing else."""
    if links.next is None:
        return None
    reference = links.self_ or links.first or requested
    try:
        if urlsplit(links.next).path != urlsplit(reference).path:
            return None
        ours = dict(query_pairs(reference))
        theirs = query_pairs(links.next)
    except ValueError:
        return None
    moved: list[tuple[str, int]] = []  # present on both sides, another integer in next
    added: list[tuple[str, int]] = []  # only in next: page 1 was the server's default page
    for key, value in theirs:
        if ours.get(key) == value or key in _SIZE_PARAMETERS:  # a size the server chose is kept as it is
            continue
        number = _int(value)
        if number is None or (key in ours and _int(ours[key]) is None):
            return None  # a cursor or other opaque value changed: only the server can make the next URL
        (moved if key in ours else added).append((key, number))
    if len(moved) == 1:
        parameter, next_value = moved[0]
        first = _int(ours[parameter])
        assert first is not None
        start: tuple[int, int] | None = (first, next_value - first)
    elif not moved and len(added) == 1:
        parameter, next_value = added[0]
        start = _implied_start(parameter, next_value, length)
    else:
        return None
    if start is None or start[1] <= 0:
        return None
    return PageTemplate(links.next, parameter, *start)


def resize(template: PageTemplate, size: int, new_size: int) -> PageTemplate | None:
    """The same listing's template at another page size: the page-size parameter of its URL (spelled as
    the server spells it) set to ``new_size``, an offset's step with it. None unless the URL carries
    ``size`` as its one page size, or when page numbers and offsets cannot be told apart."""
    if size == new_size:
        return template
    if template.step == 1 and size > 1:
        step = 1  # page numbers
    elif template.step == size and size > 1:
        step = new_size  # offsets move by the page's length
    else:
        return None
    parts = urlsplit(template.url)
    pieces = parts.query.split("&") if parts.query else []
    sized = [i for i, p in enumerate(pieces) if unquote_plus(p.partition("=")[0]) in _SIZE_PARAMETERS]
    if len(sized) != 1 or _int(unquote_plus(pieces[sized[0]].partition("=")[2])) != size:
        return None
    pieces[sized[0]] = f"{pieces[sized[0]].partition('=')[0]}={new_size}"
    url = urlunsplit(parts._replace(query="&".join(pieces)))
    return PageTemplate(url, template.parameter, template.first, step)


def size_parameter(links: Links, sent: tuple[str, int] | None) -> tuple[str, int] | None:
    """The page-size parameter the server pages by, from its links (``page[size]``, ``page[limit]``), and
    its value; ``sent`` (what we asked for) does not count when a link merely repeats it. One link tells:
    the server spells them all alike."""
    url = links.next or links.first or links.last or links.prev or links.self_
    if url is None or ("size" not in url and "limit" not in url):  # (parsing every page's links costs)
        return None
    sizes = _sizes(url)
    for key in _SIZE_PARAMETERS:
        value = sizes.get(key)
        if value and (key, value) != sent:
            return key, value
    return None


def _size_of(url: str) -> int | None:
    sizes = _sizes(url)
    return next((value for key in _SIZE_PARAMETERS if (value := sizes.get(key))), None)


def _sizes(url: str) -> dict[str, int | None]:
    """The page-size parameters of ``url`` (the first of each), decoding only those: every keyset page's
    links are read here, and their filters are long."""
    try:
        query = urlsplit(url).query
    except ValueError:
        return {}
    found: dict[str, int | None] = {}
    for part in query.split("&") if query else ():
        key, _, value = part.partition("=")
        if "size" in key or "limit" in key:
            key = unquote_plus(key)
            if key in _SIZE_PARAMETERS and key not in found:
                found[key] = _int(unquote_plus(value))
    return found


def page_count(
    template: PageTemplate, links: Links, meta: Mapping[str, Any] | None, length: int
) -> int | None:
    """How many pages the server says the listing has (``links.last``, else a page total in meta, else a
    record total divided by the page length); PaginationError when ``last`` and meta disagree."""
    from_last = template.number_of(links.last)
    if from_last == -1:
        from_last = None
    from_meta = page_total(meta)
    if from_last is not None and from_meta is not None and from_last != max(from_meta, 1):
        raise PaginationError(
            f"the server contradicts itself: links.last is page {from_last}, meta says {from_meta} pages"
        )
    if from_last is not None:
        return from_last
    if from_meta is not None:
        return from_meta
    records = record_total(meta)
    per_page = template.step if template.step > 1 else _size_of(template.url) or length
    if records is None or per_page < 1:
        return None
    return math.ceil(records / per_page)


def check_page(
    template: PageTemplate,
    number: int,
    links: Links,
    meta: Mapping[str, Any] | None,
    ids: Sequence[str],
    first_ids: Sequence[str],
) -> None:
    """PaginationError unless page ``number`` (fetched from ``template.url_for(number)``) is that page by
    everything the server says about it: its own self/prev/next links, its meta page number, and its
    records (a page 2+ equal to page 1 means the server ignored the page parameter)."""
    said: list[str] = []
    for name, url, expected in (
        ("links.self", links.self_, number),
        ("links.prev", links.prev, number - 1),
        ("links.next", links.next, number + 1),
    ):
        found = template.number_of(url)
        if found is not None and found != expected:
            said.append(f"{name} names {_describe(template, url)}")
    reported = current_page(meta)
    if reported is not None and reported != number:
        said.append(f"meta says it is page {reported}")
    if number > 1 and ids and list(ids) == list(first_ids):
        said.append("its records are page 1's")
    if said:
        raise PaginationError(
            f"asked for page {number} ({template.parameter}={template.value(number)}) but the server "
            f"answered another page: {'; '.join(said)}. The server does not page by "
            f"{template.parameter!r} the way its links or the configured page_parameter suggest"
        )


def _describe(template: PageTemplate, url: str | None) -> str:
    return f"{template.parameter}={_parameter(url, template.parameter)}"
