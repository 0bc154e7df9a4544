from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.location_type import LocationType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.location_create_attributes import LocationCreateAttributes
    from ..models.location_relationships import LocationRelationships


T = TypeVar("T", bound="LocationCreateData")


@_attrs_define
class LocationCreateData:
    """
    Attributes:
        type_ (LocationType): JSON:API type of locations.
        attributes (LocationCreateAttributes): Documented: all required fields must be provided to create a record.
        relationships (LocationRelationships | Unset): Relationship linkage. Documented: create and update bodies carry
            "attributes and relationships", and a foreign key is "a relationship field that points to another entity"; the
            `*_id` attributes carrying the same keys are inferred.
    """

    type_: LocationType
    attributes: LocationCreateAttributes
    relationships: LocationRelationships | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        attributes = self.attributes.to_dict()

        relationships: dict[str, Any] | Unset = UNSET
        if not isinstance(self.relationships, Unset):
            relationships = self.relationships.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "attributes": attributes,
            }
        )
        if relationships is not UNSET:
            field_dict["relationships"] = relationships

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.location_create_attributes import LocationCreateAttributes
        from ..models.location_relationships import LocationRelationships

        d = dict(src_dict)
        type_ = LocationType(d.pop("type"))

        attributes = LocationCreateAttributes.from_dict(d.pop("attributes"))

        _relationships = d.pop("relationships", UNSET)
        relationships: LocationRelationships | Unset
        if isinstance(_relationships, Unset):
            relationships = UNSET
        else:
            relationships = LocationRelationships.from_dict(_relationships)

        location_create_data = cls(
            type_=type_,
            attributes=attributes,
            relationships=relationships,
        )

        location_create_data.additional_properties = d
        return location_create_data

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
