"""casebook-async: the async-first client for the Casebook API."""

__version__ = "0.1.0"

from .auth import Auth, ClientCredentials, StaticToken
from .client import Casebook
from .documents import Document, Page
from .errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    CasebookError,
    ConflictError,
    ConnectionError,
    CredentialsError,
    ErrorObject,
    InsecureURLError,
    InvalidInputError,
    InvalidQueryError,
    InvalidResponseError,
    NotAcceptableError,
    NotFoundError,
    OutcomeUnknownError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    RelationshipNotSavedError,
    ServerError,
    TimeoutError,
    TransportError,
    UnexpectedRedirectError,
    UnprocessableEntityError,
    UnsupportedMediaTypeError,
)
from .observability import EventHooks, RequestEvent, ResponseEvent, RetryEvent
from .pagination import Pages, Paginator
from .query import F
from .resources import ResourceAPI
from .retry import RetryPolicy

__all__ = [
    "APIStatusError",
    "Auth",
    "AuthenticationError",
    "BadRequestError",
    "Casebook",
    "CasebookError",
    "ClientCredentials",
    "ConflictError",
    "ConnectionError",
    "CredentialsError",
    "Document",
    "ErrorObject",
    "EventHooks",
    "F",
    "InsecureURLError",
    "InvalidInputError",
    "InvalidQueryError",
    "InvalidResponseError",
    "NotAcceptableError",
    "NotFoundError",
    "OutcomeUnknownError",
    "Page",
    "Pages",
    "PaginationError",
    "Paginator",
    "PermissionDeniedError",
    "RateLimitError",
    "RelationshipNotSavedError",
    "RequestEvent",
    "ResourceAPI",
    "ResponseEvent",
    "RetryEvent",
    "RetryPolicy",
    "ServerError",
    "StaticToken",
    "TimeoutError",
    "TransportError",
    "UnexpectedRedirectError",
    "UnprocessableEntityError",
    "UnsupportedMediaTypeError",
    "__version__",
]
