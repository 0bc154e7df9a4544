from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.report_create_attributes_status import ReportCreateAttributesStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReportCreateAttributes")


@_attrs_define
class ReportCreateAttributes:
    """Documented: all required fields must be provided to create a record.

    Attributes:
        summary (str):
        reported_at (datetime.datetime):
        narrative (None | str | Unset):
        status (ReportCreateAttributesStatus | Unset):  Default: ReportCreateAttributesStatus.SUBMITTED.
        reporter_person_id (None | str | Unset):
    """

    summary: str
    reported_at: datetime.datetime
    narrative: None | str | Unset = UNSET
    status: ReportCreateAttributesStatus | Unset = (
        ReportCreateAttributesStatus.SUBMITTED
    )
    reporter_person_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        summary = self.summary

        reported_at = self.reported_at.isoformat()

        narrative: None | str | Unset
        if isinstance(self.narrative, Unset):
            narrative = UNSET
        else:
            narrative = self.narrative

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
        field_dict.update(
            {
                "summary": summary,
                "reported_at": reported_at,
            }
        )
        if narrative is not UNSET:
            field_dict["narrative"] = narrative
        if status is not UNSET:
            field_dict["status"] = status
        if reporter_person_id is not UNSET:
            field_dict["reporter_person_id"] = reporter_person_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        summary = d.pop("summary")

        reported_at = datetime.datetime.fromisoformat(d.pop("reported_at"))

        def _parse_narrative(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        narrative = _parse_narrative(d.pop("narrative", UNSET))

        _status = d.pop("status", UNSET)
        status: ReportCreateAttributesStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = ReportCreateAttributesStatus(_status)

        def _parse_reporter_person_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reporter_person_id = _parse_reporter_person_id(
            d.pop("reporter_person_id", UNSET)
        )

        report_create_attributes = cls(
            summary=summary,
            reported_at=reported_at,
            narrative=narrative,
            status=status,
            reporter_person_id=reporter_person_id,
        )

        report_create_attributes.additional_properties = d
        return report_create_attributes

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
