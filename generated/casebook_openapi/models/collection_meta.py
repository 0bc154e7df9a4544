from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CollectionMeta")


@_attrs_define
class CollectionMeta:
    """Totals for a paginated collection (the docs say results come in pages; the names are inferred).

    Attributes:
        record_count (int | Unset):
        page_count (int | Unset):
        page_number (int | Unset):
        page_size (int | Unset):
    """

    record_count: int | Unset = UNSET
    page_count: int | Unset = UNSET
    page_number: int | Unset = UNSET
    page_size: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        record_count = self.record_count

        page_count = self.page_count

        page_number = self.page_number

        page_size = self.page_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if record_count is not UNSET:
            field_dict["record_count"] = record_count
        if page_count is not UNSET:
            field_dict["page_count"] = page_count
        if page_number is not UNSET:
            field_dict["page_number"] = page_number
        if page_size is not UNSET:
            field_dict["page_size"] = page_size

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        record_count = d.pop("record_count", UNSET)

        page_count = d.pop("page_count", UNSET)

        page_number = d.pop("page_number", UNSET)

        page_size = d.pop("page_size", UNSET)

        collection_meta = cls(
            record_count=record_count,
            page_count=page_count,
            page_number=page_number,
            page_size=page_size,
        )

        collection_meta.additional_properties = d
        return collection_meta

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
