from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.to_many_relationship import ToManyRelationship
    from ..models.to_one_relationship import ToOneRelationship


T = TypeVar("T", bound="ProviderRelationships")


@_attrs_define
class ProviderRelationships:
    """Relationship linkage. Documented: create and update bodies carry "attributes and relationships", and a foreign key
    is "a relationship field that points to another entity"; the `*_id` attributes carrying the same keys are inferred.

        Attributes:
            locations (ToManyRelationship | Unset):
            parent_organization (ToOneRelationship | Unset):
            staff (ToManyRelationship | Unset):
            service_offerings (ToManyRelationship | Unset):
    """

    locations: ToManyRelationship | Unset = UNSET
    parent_organization: ToOneRelationship | Unset = UNSET
    staff: ToManyRelationship | Unset = UNSET
    service_offerings: ToManyRelationship | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        locations: dict[str, Any] | Unset = UNSET
        if not isinstance(self.locations, Unset):
            locations = self.locations.to_dict()

        parent_organization: dict[str, Any] | Unset = UNSET
        if not isinstance(self.parent_organization, Unset):
            parent_organization = self.parent_organization.to_dict()

        staff: dict[str, Any] | Unset = UNSET
        if not isinstance(self.staff, Unset):
            staff = self.staff.to_dict()

        service_offerings: dict[str, Any] | Unset = UNSET
        if not isinstance(self.service_offerings, Unset):
            service_offerings = self.service_offerings.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if locations is not UNSET:
            field_dict["locations"] = locations
        if parent_organization is not UNSET:
            field_dict["parent_organization"] = parent_organization
        if staff is not UNSET:
            field_dict["staff"] = staff
        if service_offerings is not UNSET:
            field_dict["service_offerings"] = service_offerings

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.to_many_relationship import ToManyRelationship
        from ..models.to_one_relationship import ToOneRelationship

        d = dict(src_dict)
        _locations = d.pop("locations", UNSET)
        locations: ToManyRelationship | Unset
        if isinstance(_locations, Unset):
            locations = UNSET
        else:
            locations = ToManyRelationship.from_dict(_locations)

        _parent_organization = d.pop("parent_organization", UNSET)
        parent_organization: ToOneRelationship | Unset
        if isinstance(_parent_organization, Unset):
            parent_organization = UNSET
        else:
            parent_organization = ToOneRelationship.from_dict(_parent_organization)

        _staff = d.pop("staff", UNSET)
        staff: ToManyRelationship | Unset
        if isinstance(_staff, Unset):
            staff = UNSET
        else:
            staff = ToManyRelationship.from_dict(_staff)

        _service_offerings = d.pop("service_offerings", UNSET)
        service_offerings: ToManyRelationship | Unset
        if isinstance(_service_offerings, Unset):
            service_offerings = UNSET
        else:
            service_offerings = ToManyRelationship.from_dict(_service_offerings)

        provider_relationships = cls(
            locations=locations,
            parent_organization=parent_organization,
            staff=staff,
            service_offerings=service_offerings,
        )

        provider_relationships.additional_properties = d
        return provider_relationships

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
