from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.relationship_links import RelationshipLinks
    from ..models.to_one_relationship_data_type_0 import ToOneRelationshipDataType0


T = TypeVar("T", bound="ToOneRelationship")


@_attrs_define
class ToOneRelationship:
    """
    Attributes:
        data (None | ToOneRelationshipDataType0 | Unset): Resource identifier of the related record, or null when there
            is none.
        links (RelationshipLinks | Unset):
    """

    data: None | ToOneRelationshipDataType0 | Unset = UNSET
    links: RelationshipLinks | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.to_one_relationship_data_type_0 import ToOneRelationshipDataType0

        data: dict[str, Any] | None | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        elif isinstance(self.data, ToOneRelationshipDataType0):
            data = self.data.to_dict()
        else:
            data = self.data

        links: dict[str, Any] | Unset = UNSET
        if not isinstance(self.links, Unset):
            links = self.links.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if data is not UNSET:
            field_dict["data"] = data
        if links is not UNSET:
            field_dict["links"] = links

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.relationship_links import RelationshipLinks
        from ..models.to_one_relationship_data_type_0 import ToOneRelationshipDataType0

        d = dict(src_dict)

        def _parse_data(data: object) -> None | ToOneRelationshipDataType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = ToOneRelationshipDataType0.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ToOneRelationshipDataType0 | Unset, data)

        data = _parse_data(d.pop("data", UNSET))

        _links = d.pop("links", UNSET)
        links: RelationshipLinks | Unset
        if isinstance(_links, Unset):
            links = UNSET
        else:
            links = RelationshipLinks.from_dict(_links)

        to_one_relationship = cls(
            data=data,
            links=links,
        )

        to_one_relationship.additional_properties = d
        return to_one_relationship

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
