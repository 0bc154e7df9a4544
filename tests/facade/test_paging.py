"""casebook_async.paging: how a listing's pages are read from the server's own links and meta."""

from __future__ import annotations

import pytest

from casebook_async import PaginationError
from casebook_async.paging import (
    Links,
    PageTemplate,
    Templates,
    check_page,
    current_page,
    derive_template,
    href,
    page_count,
    page_total,
    record_total,
)

BASE = "https://api.casebook.net/people/people"


def test_links_are_strings_or_link_objects_and_resolve_against_the_page() -> None:
    assert href("https://x/a") == "https://x/a"
    assert href({"href": "https://x/a", "meta": {"count": 1}}) == "https://x/a"
    assert href({"meta": {}}) is None
    assert href(None) is None
    assert href("") is None
    assert href(42) is None
    links = Links.parse(
        {"self": {"href": "?page[number]=1"}, "next": "?page[number]=2", "last": None}, f"{BASE}?x=1"
    )
    assert links == Links(self_=f"{BASE}?page[number]=1", next=f"{BASE}?page[number]=2", paginated=True)
    assert not Links.parse({"self": BASE}, BASE).paginated  # a self link alone advertises no pages
    assert Links.parse({"self": BASE, "next": None}, BASE).paginated  # an explicit null: no next page
    assert Links.parse("junk", BASE) == Links()


@pytest.mark.parametrize(
    ("meta", "records", "pages", "current"),
    [
        ({"record_count": 620, "page_count": 7, "page_number": 2}, 620, 7, 2),  # JSONAPI::Resources
        ({"pagination": {"page": 3, "pages": 62, "count": 620}}, 620, 62, 3),  # DRF JSON:API
        ({"page": {"currentPage": 1, "lastPage": 7, "total": 620}}, 620, 7, 1),  # Laravel JSON:API
        ({"totalResourceCount": 620}, 620, None, None),  # crnk
        ({"stats": {"total": {"count": 620}}}, 620, None, None),  # Graphiti
        ({"total": 620, "total_pages": 7}, 620, 7, None),
        ({"record_count": True, "page_count": -1, "page_number": "2"}, None, None, None),  # not counts
        ({}, None, None, None),
        (None, None, None, None),
    ],
)
def test_totals_under_the_names_servers_use(
    meta: dict[str, object] | None, records: int | None, pages: int | None, current: int | None
) -> None:
    assert (record_total(meta), page_total(meta), current_page(meta)) == (records, pages, current)


def links(**urls: str | None) -> Links:
    return Links.parse(urls, None)


@pytest.mark.parametrize(
    ("requested", "page_links", "length", "expected"),
    [
        # JSONAPI::Resources: self and next differ in page[number] (percent-encoded brackets are the same key)
        (
            f"{BASE}?page[size]=10",
            links(
                self=f"{BASE}?page%5Bnumber%5D=1&page%5Bsize%5D=10",
                next=f"{BASE}?page%5Bnumber%5D=2&page%5Bsize%5D=10",
            ),
            10,
            ("page[number]", 1, 1),
        ),
        # DRF JSON:API: no self; first names page 1
        (
            f"{BASE}?page[size]=10",
            links(first=f"{BASE}?page[number]=1&page[size]=10", next=f"{BASE}?page[number]=2&page[size]=10"),
            10,
            ("page[number]", 1, 1),
        ),
        # our documented default: page and page[size]
        (
            f"{BASE}",
            links(self=f"{BASE}?page=1&page[size]=10", next=f"{BASE}?page=2&page[size]=10"),
            10,
            ("page", 1, 1),
        ),
        # offsets: step is the page length
        (
            f"{BASE}?page[size]=25",
            links(
                self=f"{BASE}?page[offset]=0&page[limit]=25", next=f"{BASE}?page[offset]=25&page[limit]=25"
            ),
            25,
            ("page[offset]", 0, 25),
        ),
        # no self or first: page 1 was the default page, next adds the parameter (and the server's size)
        (f"{BASE}", links(next=f"{BASE}?page[number]=2&page[size]=10"), 10, ("page[number]", 1, 1)),
        (f"{BASE}", links(next=f"{BASE}?page[offset]=10&page[limit]=10"), 10, ("page[offset]", 0, 10)),
        (f"{BASE}", links(next=f"{BASE}?page[number]=1"), 10, ("page[number]", 0, 1)),  # 0-based numbers
        # two records a page and next=2: only the name tells an offset from a page number
        (f"{BASE}", links(next=f"{BASE}?page[offset]=2"), 2, ("page[offset]", 0, 2)),
        (f"{BASE}", links(next=f"{BASE}?page[number]=2"), 2, ("page[number]", 1, 1)),
    ],
)
def test_a_template_comes_from_the_servers_own_next_link(
    requested: str, page_links: Links, length: int, expected: tuple[str, int, int]
) -> None:
    template = derive_template(requested, page_links, length)
    assert template is not None
    assert (template.parameter, template.first, template.step) == expected
    assert template.url == page_links.next
    assert template.url_for(2) == page_links.next
    assert template.number_of(page_links.next) == 2


