from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.note_update_attributes_record_type import NoteUpdateAttributesRecordType
from ..types import UNSET, Unset

T = TypeVar("T", bound="NoteUpdateAttributes")


@_attrs_define
class NoteUpdateAttributes:
    """Documented: only the attributes included in the request are updated.

    Attributes:
        subject (None | str | Unset):
        body (str | Unset):
        record_type (NoteUpdateAttributesRecordType | Unset):
        record_id (str | Unset):
    """

    subject: None | str | Unset = UNSET
    body: str | Unset = UNSET
    record_type: NoteUpdateAttributesRecordType | Unset = UNSET
    record_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        subject: None | str | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        else:
            subject = self.subject

        body = self.body

        record_type: str | Unset = UNSET
        if not isinstance(self.record_type, Unset):
            record_type = self.record_type.value

        record_id = self.record_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if subject is not UNSET:
            field_dict["subject"] = subject
        if body is not UNSET:
            field_dict["body"] = body
        if record_type is not UNSET:
            field_dict["record_type"] = record_type
        if record_id is not UNSET:
            field_dict["record_id"] = record_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))

        body = d.pop("body", UNSET)

        _record_type = d.pop("record_type", UNSET)
        record_type: NoteUpdateAttributesRecordType | Unset
        if isinstance(_record_type, Unset):
            record_type = UNSET
        else:
            record_type = NoteUpdateAttributesRecordType(_record_type)

        record_id = d.pop("record_id", UNSET)

        note_update_attributes = cls(
            subject=subject,
            body=body,
            record_type=record_type,
            record_id=record_id,
        )

        note_update_attributes.additional_properties = d
        return note_update_attributes

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
