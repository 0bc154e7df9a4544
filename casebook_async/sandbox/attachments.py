"""Attachment records get a presigned S3 PUT URL on create; their upload_status follows the bucket."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import anyio.to_thread

from .s3 import S3Emulator
from .spec import Resource
from .store import Record
from .validation import timestamp

UPLOAD_URL_LIFETIME = 900  # seconds; S3's own presigned URLs allow up to 7 days, 15 minutes is typical


class Attachments:
    def __init__(self, s3: S3Emulator | None, now: Callable[[], datetime]) -> None:
        self.s3 = s3
        self.now = now

    @staticmethod
    def handles(resource: Resource) -> bool:
        return "upload_url" in resource.attributes

    @staticmethod
    def key(attachment_id: str) -> str:
        return f"attachments/{attachment_id}"

    async def ensure_started(self) -> None:
        if self.s3 is not None and not self.s3.started:
            await anyio.to_thread.run_sync(self.s3.start)

    def initial_attributes(self) -> dict[str, Any]:
        expires = (
            timestamp(self.now() + timedelta(seconds=UPLOAD_URL_LIFETIME)) if self.s3 is not None else None
        )
        return {"upload_url": None, "upload_url_expires_at": expires, "upload_status": "pending"}

    def upload_url(self, record: Record) -> str | None:
        return None if self.s3 is None else self.s3.presign_put(self.key(record.id), UPLOAD_URL_LIFETIME)

    def object(self, attachment_id: str) -> bytes | None:
        return None if self.s3 is None else self.s3.get_object(self.key(attachment_id))

    def refresh(self, record: Record, attributes: dict[str, Any]) -> None:
        """Serializer hook: the URL is only handed out once; the status reflects what reached the bucket."""
        if "upload_url" not in attributes or record.attributes.get("upload_status") == "uploaded":
            return
        if self.object(record.id) is not None:
            record.attributes["upload_status"] = attributes["upload_status"] = "uploaded"
