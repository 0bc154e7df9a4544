from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.report_update_attributes_status import ReportUpdateAttributesStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReportUpdateAttributes")


@_attrs_define
class ReportUpdateAttributes:
    """Documented: only the attributes included in the request are updated.

    Attributes:
        summary (str | Unset):
        narrative (None | str | Unset):
        reported_at (datetime.datetime | Unset):
        status (ReportUpdateAttributesStatus | Unset):  Default: ReportUpdateAttributesStatus.SUBMITTED.
        reporter_person_id (None | str | Unset):
    """

    summary: str | Unset = UNSET
    narrative: None | str | Unset = UNSET
    reported_at: datetime.datetime | Unset = UNSET
    status: ReportUpdateAttributesStatus | Unset = (
        ReportUpdateAttributesStatus.SUBMITTED
    )
    reporter_person_id: None | str | Unset = UNSET
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
        status: ReportUpdateAttributesStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = ReportUpdateAttributesStatus(_status)

        def _parse_reporter_person_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reporter_person_id = _parse_reporter_person_id(
            d.pop("reporter_person_id", UNSET)
        )

        report_update_attributes = cls(
            summary=summary,
            narrative=narrative,
            reported_at=reported_at,
            status=status,
            reporter_person_id=reporter_person_id,
        )

        report_update_attributes.additional_properties = d
        return report_update_attributes

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
