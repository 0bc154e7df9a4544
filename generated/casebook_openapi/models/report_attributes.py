from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.report_attributes_status import ReportAttributesStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReportAttributes")


@_attrs_define
class ReportAttributes:
    """Attributes as returned by the API. Any may be absent when the request asked for a sparse fieldset
    (`fields[<type>]`). Additional properties carry tenant custom fields.

        Attributes:
            summary (str | Unset):
            narrative (None | str | Unset):
            reported_at (datetime.datetime | Unset):
            status (ReportAttributesStatus | Unset):  Default: ReportAttributesStatus.SUBMITTED.
            reporter_person_id (None | str | Unset):
            created_at (datetime.datetime | Unset):
            updated_at (datetime.datetime | Unset):
    """

    summary: str | Unset = UNSET
    narrative: None | str | Unset = UNSET
    reported_at: datetime.datetime | Unset = UNSET
    status: ReportAttributesStatus | Unset = ReportAttributesStatus.SUBMITTED
    reporter_person_id: None | str | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    updated_at: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        summary = self.summary

        narrative: None | str | Unset
        if isinstance(self.narrative, Unset):
            narrative = UNSET
        else:
            narrative = self.narrative

        reported_at: str | Unset = UNSET
        if not isinstance(self.reported_at, Unset):
            reported_at = self.reported_at.isoformat()

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        reporter_person_id: None | str | Unset
        if isinstance(self.reporter_person_id, Unset):
            reporter_person_id = UNSET
        else:
            reporter_person_id = self.reporter_person_id

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
            created_at = self.created_at.isoformat()

        updated_at: str | Unset = UNSET
        if not isinstance(self.updated_at, Unset):
            updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if summary is not UNSET:
            field_dict["summary"] = summary
        if narrative is not UNSET:
            field_dict["narrative"] = narrative
        if reported_at is not UNSET:
            field_dict["reported_at"] = reported_at
        if status is not UNSET:
            field_dict["status"] = status
        if reporter_person_id is not UNSET:
            field_dict["reporter_person_id"] = reporter_person_id
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        summary = d.pop("summary", UNSET)

        def _parse_narrative(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        narrative = _parse_narrative(d.pop("narrative", UNSET))

        _reported_at = d.pop("reported_at", UNSET)
        reported_at: datetime.datetime | Unset
        if isinstance(_reported_at, Unset):
            reported_at = UNSET
        else:
            reported_at = datetime.datetime.fromisoformat(_reported_at)

        _status = d.pop("status", UNSET)
        status: ReportAttributesStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = ReportAttributesStatus(_status)

        def _parse_reporter_person_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reporter_person_id = _parse_reporter_person_id(
            d.pop("reporter_person_id", UNSET)
        )

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

        _updated_at = d.pop("updated_at", UNSET)
        updated_at: datetime.datetime | Unset
        if isinstance(_updated_at, Unset):
            updated_at = UNSET
        else:
            updated_at = datetime.datetime.fromisoformat(_updated_at)

        report_attributes = cls(
            summary=summary,
            narrative=narrative,
            reported_at=reported_at,
            status=status,
            reporter_person_id=reporter_person_id,
            created_at=created_at,
            updated_at=updated_at,
        )

        report_attributes.additional_properties = d
        return report_attributes

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
