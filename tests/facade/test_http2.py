"""HTTP/2 (``http2=True``, the http2 extra) against a real HTTP/2 server on loopback: hypercorn serving the
sandbox, over cleartext (prior knowledge) and over TLS (ALPN, a trustme certificate authority)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import trustme

from casebook_async import Casebook, InvalidInputError
from casebook_async.sandbox import Sandbox

pytestmark = pytest.mark.anyio


@pytest.fixture
async def sb() -> AsyncIterator[Sandbox]:
    async with Sandbox(seed=5, s3=False) as sandbox:
        sandbox.seed_data(people=250, providers=0, cases=0, notes=0, users=0, units_of_work=0)
        yield sandbox


async def listing_and_versions(cb: Casebook) -> tuple[int, set[str]]:
    """Records listed concurrently, and the HTTP versions of a few raw answers."""
    async with cb.people.list(page_size=20, concurrency=6) as people:
        count = len([p async for p in people])
    versions = {(await cb.people.with_raw_response.page(n, page_size=20)).http_version for n in (1, 2)}
    raw = await cb.people.with_raw_response.page(3, page_size=20)
    assert raw.elapsed is not None  # a real answer is timed
    assert raw.elapsed.total_seconds() > 0
    return count, versions


async def test_cleartext_http2_with_prior_knowledge(sb: Sandbox) -> None:
    app = sb.register_application()
    credentials = {"client_id": app.client_id, "client_secret": app.client_secret}
    async with sb.serve(http2=True) as base_url:
        async with Casebook(base_url=base_url, http2=True, **credentials) as cb:
            assert await listing_and_versions(cb) == (250, {"HTTP/2"})
        async with Casebook(base_url=base_url, **credentials) as cb:  # the same server, HTTP/1.1 by default
            assert await listing_and_versions(cb) == (250, {"HTTP/1.1"})


async def test_http2_negotiated_over_tls(
    sb: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    authority = trustme.CA()
    leaf = authority.issue_cert("localhost")
    cert, key, ca = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    leaf.private_key_pem.write_to_path(str(key))
    for index, pem in enumerate(leaf.cert_chain_pems):
        pem.write_to_path(str(cert), append=index > 0)
    authority.cert_pem.write_to_path(str(ca))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))  # httpx trusts it (trust_env): the client is unchanged
    async with sb.serve(http2=True, certificate=(str(cert), str(key))) as base_url:
        assert base_url.startswith("https://localhost:")
        async with Casebook(base_url=base_url, http2=True, token=sb.issue_token()) as cb:
            assert await listing_and_versions(cb) == (250, {"HTTP/2"})
        async with Casebook(base_url=base_url, token=sb.issue_token()) as cb:
            assert await listing_and_versions(cb) == (250, {"HTTP/1.1"})


def test_http2_is_refused_where_it_cannot_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InvalidInputError, match="not with http_client or transport"):
        Casebook(base_url="http://127.0.0.1:9", token="t", http2=True, transport=object())  # type: ignore[arg-type]
    monkeypatch.setitem(sys.modules, "h2", None)  # as if the extra were not installed
    with pytest.raises(InvalidInputError, match=r"pip install 'casebook-async\[http2\]'"):
        Casebook(base_url="http://127.0.0.1:9", token="t", http2=True)