@pytest.mark.parametrize(
    "page_links",
    [
        links(self=f"{BASE}?page[cursor]=abc", next=f"{BASE}?page[cursor]=def"),  # opaque cursor
        links(next=f"{BASE}?page[after]=7f3a"),  # added, but not a number
        links(self=f"{BASE}?page=1&sort=a", next=f"{BASE}?page=2&sort=b"),  # something else changed
        links(self=f"{BASE}?page=1&x=1", next=f"{BASE}?page=2&x=2"),  # two numbers moved
        links(self=f"{BASE}?page=2", next=f"{BASE}?page=1"),  # backwards
        links(self=f"{BASE}?page=1", next="https://api.casebook.net/other?page=2"),  # another path
        links(next=f"{BASE}?page[number]=5"),  # an implied start that fits nothing
        links(self=f"{BASE}?page=1"),  # no next at all
    ],
)
def test_no_template_when_only_the_server_can_make_the_next_url(page_links: Links) -> None:
    assert derive_template(BASE, page_links, 10) is None


def test_template_urls_keep_the_servers_spelling_and_order() -> None:
    template = PageTemplate(f"{BASE}?filter%5Bx%5D=a+b&page%5Bnumber%5D=2&page%5Bsize%5D=10", "page[number]")
    assert template.url_for(7) == f"{BASE}?filter%5Bx%5D=a+b&page%5Bnumber%5D=7&page%5Bsize%5D=10"
    # a parameter not in the URL goes before the page size, as the docs order them
    own = PageTemplate(f"{BASE}?filter[x]=a&page[size]=10", "page")
    assert own.url_for(3) == f"{BASE}?filter[x]=a&page=3&page[size]=10"
    assert PageTemplate(BASE, "page").url_for(2) == f"{BASE}?page=2"
    offsets = PageTemplate(f"{BASE}?page[offset]=25&page[limit]=25", "page[offset]", 0, 25)
    assert offsets.url_for(4) == f"{BASE}?page[offset]=75&page[limit]=25"
    assert offsets.number_of(f"{BASE}?page[offset]=50") == 3
    assert offsets.number_of(f"{BASE}?page[offset]=60") == -1  # off the grid: never a valid page
    assert offsets.number_of(BASE) is None


def test_page_count_from_last_link_meta_or_record_total() -> None:
    numbers = PageTemplate(f"{BASE}?page[number]=2&page[size]=10", "page[number]")
    assert page_count(numbers, links(last=f"{BASE}?page[number]=62&page[size]=10"), {}, 10) == 62
    assert page_count(numbers, links(), {"pagination": {"pages": 62}}, 10) == 62
    assert page_count(numbers, links(), {"total": 615}, 10) == 62  # page size from the link
    assert page_count(PageTemplate(f"{BASE}?page=2", "page"), links(), {"total": 615}, 7) == 88  # page length
    offsets = PageTemplate(f"{BASE}?page[offset]=25&page[limit]=25", "page[offset]", 0, 25)
    assert page_count(offsets, links(last=f"{BASE}?page[offset]=600&page[limit]=25"), {}, 25) == 25
    assert page_count(offsets, links(), {"total": 601}, 25) == 25
    assert page_count(numbers, links(), {}, 10) is None
    with pytest.raises(PaginationError, match=r"links.last is page 62, meta says 61 pages"):
        page_count(numbers, links(last=f"{BASE}?page[number]=62"), {"page_count": 61}, 10)


def test_a_page_must_be_the_page_it_was_asked_to_be() -> None:
    template = PageTemplate(f"{BASE}?page[number]=2&page[size]=2", "page[number]")

    def check(number: int, page_links: Links, meta: dict[str, object], ids: list[str]) -> None:
        check_page(template, number, page_links, meta, ids, ["a", "b"])

    good = links(
        self=template.url_for(3), prev=template.url_for(2), next=template.url_for(4), last=template.url_for(9)
    )
    check(3, good, {"pagination": {"page": 3}}, ["e", "f"])
    check(3, links(), {}, ["e", "f"])  # nothing said: nothing contradicted
    check(9, links(self=template.url_for(9), prev=template.url_for(8)), {}, ["q"])  # the last page
    check(2, links(prev=f"{BASE}?page[size]=2"), {}, ["c", "d"])  # page 1's URL may lack the number
    with pytest.raises(PaginationError, match=r"asked for page 3 \(page\[number\]=3\).*links.self names"):
        check(3, links(self=template.url_for(1)), {}, ["e", "f"])
    with pytest.raises(PaginationError, match="meta says it is page 1"):
        check(3, links(), {"page_number": 1}, ["e", "f"])
    with pytest.raises(PaginationError, match="its records are page 1's"):
        check(3, links(), {}, ["a", "b"])
    with pytest.raises(PaginationError, match=r"links\.next names page\[number\]=2"):
        check(3, links(next=template.url_for(2)), {}, ["e", "f"])


def test_learned_templates_are_bounded_and_least_recently_used_go_first() -> None:
    templates = Templates(size=2)
    a, b, c = (PageTemplate(f"{BASE}?page={n}", "page") for n in (1, 2, 3))
    templates.put("a", a)
    templates.put("b", b)
    assert templates.get("a") is a  # a is now the most recent
    templates.put("c", c)
    assert (templates.get("a"), templates.get("b"), templates.get("c")) == (a, None, c)
