from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.meta import Meta


T = TypeVar("T", bound="LinkObject")


@_attrs_define
class LinkObject:
    """A JSON:API 1.1 link object.

    Attributes:
        href (str):
        rel (str | Unset):
        describedby (str | Unset):
        title (str | Unset):
        type_ (str | Unset):
        hreflang (str | Unset):
        meta (Meta | Unset): Non-standard meta-information.
    """

    href: str
    rel: str | Unset = UNSET
    describedby: str | Unset = UNSET
    title: str | Unset = UNSET
    type_: str | Unset = UNSET
    hreflang: str | Unset = UNSET
    meta: Meta | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        href = self.href

        rel = self.rel

        describedby = self.describedby

        title = self.title

        type_ = self.type_

        hreflang = self.hreflang

        meta: dict[str, Any] | Unset = UNSET
        if not isinstance(self.meta, Unset):
            meta = self.meta.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "href": href,
            }
        )
        if rel is not UNSET:
            field_dict["rel"] = rel
        if describedby is not UNSET:
            field_dict["describedby"] = describedby
        if title is not UNSET:
            field_dict["title"] = title
        if type_ is not UNSET:
            field_dict["type"] = type_
        if hreflang is not UNSET:
            field_dict["hreflang"] = hreflang
        if meta is not UNSET:
            field_dict["meta"] = meta

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.meta import Meta

        d = dict(src_dict)
        href = d.pop("href")

        rel = d.pop("rel", UNSET)

        describedby = d.pop("describedby", UNSET)

        title = d.pop("title", UNSET)

        type_ = d.pop("type", UNSET)

        hreflang = d.pop("hreflang", UNSET)

        _meta = d.pop("meta", UNSET)
        meta: Meta | Unset
        if isinstance(_meta, Unset):
            meta = UNSET
        else:
            meta = Meta.from_dict(_meta)

        link_object = cls(
            href=href,
            rel=rel,
            describedby=describedby,
            title=title,
            type_=type_,
            hreflang=hreflang,
            meta=meta,
        )

        link_object.additional_properties = d
        return link_object

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
