from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.json_api_version import JsonApiVersion
    from ..models.meta import Meta
    from ..models.provider import Provider
    from ..models.resource import Resource
    from ..models.resource_links import ResourceLinks


T = TypeVar("T", bound="ProviderDocument")


@_attrs_define
class ProviderDocument:
    """
    Attributes:
        data (Provider):
        included (list[Resource] | Unset):
        jsonapi (JsonApiVersion | Unset):
        meta (Meta | Unset): Non-standard meta-information.
        links (ResourceLinks | Unset):
    """

    data: Provider
    included: list[Resource] | Unset = UNSET
    jsonapi: JsonApiVersion | Unset = UNSET
    meta: Meta | Unset = UNSET
    links: ResourceLinks | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

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
        from ..models.json_api_version import JsonApiVersion
        from ..models.meta import Meta
        from ..models.provider import Provider
        from ..models.resource import Resource
        from ..models.resource_links import ResourceLinks

        d = dict(src_dict)
        data = Provider.from_dict(d.pop("data"))

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
        meta: Meta | Unset
        if isinstance(_meta, Unset):
            meta = UNSET
        else:
            meta = Meta.from_dict(_meta)

        _links = d.pop("links", UNSET)
        links: ResourceLinks | Unset
        if isinstance(_links, Unset):
            links = UNSET
        else:
            links = ResourceLinks.from_dict(_links)

        provider_document = cls(
            data=data,
            included=included,
            jsonapi=jsonapi,
            meta=meta,
            links=links,
        )

        provider_document.additional_properties = d
        return provider_document

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
