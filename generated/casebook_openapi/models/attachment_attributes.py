from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.attachment_attributes_record_type import AttachmentAttributesRecordType
from ..models.attachment_attributes_upload_status import (
    AttachmentAttributesUploadStatus,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="AttachmentAttributes")


@_attrs_define
class AttachmentAttributes:
    """Attributes as returned by the API. Any may be absent when the request asked for a sparse fieldset
    (`fields[<type>]`). Additional properties carry tenant custom fields.

        Attributes:
            file_name (str | Unset):
            content_type (str | Unset):
            file_size (int | Unset): Size of the file in bytes. Documented: 10MB max (10 MiB = 10485760 bytes).
            record_type (AttachmentAttributesRecordType | Unset): Type of the record the file is attached to.
            record_id (str | Unset): Id of the record the file is attached to (polymorphic with record_type).
            description (None | str | Unset):
            upload_url (None | str | Unset): Pre-signed (AWS S3) upload URL. Documented: returned in the response of the
                POST; PUT the file there. Not sent again by GET.
            upload_url_expires_at (datetime.datetime | None | Unset):
            upload_status (AttachmentAttributesUploadStatus | Unset):  Default: AttachmentAttributesUploadStatus.PENDING.
            created_at (datetime.datetime | Unset):
            updated_at (datetime.datetime | Unset):
    """

    file_name: str | Unset = UNSET
    content_type: str | Unset = UNSET
    file_size: int | Unset = UNSET
    record_type: AttachmentAttributesRecordType | Unset = UNSET
    record_id: str | Unset = UNSET
    description: None | str | Unset = UNSET
    upload_url: None | str | Unset = UNSET
    upload_url_expires_at: datetime.datetime | None | Unset = UNSET
    upload_status: AttachmentAttributesUploadStatus | Unset = (
        AttachmentAttributesUploadStatus.PENDING
    )
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file_name = self.file_name

        content_type = self.content_type

        file_size = self.file_size

        record_type: str | Unset = UNSET
        if not isinstance(self.record_type, Unset):
            record_type = self.record_type.value

        record_id = self.record_id

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        upload_url: None | str | Unset
        if isinstance(self.upload_url, Unset):
            upload_url = UNSET
        else:
            upload_url = self.upload_url

        upload_url_expires_at: None | str | Unset
        if isinstance(self.upload_url_expires_at, Unset):
            upload_url_expires_at = UNSET
        elif isinstance(self.upload_url_expires_at, datetime.datetime):
            upload_url_expires_at = self.upload_url_expires_at.isoformat()
        else:
            upload_url_expires_at = self.upload_url_expires_at

        upload_status: str | Unset = UNSET
        if not isinstance(self.upload_status, Unset):
            upload_status = self.upload_status.value

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if file_name is not UNSET:
            field_dict["file_name"] = file_name
        if content_type is not UNSET:
            field_dict["content_type"] = content_type
        if file_size is not UNSET:
            field_dict["file_size"] = file_size
        if record_type is not UNSET:
            field_dict["record_type"] = record_type
        if record_id is not UNSET:
            field_dict["record_id"] = record_id
        if description is not UNSET:
            field_dict["description"] = description
        if upload_url is not UNSET:
            field_dict["upload_url"] = upload_url
        if upload_url_expires_at is not UNSET:
            field_dict["upload_url_expires_at"] = upload_url_expires_at
        if upload_status is not UNSET:
            field_dict["upload_status"] = upload_status
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        file_name = d.pop("file_name", UNSET)

        content_type = d.pop("content_type", UNSET)

        file_size = d.pop("file_size", UNSET)

        _record_type = d.pop("record_type", UNSET)
        record_type: AttachmentAttributesRecordType | Unset
        if isinstance(_record_type, Unset):
            record_type = UNSET
        else:
            record_type = AttachmentAttributesRecordType(_record_type)

        record_id = d.pop("record_id", UNSET)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_upload_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        upload_url = _parse_upload_url(d.pop("upload_url", UNSET))

        def _parse_upload_url_expires_at(
            data: object,
        ) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                upload_url_expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return upload_url_expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        upload_url_expires_at = _parse_upload_url_expires_at(
            d.pop("upload_url_expires_at", UNSET)
        )

        _upload_status = d.pop("upload_status", UNSET)
        upload_status: AttachmentAttributesUploadStatus | Unset
        if isinstance(_upload_status, Unset):
            upload_status = UNSET
        else:
            upload_status = AttachmentAttributesUploadStatus(_upload_status)

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        _updated_at = d.pop("updated_at", UNSET)
        updated_at: datetime.datetime | Unset
        if isinstance(_updated_at, Unset):
            updated_at = UNSET
        else:
            updated_at = datetime.datetime.fromisoformat(_updated_at)

        attachment_attributes = cls(
            file_name=file_name,
            content_type=content_type,
            file_size=file_size,
            record_type=record_type,
            record_id=record_id,
            description=description,
            upload_url=upload_url,
            upload_url_expires_at=upload_url_expires_at,
            upload_status=upload_status,
            created_at=created_at,
            updated_at=updated_at,
        )

        attachment_attributes.additional_properties = d
        return attachment_attributes

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
