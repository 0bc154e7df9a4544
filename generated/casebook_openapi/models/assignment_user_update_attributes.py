from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AssignmentUserUpdateAttributes")


@_attrs_define
class AssignmentUserUpdateAttributes:
    """Documented: only the attributes included in the request are updated.

    Attributes:
        assignment_id (str | Unset): Documented: read from the unit of work's assignment_id attribute.
        user_id (str | Unset): Documented: the user_id of the assignee.
    """

    assignment_id: str | Unset = UNSET
    user_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        assignment_id = self.assignment_id

        user_id = self.user_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if assignment_id is not UNSET:
            field_dict["assignment_id"] = assignment_id
        if user_id is not UNSET:
            field_dict["user_id"] = user_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        assignment_id = d.pop("assignment_id", UNSET)

        user_id = d.pop("user_id", UNSET)

        assignment_user_update_attributes = cls(
            assignment_id=assignment_id,
            user_id=user_id,
        )

        assignment_user_update_attributes.additional_properties = d
        return assignment_user_update_attributes

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
