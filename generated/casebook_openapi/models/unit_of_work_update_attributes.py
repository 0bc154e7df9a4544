from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.unit_of_work_update_attributes_record_type import (
    UnitOfWorkUpdateAttributesRecordType,
)
from ..models.unit_of_work_update_attributes_status import (
    UnitOfWorkUpdateAttributesStatus,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="UnitOfWorkUpdateAttributes")


@_attrs_define
class UnitOfWorkUpdateAttributes:
    """Documented: only the attributes included in the request are updated.

    Attributes:
        name (str | Unset):
        status (UnitOfWorkUpdateAttributesStatus | Unset):  Default: UnitOfWorkUpdateAttributesStatus.OPEN.
        due_at (datetime.datetime | None | Unset):
        record_type (UnitOfWorkUpdateAttributesRecordType | Unset):
        record_id (str | Unset):
    """

    name: str | Unset = UNSET
    status: UnitOfWorkUpdateAttributesStatus | Unset = (
        UnitOfWorkUpdateAttributesStatus.OPEN
    )
    due_at: datetime.datetime | None | Unset = UNSET
    record_type: UnitOfWorkUpdateAttributesRecordType | Unset = UNSET
    record_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        due_at: None | str | Unset
        if isinstance(self.due_at, Unset):
            due_at = UNSET
        elif isinstance(self.due_at, datetime.datetime):
            due_at = self.due_at.isoformat()
        else:
            due_at = self.due_at

        record_type: str | Unset = UNSET
        if not isinstance(self.record_type, Unset):
            record_type = self.record_type.value

        record_id = self.record_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if status is not UNSET:
            field_dict["status"] = status
        if due_at is not UNSET:
            field_dict["due_at"] = due_at
        if record_type is not UNSET:
            field_dict["record_type"] = record_type
        if record_id is not UNSET:
            field_dict["record_id"] = record_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        _status = d.pop("status", UNSET)
        status: UnitOfWorkUpdateAttributesStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = UnitOfWorkUpdateAttributesStatus(_status)

        def _parse_due_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_at_type_0 = datetime.datetime.fromisoformat(data)

                return due_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        due_at = _parse_due_at(d.pop("due_at", UNSET))

        _record_type = d.pop("record_type", UNSET)
        record_type: UnitOfWorkUpdateAttributesRecordType | Unset
        if isinstance(_record_type, Unset):
            record_type = UNSET
        else:
            record_type = UnitOfWorkUpdateAttributesRecordType(_record_type)

        record_id = d.pop("record_id", UNSET)

        unit_of_work_update_attributes = cls(
            name=name,
            status=status,
            due_at=due_at,
            record_type=record_type,
            record_id=record_id,
        )

        unit_of_work_update_attributes.additional_properties = d
        return unit_of_work_update_attributes

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
