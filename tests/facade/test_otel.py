"""OpenTelemetry spans (the otel extra), recorded by the SDK's in-memory exporter: one per request, page,
listing, flow and bulk job, nested as the calls are, following the HTTP client conventions; nothing imported
or done without a tracer provider."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
import respx
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from casebook_async import Casebook, NotFoundError
from casebook_async.bulk import bulk_create
from casebook_async.flows import create_provider_with_location
from casebook_async.sandbox import Sandbox

from .conftest import BASE, jsonapi, person

pytestmark = pytest.mark.anyio


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def provider(exporter: InMemorySpanExporter) -> TracerProvider:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider


@pytest.fixture
async def sb() -> AsyncIterator[Sandbox]:
    async with Sandbox(seed=3, s3=False) as sandbox:
        sandbox.seed_data(people=12, providers=0, cases=0, notes=0, users=0, units_of_work=0)
        yield sandbox


def traced(sb: Sandbox, provider: TracerProvider, **credentials: str) -> Casebook:
    """A client of the in-process sandbox reporting to ``provider`` (with a sandbox token by default)."""
    credentials = credentials or {"token": sb.issue_token()}
    return Casebook(base_url=sb.base_url, transport=sb.transport, tracer_provider=provider, **credentials)  # type: ignore[arg-type]


def named(spans: tuple[ReadableSpan, ...], name: str) -> list[ReadableSpan]:
    return [span for span in spans if span.name == name]


def children(spans: tuple[ReadableSpan, ...], parent: ReadableSpan) -> list[ReadableSpan]:
    return [s for s in spans if s.parent is not None and s.parent.span_id == parent.context.span_id]


async def test_a_request_is_an_http_client_span(
    router: respx.MockRouter,
    make_client: Callable[..., Casebook],
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
) -> None:
    router.get("/people/people/1").mock(return_value=jsonapi({"data": person("1")}))
    router.get("/people/people/2").mock(return_value=jsonapi({"errors": [{"status": "404"}]}, 404))
    router.delete("/people/people/1").mock(return_value=httpx.Response(204))
    async with make_client(tracer_provider=provider) as cb:
        await cb.people.get("1")
        with pytest.raises(NotFoundError):
            await cb.people.get("2")
        await cb.people.delete("1")
    ok, missing, deleted = exporter.get_finished_spans()
    assert (ok.name, ok.kind) == ("GET /people/people/{id}", SpanKind.CLIENT)
    assert dict(ok.attributes or {}) == {
        "http.request.method": "GET",
        "server.address": "api.casebook.net",
        "server.port": 443,
        "url.full": f"{BASE}/people/people/1",
        "url.template": "/people/people/{id}",
        "http.response.status_code": 200,
        "network.protocol.version": "1.1",
    }
    assert ok.status.status_code == StatusCode.UNSET
    assert missing.attributes is not None
    assert (missing.attributes["http.response.status_code"], missing.attributes["error.type"]) == (404, "404")
    assert missing.status.status_code == StatusCode.ERROR
    assert (deleted.name, deleted.attributes["http.response.status_code"]) == (
        "DELETE /people/people/{id}",
        204,
    )  # type: ignore[index]


async def test_query_values_never_reach_a_span(
    router: respx.MockRouter,
    make_client: Callable[..., Casebook],
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
) -> None:
    router.get("/people/people").mock(return_value=jsonapi({"data": []}))
    async with make_client(tracer_provider=provider) as cb:
        await cb.people.page(filter={"last_name": {"like": "Doe"}})
    request = named(exporter.get_finished_spans(), "GET /people/people")[0]
    assert request.attributes is not None
    assert (
        request.attributes["url.full"]
        == f"{BASE}/people/people?filter[last_name][like]=REDACTED&page[size]=REDACTED"
    )
    assert all(
        "Doe" not in str(value)
        for span in exporter.get_finished_spans()
        for value in (span.attributes or {}).values()
    )


@pytest.mark.parametrize("how", ["async for", "async with"])
async def test_a_listing_span_holds_its_pages_and_their_requests(
    sb: Sandbox, provider: TracerProvider, exporter: InMemorySpanExporter, how: str
) -> None:
    async with traced(sb, provider) as cb:
        listing = cb.people.list(page_size=5)
        if how == "async for":
            ids = [p.id async for p in listing]
        else:
            async with listing as people:
                ids = [p.id async for p in people]
    assert len(ids) == 12
    spans = exporter.get_finished_spans()
    [listed] = named(spans, "list people")
    assert dict(listed.attributes or {}) == {
        "casebook.resource": "people",
        "casebook.listing.pages": 3,
        "casebook.listing.records": 12,
    }
    pages = children(spans, listed)
    assert sorted(page.attributes["casebook.page.number"] for page in pages) == [1, 2, 3]  # type: ignore[index]
    assert {page.name for page in pages} == {"page people"}
    for page in pages:
        [request] = children(spans, page)
        assert (request.name, request.kind) == ("GET /people/people", SpanKind.CLIENT)
    assert len(spans) == 1 + 3 + 3


async def test_a_listing_left_by_break_ends_its_span(
    sb: Sandbox, provider: TracerProvider, exporter: InMemorySpanExporter
) -> None:
    async with traced(sb, provider) as cb:
        async for _ in cb.people.list(page_size=5):
            break
        gc.collect()
    [listed] = named(exporter.get_finished_spans(), "list people")
    assert listed.end_time is not None


async def test_the_token_request_is_a_span_without_the_secret(
    sb: Sandbox, provider: TracerProvider, exporter: InMemorySpanExporter
) -> None:
    app = sb.register_application()
    async with traced(sb, provider, client_id=app.client_id, client_secret=app.client_secret) as cb:
        await cb.people.page()
        token = await cb.auth.token(cb.http.fetch_token)
    spans = exporter.get_finished_spans()
    [fetched] = named(spans, "POST /oauth/token")
    assert fetched.attributes is not None
    assert fetched.attributes["url.template"] == "/oauth/token"
    shown = repr([(span.name, dict(span.attributes or {}), span.status.description) for span in spans])
    assert app.client_secret not in shown
    assert token not in shown


async def test_flows_and_bulk_jobs_are_spans_around_their_requests(
    sb: Sandbox, provider: TracerProvider, exporter: InMemorySpanExporter
) -> None:
    async with traced(sb, provider) as cb:
        await create_provider_with_location(cb, provider={"name": "P"}, location={"name": "L"})
        rows = [{"first_name": "R", "last_name": str(i), "email": f"r{i}@example.org"} for i in range(4)]
        report = await bulk_create(cb.people, rows, key="email")
    spans = exporter.get_finished_spans()
    [flow] = named(spans, "create_provider_with_location")
    assert {span.name for span in children(spans, flow)} >= {
        "POST /providers/providers",
        "POST /providers/locations",
        "PATCH /providers/providers/{id}",
    }
    [job] = named(spans, "bulk_create people")
    assert job.attributes is not None
    assert job.attributes["casebook.bulk.created"] == report.counts["created"] == 4
    assert len([s for s in children(spans, job) if s.name == "POST /people/people"]) == 4


PROBE = """
import sys
import httpx
import casebook_async
from casebook_async import tracing

