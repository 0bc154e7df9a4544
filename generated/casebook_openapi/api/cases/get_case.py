from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.case_document import CaseDocument
from ...models.error_document import ErrorDocument
from ...models.get_case_fields import GetCaseFields
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: str,
    *,
    fields: GetCaseFields | Unset = UNSET,
    include: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_fields: dict[str, Any] | Unset = UNSET
    if not isinstance(fields, Unset):
        json_fields = fields.to_dict()
    if not isinstance(json_fields, Unset):
        params.update(json_fields)

    params["include"] = include

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/cases/cases/{id}".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CaseDocument | ErrorDocument | None:
    if response.status_code == 200:
        response_200 = CaseDocument.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = ErrorDocument.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = ErrorDocument.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CaseDocument | ErrorDocument]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    fields: GetCaseFields | Unset = UNSET,
    include: str | Unset = UNSET,
) -> Response[CaseDocument | ErrorDocument]:
    """Cases - GET case by ID

    Args:
        id (str):
        fields (GetCaseFields | Unset):
        include (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CaseDocument | ErrorDocument]
    """

    kwargs = _get_kwargs(
        id=id,
        fields=fields,
        include=include,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    fields: GetCaseFields | Unset = UNSET,
    include: str | Unset = UNSET,
) -> CaseDocument | ErrorDocument | None:
    """Cases - GET case by ID

    Args:
        id (str):
        fields (GetCaseFields | Unset):
        include (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CaseDocument | ErrorDocument
    """

    return sync_detailed(
        id=id,
        client=client,
        fields=fields,
        include=include,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    fields: GetCaseFields | Unset = UNSET,
    include: str | Unset = UNSET,
) -> Response[CaseDocument | ErrorDocument]:
    """Cases - GET case by ID

    Args:
        id (str):
        fields (GetCaseFields | Unset):
        include (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CaseDocument | ErrorDocument]
    """

    kwargs = _get_kwargs(
        id=id,
        fields=fields,
        include=include,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    fields: GetCaseFields | Unset = UNSET,
    include: str | Unset = UNSET,
) -> CaseDocument | ErrorDocument | None:
    """Cases - GET case by ID

    Args:
        id (str):
        fields (GetCaseFields | Unset):
        include (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CaseDocument | ErrorDocument
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            fields=fields,
            include=include,
        )
    ).parsed
