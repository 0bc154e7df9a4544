from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.link_object import LinkObject


T = TypeVar("T", bound="PaginationLinks")


@_attrs_define
class PaginationLinks:
    """Pagination links: a URL, or (JSON:API 1.1) a link object with `href`; null or absent when there is no such page.
    Whether and how Casebook sends them is not documented: the client follows what the server sends rather than
    numbering pages itself.

        Attributes:
            self_ (LinkObject | None | str | Unset):
            first (LinkObject | None | str | Unset):
            prev (LinkObject | None | str | Unset):
            next_ (LinkObject | None | str | Unset):
            last (LinkObject | None | str | Unset):
    """

    self_: LinkObject | None | str | Unset = UNSET
    first: LinkObject | None | str | Unset = UNSET
    prev: LinkObject | None | str | Unset = UNSET
    next_: LinkObject | None | str | Unset = UNSET
    last: LinkObject | None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.link_object import LinkObject

        self_: dict[str, Any] | None | str | Unset
        if isinstance(self.self_, Unset):
            self_ = UNSET
        elif isinstance(self.self_, LinkObject):
            self_ = self.self_.to_dict()
        else:
            self_ = self.self_

        first: dict[str, Any] | None | str | Unset
        if isinstance(self.first, Unset):
            first = UNSET
        elif isinstance(self.first, LinkObject):
            first = self.first.to_dict()
        else:
            first = self.first

        prev: dict[str, Any] | None | str | Unset
        if isinstance(self.prev, Unset):
            prev = UNSET
        elif isinstance(self.prev, LinkObject):
            prev = self.prev.to_dict()
        else:
            prev = self.prev

        next_: dict[str, Any] | None | str | Unset
        if isinstance(self.next_, Unset):
            next_ = UNSET
        elif isinstance(self.next_, LinkObject):
            next_ = self.next_.to_dict()
        else:
            next_ = self.next_

        last: dict[str, Any] | None | str | Unset
        if isinstance(self.last, Unset):
            last = UNSET
        elif isinstance(self.last, LinkObject):
            last = self.last.to_dict()
        else:
            last = self.last

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if self_ is not UNSET:
            field_dict["self"] = self_
        if first is not UNSET:
            field_dict["first"] = first
        if prev is not UNSET:
            field_dict["prev"] = prev
        if next_ is not UNSET:
            field_dict["next"] = next_
        if last is not UNSET:
            field_dict["last"] = last

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.link_object import LinkObject

        d = dict(src_dict)

        def _parse_self_(data: object) -> LinkObject | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                self_type_1 = LinkObject.from_dict(data)

                return self_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LinkObject | None | str | Unset, data)

        self_ = _parse_self_(d.pop("self", UNSET))

        def _parse_first(data: object) -> LinkObject | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                first_type_1 = LinkObject.from_dict(data)

                return first_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LinkObject | None | str | Unset, data)

        first = _parse_first(d.pop("first", UNSET))

        def _parse_prev(data: object) -> LinkObject | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                prev_type_1 = LinkObject.from_dict(data)

                return prev_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LinkObject | None | str | Unset, data)

        prev = _parse_prev(d.pop("prev", UNSET))

        def _parse_next_(data: object) -> LinkObject | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                next_type_1 = LinkObject.from_dict(data)

                return next_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LinkObject | None | str | Unset, data)

        next_ = _parse_next_(d.pop("next", UNSET))

        def _parse_last(data: object) -> LinkObject | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_type_1 = LinkObject.from_dict(data)

                return last_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LinkObject | None | str | Unset, data)

        last = _parse_last(d.pop("last", UNSET))

        pagination_links = cls(
            self_=self_,
            first=first,
            prev=prev,
            next_=next_,
            last=last,
        )

        pagination_links.additional_properties = d
        return pagination_links

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
