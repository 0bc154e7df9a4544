from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.goal_update_attributes_status import GoalUpdateAttributesStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="GoalUpdateAttributes")


@_attrs_define
class GoalUpdateAttributes:
    """Documented: only the attributes included in the request are updated.

    Attributes:
        case_id (str | Unset):
        description (str | Unset):
        status (GoalUpdateAttributesStatus | Unset):  Default: GoalUpdateAttributesStatus.NOT_STARTED.
        target_date (datetime.date | None | Unset):
    """

    case_id: str | Unset = UNSET
    description: str | Unset = UNSET
    status: GoalUpdateAttributesStatus | Unset = GoalUpdateAttributesStatus.NOT_STARTED
    target_date: datetime.date | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        case_id = self.case_id

        description = self.description

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        target_date: None | str | Unset
        if isinstance(self.target_date, Unset):
            target_date = UNSET
        elif isinstance(self.target_date, datetime.date):
            target_date = self.target_date.isoformat()
        else:
            target_date = self.target_date

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if case_id is not UNSET:
            field_dict["case_id"] = case_id
        if description is not UNSET:
            field_dict["description"] = description
        if status is not UNSET:
            field_dict["status"] = status
        if target_date is not UNSET:
            field_dict["target_date"] = target_date

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        case_id = d.pop("case_id", UNSET)

        description = d.pop("description", UNSET)

        _status = d.pop("status", UNSET)
        status: GoalUpdateAttributesStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = GoalUpdateAttributesStatus(_status)

        def _parse_target_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                target_date_type_0 = datetime.date.fromisoformat(data)

                return target_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        target_date = _parse_target_date(d.pop("target_date", UNSET))

        goal_update_attributes = cls(
            case_id=case_id,
            description=description,
            status=status,
            target_date=target_date,
        )

        goal_update_attributes.additional_properties = d
        return goal_update_attributes

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
