from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.collection_meta import CollectionMeta
    from ..models.json_api_version import JsonApiVersion
    from ..models.pagination_links import PaginationLinks
    from ..models.resource import Resource
    from ..models.staff_member import StaffMember


T = TypeVar("T", bound="StaffMemberCollectionDocument")


@_attrs_define
class StaffMemberCollectionDocument:
    """
    Attributes:
        data (list[StaffMember]):
        included (list[Resource] | Unset):
        jsonapi (JsonApiVersion | Unset):
        meta (CollectionMeta | Unset): Totals for a paginated collection (the docs say results come in pages; the names
            are inferred).
        links (PaginationLinks | Unset): Pagination links: a URL, or (JSON:API 1.1) a link object with `href`; null or
            absent when there is no such page. Whether and how Casebook sends them is not documented: the client follows
            what the server sends rather than numbering pages itself.
    """

    data: list[StaffMember]
    included: list[Resource] | Unset = UNSET
    jsonapi: JsonApiVersion | Unset = UNSET
    meta: CollectionMeta | Unset = UNSET
    links: PaginationLinks | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        included: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.included, Unset):
            included = []
            for included_item_data in self.included:
                included_item = included_item_data.to_dict()
                included.append(included_item)

        jsonapi: dict[str, Any] | Unset = UNSET
        if not isinstance(self.jsonapi, Unset):
            jsonapi = self.jsonapi.to_dict()

        meta: dict[str, Any] | Unset = UNSET
        if not isinstance(self.meta, Unset):
            meta = self.meta.to_dict()

        links: dict[str, Any] | Unset = UNSET
        if not isinstance(self.links, Unset):
            links = self.links.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )
        if included is not UNSET:
            field_dict["included"] = included
        if jsonapi is not UNSET:
            field_dict["jsonapi"] = jsonapi
        if meta is not UNSET:
            field_dict["meta"] = meta
        if links is not UNSET:
            field_dict["links"] = links

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.collection_meta import CollectionMeta
        from ..models.json_api_version import JsonApiVersion
        from ..models.pagination_links import PaginationLinks
        from ..models.resource import Resource
        from ..models.staff_member import StaffMember

        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = StaffMember.from_dict(data_item_data)

            data.append(data_item)

        _included = d.pop("included", UNSET)
        included: list[Resource] | Unset = UNSET
        if _included is not UNSET:
            included = []
            for included_item_data in _included:
                included_item = Resource.from_dict(included_item_data)

                included.append(included_item)

        _jsonapi = d.pop("jsonapi", UNSET)
        jsonapi: JsonApiVersion | Unset
        if isinstance(_jsonapi, Unset):
            jsonapi = UNSET
        else:
            jsonapi = JsonApiVersion.from_dict(_jsonapi)

        _meta = d.pop("meta", UNSET)
        meta: CollectionMeta | Unset
        if isinstance(_meta, Unset):
            meta = UNSET
        else:
            meta = CollectionMeta.from_dict(_meta)

        _links = d.pop("links", UNSET)
        links: PaginationLinks | Unset
        if isinstance(_links, Unset):
            links = UNSET
        else:
            links = PaginationLinks.from_dict(_links)

        staff_member_collection_document = cls(
            data=data,
            included=included,
            jsonapi=jsonapi,
            meta=meta,
            links=links,
        )

        staff_member_collection_document.additional_properties = d
        return staff_member_collection_document

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