async def main(cb):
    await cb.people.get("1")
    async for _ in cb.people.list():
        pass

answer = {"data": {"type": "people", "id": "1", "attributes": {"first_name": "A", "last_name": "B"}}}
def handler(request):
    if request.url.path.endswith("/1"):
        return httpx.Response(200, json=answer)
    return httpx.Response(200, json={"data": [answer["data"]], "meta": {"record_count": 1}})

cb = casebook_async.Casebook(base_url="http://127.0.0.1:9", token="t", transport=httpx.MockTransport(handler))
import anyio
{before}
anyio.run(main, cb)
print("opentelemetry" in sys.modules, tracing.tracer_for(None) is not None)
{after}
"""


def probe(before: str = "", after: str = "") -> str:
    program = PROBE.replace("{before}", before).replace("{after}", after)
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)  # noqa: S603
    return done.stdout.strip()


def test_without_a_provider_nothing_is_imported_or_traced() -> None:
    assert probe() == "False False"
    assert (
        probe(before="import opentelemetry.trace") == "True False"
    )  # installed and imported, not configured


def test_the_global_provider_once_the_application_sets_one() -> None:
    configure = (
        "from opentelemetry import trace\n"
        "from opentelemetry.sdk.trace import TracerProvider\n"
        "from opentelemetry.sdk.trace.export import SimpleSpanProcessor\n"
        "from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter\n"
        "exporter = InMemorySpanExporter()\n"
        "provider = TracerProvider()\n"
        "provider.add_span_processor(SimpleSpanProcessor(exporter))\n"
        "trace.set_tracer_provider(provider)\n"
    )
    report = "print(sorted(span.name for span in exporter.get_finished_spans()))"
    assert probe(before=configure, after=report).splitlines() == [
        "True True",
        "['GET /people/people', 'GET /people/people/{id}', 'list people', 'page people']",
    ]
