from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.person_type import PersonType

if TYPE_CHECKING:
    from ..models.person_create_attributes import PersonCreateAttributes


T = TypeVar("T", bound="PersonCreateData")


@_attrs_define
class PersonCreateData:
    """
    Attributes:
        type_ (PersonType): JSON:API type of people.
        attributes (PersonCreateAttributes): Documented: all required fields must be provided to create a record.
    """

    type_: PersonType
    attributes: PersonCreateAttributes
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        attributes = self.attributes.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "attributes": attributes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.person_create_attributes import PersonCreateAttributes

        d = dict(src_dict)
        type_ = PersonType(d.pop("type"))

        attributes = PersonCreateAttributes.from_dict(d.pop("attributes"))

        person_create_data = cls(
            type_=type_,
            attributes=attributes,
        )

        person_create_data.additional_properties = d
        return person_create_data

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
