from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.case_type import CaseType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.case_relationships import CaseRelationships
    from ..models.case_update_attributes import CaseUpdateAttributes


T = TypeVar("T", bound="CaseUpdateData")


@_attrs_define
class CaseUpdateData:
    """
    Attributes:
        type_ (CaseType): JSON:API type of cases.
        id (str):
        attributes (CaseUpdateAttributes): Documented: only the attributes included in the request are updated.
        relationships (CaseRelationships | Unset): Relationship linkage. Documented: create and update bodies carry
            "attributes and relationships", and a foreign key is "a relationship field that points to another entity"; the
            `*_id` attributes carrying the same keys are inferred.
    """

    type_: CaseType
    id: str
    attributes: CaseUpdateAttributes
    relationships: CaseRelationships | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        id = self.id

        attributes = self.attributes.to_dict()

        relationships: dict[str, Any] | Unset = UNSET
        if not isinstance(self.relationships, Unset):
            relationships = self.relationships.to_dict()

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

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.case_relationships import CaseRelationships
        from ..models.case_update_attributes import CaseUpdateAttributes

        d = dict(src_dict)
        type_ = CaseType(d.pop("type"))

        id = d.pop("id")

        attributes = CaseUpdateAttributes.from_dict(d.pop("attributes"))

        _relationships = d.pop("relationships", UNSET)
        relationships: CaseRelationships | Unset
        if isinstance(_relationships, Unset):
            relationships = UNSET
        else:
            relationships = CaseRelationships.from_dict(_relationships)

        case_update_data = cls(
            type_=type_,
            id=id,
            attributes=attributes,
            relationships=relationships,
        )

        case_update_data.additional_properties = d
        return case_update_data

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
