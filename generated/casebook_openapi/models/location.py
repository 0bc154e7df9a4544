from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.location_type import LocationType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.location_attributes import LocationAttributes
    from ..models.location_relationships import LocationRelationships
    from ..models.meta import Meta
    from ..models.resource_links import ResourceLinks


T = TypeVar("T", bound="Location")


@_attrs_define
class Location:
    """
    Attributes:
        type_ (LocationType): JSON:API type of locations.
        id (str):
        attributes (LocationAttributes): Attributes as returned by the API. Any may be absent when the request asked for
            a sparse fieldset (`fields[<type>]`). Additional properties carry tenant custom fields.
        relationships (LocationRelationships | Unset): Relationship linkage. Documented: create and update bodies carry
            "attributes and relationships", and a foreign key is "a relationship field that points to another entity"; the
            `*_id` attributes carrying the same keys are inferred.
        links (ResourceLinks | Unset):
        meta (Meta | Unset): Non-standard meta-information.
    """

    type_: LocationType
    id: str
    attributes: LocationAttributes
    relationships: LocationRelationships | Unset = UNSET
    links: ResourceLinks | Unset = UNSET
    meta: Meta | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        id = self.id

        attributes = self.attributes.to_dict()

        relationships: dict[str, Any] | Unset = UNSET
        if not isinstance(self.relationships, Unset):
            relationships = self.relationships.to_dict()

        links: dict[str, Any] | Unset = UNSET
        if not isinstance(self.links, Unset):
            links = self.links.to_dict()

        meta: dict[str, Any] | Unset = UNSET
        if not isinstance(self.meta, Unset):
            meta = self.meta.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "id": id,
                "attributes": attributes,
            }
        )
        if relationships is not UNSET:
            field_dict["relationships"] = relationships
        if links is not UNSET:
            field_dict["links"] = links
        if meta is not UNSET:
            field_dict["meta"] = meta

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.location_attributes import LocationAttributes
        from ..models.location_relationships import LocationRelationships
        from ..models.meta import Meta
        from ..models.resource_links import ResourceLinks

        d = dict(src_dict)
        type_ = LocationType(d.pop("type"))

        id = d.pop("id")

        attributes = LocationAttributes.from_dict(d.pop("attributes"))

        _relationships = d.pop("relationships", UNSET)
        relationships: LocationRelationships | Unset
        if isinstance(_relationships, Unset):
            relationships = UNSET
        else:
            relationships = LocationRelationships.from_dict(_relationships)

        _links = d.pop("links", UNSET)
        links: ResourceLinks | Unset
        if isinstance(_links, Unset):
            links = UNSET
        else:
            links = ResourceLinks.from_dict(_links)

        _meta = d.pop("meta", UNSET)
        meta: Meta | Unset
        if isinstance(_meta, Unset):
            meta = UNSET
        else:
            meta = Meta.from_dict(_meta)

        location = cls(
            type_=type_,
            id=id,
            attributes=attributes,
            relationships=relationships,
            links=links,
            meta=meta,
        )

        location.additional_properties = d
        return location

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
