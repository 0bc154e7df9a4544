from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.note_create_attributes_record_type import NoteCreateAttributesRecordType
from ..types import UNSET, Unset

T = TypeVar("T", bound="NoteCreateAttributes")


@_attrs_define
class NoteCreateAttributes:
    """Documented: all required fields must be provided to create a record.

    Attributes:
        body (str):
        record_type (NoteCreateAttributesRecordType):
        record_id (str):
        subject (None | str | Unset):
    """

    body: str
    record_type: NoteCreateAttributesRecordType
    record_id: str
    subject: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        body = self.body

        record_type = self.record_type.value

        record_id = self.record_id

        subject: None | str | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        else:
            subject = self.subject

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "body": body,
                "record_type": record_type,
                "record_id": record_id,
            }
        )
        if subject is not UNSET:
            field_dict["subject"] = subject

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        body = d.pop("body")

        record_type = NoteCreateAttributesRecordType(d.pop("record_type"))

        record_id = d.pop("record_id")

        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))

        note_create_attributes = cls(
            body=body,
            record_type=record_type,
            record_id=record_id,
            subject=subject,
        )

        note_create_attributes.additional_properties = d
        return note_create_attributes

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
