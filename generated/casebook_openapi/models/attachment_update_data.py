from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.attachment_type import AttachmentType

if TYPE_CHECKING:
    from ..models.attachment_update_attributes import AttachmentUpdateAttributes


T = TypeVar("T", bound="AttachmentUpdateData")


@_attrs_define
class AttachmentUpdateData:
    """
    Attributes:
        type_ (AttachmentType): JSON:API type of attachments.
        id (str):
        attributes (AttachmentUpdateAttributes): Documented: only the attributes included in the request are updated.
    """

    type_: AttachmentType
    id: str
    attributes: AttachmentUpdateAttributes
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        id = self.id

        attributes = self.attributes.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "id": id,
                "attributes": attributes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.attachment_update_attributes import AttachmentUpdateAttributes

        d = dict(src_dict)
        type_ = AttachmentType(d.pop("type"))

        id = d.pop("id")

        attributes = AttachmentUpdateAttributes.from_dict(d.pop("attributes"))

        attachment_update_data = cls(
            type_=type_,
            id=id,
            attributes=attributes,
        )

        attachment_update_data.additional_properties = d
        return attachment_update_data

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
