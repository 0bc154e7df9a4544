from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.to_many_relationship import ToManyRelationship
    from ..models.to_one_relationship import ToOneRelationship


T = TypeVar("T", bound="CaseRelationships")


@_attrs_define
class CaseRelationships:
    """Relationship linkage. Documented: create and update bodies carry "attributes and relationships", and a foreign key
    is "a relationship field that points to another entity"; the `*_id` attributes carrying the same keys are inferred.

        Attributes:
            primary_person (ToOneRelationship | Unset):
            report (ToOneRelationship | Unset):
            involvements (ToManyRelationship | Unset):
            goals (ToManyRelationship | Unset):
    """

    primary_person: ToOneRelationship | Unset = UNSET
    report: ToOneRelationship | Unset = UNSET
    involvements: ToManyRelationship | Unset = UNSET
    goals: ToManyRelationship | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        primary_person: dict[str, Any] | Unset = UNSET
        if not isinstance(self.primary_person, Unset):
            primary_person = self.primary_person.to_dict()

        report: dict[str, Any] | Unset = UNSET
        if not isinstance(self.report, Unset):
            report = self.report.to_dict()

        involvements: dict[str, Any] | Unset = UNSET
        if not isinstance(self.involvements, Unset):
            involvements = self.involvements.to_dict()

        goals: dict[str, Any] | Unset = UNSET
        if not isinstance(self.goals, Unset):
            goals = self.goals.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if primary_person is not UNSET:
            field_dict["primary_person"] = primary_person
        if report is not UNSET:
            field_dict["report"] = report
        if involvements is not UNSET:
            field_dict["involvements"] = involvements
        if goals is not UNSET:
            field_dict["goals"] = goals

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.to_many_relationship import ToManyRelationship
        from ..models.to_one_relationship import ToOneRelationship

        d = dict(src_dict)
        _primary_person = d.pop("primary_person", UNSET)
        primary_person: ToOneRelationship | Unset
        if isinstance(_primary_person, Unset):
            primary_person = UNSET
        else:
            primary_person = ToOneRelationship.from_dict(_primary_person)

        _report = d.pop("report", UNSET)
        report: ToOneRelationship | Unset
        if isinstance(_report, Unset):
            report = UNSET
        else:
            report = ToOneRelationship.from_dict(_report)

        _involvements = d.pop("involvements", UNSET)
        involvements: ToManyRelationship | Unset
        if isinstance(_involvements, Unset):
            involvements = UNSET
        else:
            involvements = ToManyRelationship.from_dict(_involvements)

        _goals = d.pop("goals", UNSET)
        goals: ToManyRelationship | Unset
        if isinstance(_goals, Unset):
            goals = UNSET
        else:
            goals = ToManyRelationship.from_dict(_goals)

        case_relationships = cls(
            primary_person=primary_person,
            report=report,
            involvements=involvements,
            goals=goals,
        )

        case_relationships.additional_properties = d
        return case_relationships

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
