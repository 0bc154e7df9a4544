from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_document import ErrorDocument
from ...models.involvement_collection_document import InvolvementCollectionDocument
from ...models.list_involvements_fields import ListInvolvementsFields
from ...models.list_involvements_filter import ListInvolvementsFilter
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    fields: ListInvolvementsFields | Unset = UNSET,
    filter_: ListInvolvementsFilter | Unset = UNSET,
    include: str | Unset = UNSET,
    page: int | Unset = UNSET,
    pagesize: int | Unset = 10,
    sort: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_fields: dict[str, Any] | Unset = UNSET
    if not isinstance(fields, Unset):
        json_fields = fields.to_dict()
    if not isinstance(json_fields, Unset):
        params.update(json_fields)

    json_filter_: dict[str, Any] | Unset = UNSET
    if not isinstance(filter_, Unset):
        json_filter_ = filter_.to_dict()
    if not isinstance(json_filter_, Unset):
        params.update(json_filter_)

    params["include"] = include

    params["page"] = page

    params["page[size]"] = pagesize

    params["sort"] = sort

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/cases/involvements",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDocument | InvolvementCollectionDocument | None:
    if response.status_code == 200:
        response_200 = InvolvementCollectionDocument.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorDocument.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorDocument.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorDocument.from_dict(response.json())

        return response_403

    if response.status_code == 429:
        response_429 = ErrorDocument.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorDocument | InvolvementCollectionDocument]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    fields: ListInvolvementsFields | Unset = UNSET,
    filter_: ListInvolvementsFilter | Unset = UNSET,
    include: str | Unset = UNSET,
    page: int | Unset = UNSET,
    pagesize: int | Unset = 10,
    sort: str | Unset = UNSET,
) -> Response[ErrorDocument | InvolvementCollectionDocument]:
    """Involvements - GET Involvements

     Retrieve a paginated list of involvements.

    Args:
        fields (ListInvolvementsFields | Unset):
        filter_ (ListInvolvementsFilter | Unset):
        include (str | Unset):
        page (int | Unset):
        pagesize (int | Unset):  Default: 10.
        sort (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDocument | InvolvementCollectionDocument]
    """

    kwargs = _get_kwargs(
        fields=fields,
        filter_=filter_,
        include=include,
        page=page,
        pagesize=pagesize,
        sort=sort,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    fields: ListInvolvementsFields | Unset = UNSET,
    filter_: ListInvolvementsFilter | Unset = UNSET,
    include: str | Unset = UNSET,
    page: int | Unset = UNSET,
    pagesize: int | Unset = 10,
    sort: str | Unset = UNSET,
) -> ErrorDocument | InvolvementCollectionDocument | None:
    """Involvements - GET Involvements

     Retrieve a paginated list of involvements.

    Args:
        fields (ListInvolvementsFields | Unset):
        filter_ (ListInvolvementsFilter | Unset):
        include (str | Unset):
        page (int | Unset):
        pagesize (int | Unset):  Default: 10.
        sort (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDocument | InvolvementCollectionDocument
    """

    return sync_detailed(
        client=client,
        fields=fields,
        filter_=filter_,
        include=include,
        page=page,
        pagesize=pagesize,
        sort=sort,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    fields: ListInvolvementsFields | Unset = UNSET,
    filter_: ListInvolvementsFilter | Unset = UNSET,
    include: str | Unset = UNSET,
    page: int | Unset = UNSET,
    pagesize: int | Unset = 10,
    sort: str | Unset = UNSET,
) -> Response[ErrorDocument | InvolvementCollectionDocument]:
    """Involvements - GET Involvements

     Retrieve a paginated list of involvements.

    Args:
        fields (ListInvolvementsFields | Unset):
        filter_ (ListInvolvementsFilter | Unset):
        include (str | Unset):
        page (int | Unset):
        pagesize (int | Unset):  Default: 10.
        sort (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDocument | InvolvementCollectionDocument]
    """

    kwargs = _get_kwargs(
        fields=fields,
        filter_=filter_,
        include=include,
        page=page,
        pagesize=pagesize,
        sort=sort,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    fields: ListInvolvementsFields | Unset = UNSET,
    filter_: ListInvolvementsFilter | Unset = UNSET,
    include: str | Unset = UNSET,
    page: int | Unset = UNSET,
    pagesize: int | Unset = 10,
    sort: str | Unset = UNSET,
) -> ErrorDocument | InvolvementCollectionDocument | None:
    """Involvements - GET Involvements

     Retrieve a paginated list of involvements.

    Args:
        fields (ListInvolvementsFields | Unset):
        filter_ (ListInvolvementsFilter | Unset):
        include (str | Unset):
        page (int | Unset):
        pagesize (int | Unset):  Default: 10.
        sort (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDocument | InvolvementCollectionDocument
    """

    return (
        await asyncio_detailed(
            client=client,
            fields=fields,
            filter_=filter_,
            include=include,
            page=page,
            pagesize=pagesize,
            sort=sort,
        )
    ).parsed
