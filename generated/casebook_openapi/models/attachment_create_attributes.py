from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.attachment_create_attributes_record_type import (
    AttachmentCreateAttributesRecordType,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="AttachmentCreateAttributes")


@_attrs_define
class AttachmentCreateAttributes:
    """Documented: all required fields must be provided to create a record.

    Attributes:
        file_name (str):
        content_type (str):
        file_size (int): Size of the file in bytes. Documented: 10MB max (10 MiB = 10485760 bytes).
        record_type (AttachmentCreateAttributesRecordType): Type of the record the file is attached to.
        record_id (str): Id of the record the file is attached to (polymorphic with record_type).
        description (None | str | Unset):
    """

    file_name: str
    content_type: str
    file_size: int
    record_type: AttachmentCreateAttributesRecordType
    record_id: str
    description: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file_name = self.file_name

        content_type = self.content_type

        file_size = self.file_size

        record_type = self.record_type.value

        record_id = self.record_id

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file_name": file_name,
                "content_type": content_type,
                "file_size": file_size,
                "record_type": record_type,
                "record_id": record_id,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        file_name = d.pop("file_name")

        content_type = d.pop("content_type")

        file_size = d.pop("file_size")

        record_type = AttachmentCreateAttributesRecordType(d.pop("record_type"))

        record_id = d.pop("record_id")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        attachment_create_attributes = cls(
            file_name=file_name,
            content_type=content_type,
            file_size=file_size,
            record_type=record_type,
            record_id=record_id,
            description=description,
        )

        attachment_create_attributes.additional_properties = d
        return attachment_create_attributes

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
