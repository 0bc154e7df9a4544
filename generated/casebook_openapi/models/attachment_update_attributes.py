from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.attachment_update_attributes_record_type import (
    AttachmentUpdateAttributesRecordType,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="AttachmentUpdateAttributes")


@_attrs_define
class AttachmentUpdateAttributes:
    """Documented: only the attributes included in the request are updated.

    Attributes:
        file_name (str | Unset):
        content_type (str | Unset):
        file_size (int | Unset): Size of the file in bytes. Documented: 10MB max (10 MiB = 10485760 bytes).
        record_type (AttachmentUpdateAttributesRecordType | Unset): Type of the record the file is attached to.
        record_id (str | Unset): Id of the record the file is attached to (polymorphic with record_type).
        description (None | str | Unset):
    """

    file_name: str | Unset = UNSET
    content_type: str | Unset = UNSET
    file_size: int | Unset = UNSET
    record_type: AttachmentUpdateAttributesRecordType | Unset = UNSET
    record_id: str | Unset = UNSET
    description: None | str | Unset = UNSET
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

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        file_name = d.pop("file_name", UNSET)

        content_type = d.pop("content_type", UNSET)

        file_size = d.pop("file_size", UNSET)

        _record_type = d.pop("record_type", UNSET)
        record_type: AttachmentUpdateAttributesRecordType | Unset
        if isinstance(_record_type, Unset):
            record_type = UNSET
        else:
            record_type = AttachmentUpdateAttributesRecordType(_record_type)

        record_id = d.pop("record_id", UNSET)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        attachment_update_attributes = cls(
            file_name=file_name,
            content_type=content_type,
            file_size=file_size,
            record_type=record_type,
            record_id=record_id,
            description=description,
        )

        attachment_update_attributes.additional_properties = d
        return attachment_update_attributes

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
