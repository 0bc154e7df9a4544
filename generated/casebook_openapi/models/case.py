from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.case_type import CaseType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.case_attributes import CaseAttributes
    from ..models.case_relationships import CaseRelationships
    from ..models.meta import Meta
    from ..models.resource_links import ResourceLinks


T = TypeVar("T", bound="Case")


@_attrs_define
class Case:
    """
    Attributes:
        type_ (CaseType): JSON:API type of cases.
        id (str):
        attributes (CaseAttributes): Attributes as returned by the API. Any may be absent when the request asked for a
            sparse fieldset (`fields[<type>]`). Additional properties carry tenant custom fields.
        relationships (CaseRelationships | Unset): Relationship linkage. Documented: create and update bodies carry
            "attributes and relationships", and a foreign key is "a relationship field that points to another entity"; the
            `*_id` attributes carrying the same keys are inferred.
        links (ResourceLinks | Unset):
        meta (Meta | Unset): Non-standard meta-information.
    """

    type_: CaseType
    id: str
    attributes: CaseAttributes
    relationships: CaseRelationships | Unset = UNSET
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
        from ..models.case_attributes import CaseAttributes
        from ..models.case_relationships import CaseRelationships
        from ..models.meta import Meta
        from ..models.resource_links import ResourceLinks

        d = dict(src_dict)
        type_ = CaseType(d.pop("type"))

        id = d.pop("id")

        attributes = CaseAttributes.from_dict(d.pop("attributes"))

        _relationships = d.pop("relationships", UNSET)
        relationships: CaseRelationships | Unset
        if isinstance(_relationships, Unset):
            relationships = UNSET
        else:
            relationships = CaseRelationships.from_dict(_relationships)

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

        case = cls(
            type_=type_,
            id=id,
            attributes=attributes,
            relationships=relationships,
            links=links,
            meta=meta,
        )

        case.additional_properties = d
        return case

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
