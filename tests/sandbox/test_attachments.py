"""Attachments: presigned PUT on a real S3 emulator, the 10 MB limit, upload status, no bearer at S3."""

from __future__ import annotations

import httpx
import pytest

from casebook_async.sandbox import Sandbox

from .conftest import doc

pytestmark = pytest.mark.anyio
LIMIT = 10 * 1024 * 1024


async def create_attachment(client: httpx.AsyncClient, sb: Sandbox, size: int) -> httpx.Response:
    person = sb.inspect.records("people")[0]["id"]
    return await client.post(
        "/attachments/attachments",
        json=doc(
            "attachments",
            {
                "file_name": "report.pdf",
                "content_type": "application/pdf",
                "file_size": size,
                "record_type": "people",
                "record_id": person,
            },
        ),
    )


async def test_presigned_upload_lands_in_the_bucket(sb: Sandbox, client: httpx.AsyncClient) -> None:
    created = await create_attachment(client, sb, 11)
    assert created.status_code == 201
    attributes = created.json()["data"]["attributes"]
    attachment_id = created.json()["data"]["id"]
    assert attributes["upload_status"] == "pending"
    assert attributes["upload_url_expires_at"]
    assert attributes["upload_url"].startswith("http://127.0.0.1:")
    assert not sb.inspect.attachment_uploaded(attachment_id)

    async with httpx.AsyncClient() as s3:
        uploaded = await s3.put(attributes["upload_url"], content=b"hello world")
    assert uploaded.status_code == 200
    assert sb.inspect.attachment_uploaded(attachment_id)
    assert sb.inspect.s3_object(attachment_id) == b"hello world"
    again = (await client.get(f"/attachments/attachments/{attachment_id}")).json()["data"]["attributes"]
    assert again["upload_status"] == "uploaded"
    assert again["upload_url"] is None  # the URL is handed out once, on create
    assert sb.inspect.s3_authorization_violations == []


async def test_files_over_10_mb_are_refused(sb: Sandbox, client: httpx.AsyncClient) -> None:
    too_big = await create_attachment(client, sb, LIMIT + 1)
    assert too_big.status_code == 422
    assert too_big.json()["errors"][0]["source"]["pointer"] == "/data/attributes/file_size"
    assert (await create_attachment(client, sb, LIMIT)).status_code == 201

    created = (await create_attachment(client, sb, LIMIT)).json()["data"]
    async with httpx.AsyncClient() as s3:
        refused = await s3.put(created["attributes"]["upload_url"], content=b"x" * (LIMIT + 1))
    assert refused.status_code == 400
    assert "EntityTooLarge" in refused.text
    assert not sb.inspect.attachment_uploaded(created["id"])


async def test_bearer_tokens_reaching_s3_are_recorded_without_the_value(
    sb: Sandbox, client: httpx.AsyncClient
) -> None:
    created = (await create_attachment(client, sb, 3)).json()["data"]
    url = created["attributes"]["upload_url"]
    async with httpx.AsyncClient() as s3:
        leaked = await s3.put(url, content=b"abc", headers={"Authorization": "Bearer secret-token-value"})
    assert leaked.status_code == 400
    violations = sb.inspect.s3_authorization_violations
    assert len(violations) == 1
    assert violations[0].method == "PUT"
    assert violations[0].scheme == "Bearer"
    assert created["id"] in violations[0].path
    assert "secret-token-value" not in repr(violations)
    assert not sb.inspect.attachment_uploaded(created["id"])


async def test_without_s3_attachments_still_work_but_carry_no_url() -> None:
    async with Sandbox(s3=False) as sb:
        sb.seed_data(people=1, providers=0, cases=0, notes=0, users=0, units_of_work=0)
        async with httpx.AsyncClient(
            transport=sb.transport,
            base_url=sb.base_url,
            headers={
                "Authorization": f"Bearer {sb.issue_token()}",
                "Content-Type": "application/vnd.api+json",
            },
        ) as client:
            created = await create_attachment(client, sb, 3)
        assert created.status_code == 201
        assert created.json()["data"]["attributes"]["upload_url"] is None
