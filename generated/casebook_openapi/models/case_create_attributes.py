from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.case_create_attributes_status import CaseCreateAttributesStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="CaseCreateAttributes")


@_attrs_define
class CaseCreateAttributes:
    """Documented: all required fields must be provided to create a record.

    Attributes:
        name (str):
        status (CaseCreateAttributesStatus | Unset):  Default: CaseCreateAttributesStatus.OPEN.
        opened_at (datetime.date | None | Unset):
        closed_at (datetime.date | None | Unset):
        primary_person_id (None | str | Unset):
        report_id (None | str | Unset):
    """

    name: str
    status: CaseCreateAttributesStatus | Unset = CaseCreateAttributesStatus.OPEN
    opened_at: datetime.date | None | Unset = UNSET
    closed_at: datetime.date | None | Unset = UNSET
    primary_person_id: None | str | Unset = UNSET
    report_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        opened_at: None | str | Unset
        if isinstance(self.opened_at, Unset):
            opened_at = UNSET
        elif isinstance(self.opened_at, datetime.date):
            opened_at = self.opened_at.isoformat()
        else:
            opened_at = self.opened_at

        closed_at: None | str | Unset
        if isinstance(self.closed_at, Unset):
            closed_at = UNSET
        elif isinstance(self.closed_at, datetime.date):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        primary_person_id: None | str | Unset
        if isinstance(self.primary_person_id, Unset):
            primary_person_id = UNSET
        else:
            primary_person_id = self.primary_person_id

        report_id: None | str | Unset
        if isinstance(self.report_id, Unset):
            report_id = UNSET
        else:
            report_id = self.report_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if opened_at is not UNSET:
            field_dict["opened_at"] = opened_at
        if closed_at is not UNSET:
            field_dict["closed_at"] = closed_at
        if primary_person_id is not UNSET:
            field_dict["primary_person_id"] = primary_person_id
        if report_id is not UNSET:
            field_dict["report_id"] = report_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        _status = d.pop("status", UNSET)
        status: CaseCreateAttributesStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = CaseCreateAttributesStatus(_status)

        def _parse_opened_at(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                opened_at_type_0 = datetime.date.fromisoformat(data)

                return opened_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        opened_at = _parse_opened_at(d.pop("opened_at", UNSET))

        def _parse_closed_at(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.date.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        closed_at = _parse_closed_at(d.pop("closed_at", UNSET))

        def _parse_primary_person_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        primary_person_id = _parse_primary_person_id(d.pop("primary_person_id", UNSET))

        def _parse_report_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        report_id = _parse_report_id(d.pop("report_id", UNSET))

        case_create_attributes = cls(
            name=name,
            status=status,
            opened_at=opened_at,
            closed_at=closed_at,
            primary_person_id=primary_person_id,
            report_id=report_id,
        )

        case_create_attributes.additional_properties = d
        return case_create_attributes

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
