"""The ASGI app: routes derived from spec/, wrapped by the gateway that injects faults and logs requests."""

from __future__ import annotations

import json
import math
import time
import uuid
from base64 import b64decode
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .attachments import Attachments
from .auth import Authority
from .conventions import Conventions
from .documents import Serializer
from .errors import JSONAPI, ApiError, api_error
from .faults import FaultDice, Faults, RateLimiter
from .linkage import foreign_keys
from .log import RequestLog, RequestLogEntry
from .paging import Pager
from .query import parse_query, select
from .records import Records
from .spec import Resource, Verb
from .store import Store
from .validation import attribute_errors, check_document


class Host(Protocol):
    """What the app needs of the sandbox that hosts it (``sandbox.Sandbox``)."""

    resources: dict[str, Resource]
    store: Store
    records: Records
    authority: Authority
    attachments: Attachments
    conventions: Conventions
    limiter: RateLimiter | None
    log: RequestLog

    @property
    def faults(self) -> Faults: ...
    @property
    def dice(self) -> FaultDice: ...
    def serializer(self, base_url: str) -> Serializer: ...
    async def arrive(self) -> datetime: ...


Handler = Callable[[Request], Awaitable[Response]]
_REDACTED_PARAMS = frozenset({"access_token", "token", "client_secret"})


def _json(document: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    return Response(body, status_code=status, headers=headers, media_type=JSONAPI)


def error_response(error: ApiError) -> Response:
    return _json(error.document(), error.status, error.headers)


def redact_query(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(k.lower() in _REDACTED_PARAMS for k, _ in pairs):
        return query
    return urlencode([(k, "[redacted]" if k.lower() in _REDACTED_PARAMS else v) for k, v in pairs])


def _parse_json(raw: bytes) -> Any:
    def reject(constant: str) -> Any:
        raise ValueError(constant)

    return json.loads(raw, parse_constant=reject)


async def _read_document(request: Request) -> Any:
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != JSONAPI:
        raise api_error(
            415,
            "unsupported_media_type",
            "Unsupported Media Type",
            f"Request bodies must be sent as Content-Type: {JSONAPI}.",
        )
    try:
        return _parse_json(await request.body())
    except (ValueError, UnicodeDecodeError) as exc:
        raise api_error(400, "invalid_json", "Invalid JSON", "The request body is not valid JSON.") from exc


class ResourceEndpoints:
    """list/get/create/update/delete for one resource type."""

    def __init__(self, sandbox: Host, resource: Resource) -> None:
        self.sb = sandbox
        self.resource = resource
        self.collection = sandbox.store.collection(resource.type)
        self.pager = Pager(sandbox.conventions, resource.page_size_default, resource.page_size_max)

    def _guard(self, request: Request, verb: Verb) -> None:
        grant = self.sb.authority.verify(request.headers.get("authorization"))
        request.state.client_id = grant.application.client_id
        if self.sb.limiter is not None:
            wait = self.sb.limiter.acquire(grant.key)
            if wait is not None:
                self.sb.log.count_fault("rate_limit")
                raise api_error(
                    429,
                    "rate_limited",
                    "Too Many Requests",
                    f"Rate limit of {self.sb.limiter.rate:g} requests per second exceeded.",
                    headers={"Retry-After": str(wait)},
                )
        self.sb.authority.authorize(grant, self.resource.roles.get(verb, ()))

    def _base(self, request: Request) -> str:
        return f"{request.url.scheme}://{request.url.netloc}"

    async def collection_route(self, request: Request) -> Response:
        verb: Verb = "create" if request.method == "POST" else "list"
        return await self._dispatch(request, verb, self.create if verb == "create" else self.list_records)

    async def member_route(self, request: Request) -> Response:
        verbs: dict[str, tuple[Verb, Handler]] = {
            "GET": ("get", self.get),
            "HEAD": ("get", self.get),
            "PATCH": ("update", self.update),
            "DELETE": ("delete", self.delete),
        }
        verb, handler = verbs[request.method]
        return await self._dispatch(request, verb, handler)

    async def _dispatch(self, request: Request, verb: Verb, handler: Handler) -> Response:
        try:
            self._guard(request, verb)
            return await handler(request)
        except ApiError as error:
            if self.sb.conventions.validation_status != 422:  # each 422 of the list, first or not
                error = error.with_status(422, self.sb.conventions.validation_status)
            return error_response(error)

    def _record(self, request: Request) -> Any:
        record = self.collection.get(request.path_params["id"])
        if record is None:
            raise api_error(
                404,
                "not_found",
                "Not Found",
                f"No {self.resource.type} record with id {request.path_params['id']!r}.",
            )
        return record

    async def list_records(self, request: Request) -> Response:
        query = parse_query(
            request.query_params.multi_items(), self.resource, self.sb.resources, collection=True
        )
        window = self.pager.window(query.paging)
        records = select(self.collection, query)
        total = len(records)
        page = records[window.offset : window.offset + window.size]
        serializer = self.sb.serializer(self._base(request))
        document: dict[str, Any] = {"data": [serializer.resource_object(r, query.fields) for r in page]}
        meta = self.pager.meta(window, total)
        if meta is not None:
            document["meta"] = meta
        links = self.pager.links(f"{self._base(request)}{self.resource.path}", query.extra, window, total)
        if links is not None:
            document["links"] = links
        document["jsonapi"] = {"version": "1.0"}
        if query.include:
            document["included"] = serializer.included(page, query.include, query.fields)
        return _json(document)

    async def get(self, request: Request) -> Response:
        query = parse_query(
            request.query_params.multi_items(), self.resource, self.sb.resources, collection=False
        )
        record = self._record(request)
        return _json(self._document(request, record, query.include, query.fields))

    def _document(
        self,
        request: Request,
        record: Any,
        include: list[str] | None = None,
        fields: dict[str, frozenset[str]] | None = None,
    ) -> dict[str, Any]:
        serializer = self.sb.serializer(self._base(request))
        data = serializer.resource_object(record, fields or {})
        document: dict[str, Any] = {
            "data": data,
            "links": {"self": data["links"]["self"]},
            "jsonapi": {"version": "1.0"},
        }
        if include:
            document["included"] = serializer.included([record], include, fields or {})
        return document

    def _written(self, body: Any, url_id: str | None) -> tuple[dict[str, Any], dict[str, str]]:
        """The attributes a create or update sets, foreign keys from relationships included."""
        attributes, relationships = check_document(body, self.resource, url_id=url_id)
        return foreign_keys(self.resource, self.sb.conventions, attributes, relationships)

    async def create(self, request: Request) -> Response:
        parse_query(request.query_params.multi_items(), self.resource, self.sb.resources, collection=False)
        attributes, pointers = self._written(await _read_document(request), url_id=None)
        errors = attribute_errors(attributes, self.resource, creating=True)
        if errors:
            raise ApiError(errors)
        attachments = self.sb.attachments
        is_attachment = attachments.handles(self.resource)
        if is_attachment:
            await attachments.ensure_started()
            attributes = {**attributes, **attachments.initial_attributes()}
        record = self.sb.records.create(self.resource, attributes, pointers, at=await self.sb.arrive())
        document = self._document(request, record)
        if is_attachment:  # the presigned URL appears in this response only
            document["data"]["attributes"]["upload_url"] = attachments.upload_url(record)
        return _json(document, 201, {"Location": document["data"]["links"]["self"]})

    async def update(self, request: Request) -> Response:
        parse_query(request.query_params.multi_items(), self.resource, self.sb.resources, collection=False)
        arrived = await self.sb.arrive()  # a late commit finds the record as it is when it commits
        record = self._record(request)
        attributes, pointers = self._written(await _read_document(request), url_id=record.id)
        errors = attribute_errors(attributes, self.resource, creating=False)
        if errors:
            raise ApiError(errors)
        self.sb.records.update(self.resource, record, attributes, pointers, at=arrived)
        return _json(self._document(request, record))

    async def delete(self, request: Request) -> Response:
        parse_query(request.query_params.multi_items(), self.resource, self.sb.resources, collection=False)
        self.sb.records.delete(self._record(request))
        return Response(status_code=204)


def _oauth_error(status: int, error: str, description: str) -> Response:
    body = json.dumps({"error": error, "error_description": description}).encode()
    headers = {"Cache-Control": "no-store"}
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="casebook-sandbox"'
    return Response(body, status_code=status, headers=headers, media_type="application/json")


def _basic_credentials(header: str | None) -> tuple[str, str] | None:
    scheme, _, encoded = (header or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, sep, secret = b64decode(encoded, validate=True).decode().partition(":")
    except ValueError:
        return None
    return (client_id, secret) if sep else None


def token_endpoint(sandbox: Host) -> Handler:
    """OAuth 2.0 client-credentials grant (RFC 6749 section 4.4); Basic or form client authentication."""

    async def issue(request: Request) -> Response:
        media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media_type != "application/x-www-form-urlencoded":
            return _oauth_error(
                400, "invalid_request", "Send the grant as application/x-www-form-urlencoded."
            )
        try:
            form = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        except UnicodeDecodeError:
            return _oauth_error(400, "invalid_request", "The form is not valid UTF-8.")
        grant_type = form.get("grant_type")
        if not grant_type:
            return _oauth_error(400, "invalid_request", "grant_type is required.")
        if grant_type != "client_credentials":
            return _oauth_error(400, "unsupported_grant_type", "Only client_credentials is supported.")
        credentials = _basic_credentials(request.headers.get("authorization"))
        if credentials is None:
            if "client_id" not in form or "client_secret" not in form:
                return _oauth_error(400, "invalid_request", "client_id and client_secret are required.")
            credentials = (form["client_id"], form["client_secret"])
        app = sandbox.authority.authenticate_client(*credentials)
        if app is None:
            return _oauth_error(401, "invalid_client", "Unknown client or wrong secret.")
        request.state.client_id = app.client_id
        token, lifetime = sandbox.authority.issue(app)
        body = json.dumps(
            {"access_token": token, "token_type": "Bearer", "expires_in": int(lifetime)}
        ).encode()
        return Response(
            body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"}, media_type="application/json"
        )

    return issue


class Gateway:
    """Outermost layer: request id, latency, injected 429/5xx, ambiguous POSTs, and the request log."""

    def __init__(self, app: ASGIApp, sandbox: Host) -> None:
        self.app = app
        self.sb = sandbox

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        request_id = headers.get("x-request-id") or str(uuid.uuid4())
        is_write_post = scope["method"] == "POST" and scope["path"] != "/oauth/token"
        roll = self.sb.dice.roll_app(is_post=is_write_post)
        status: list[int] = []
        fault: str | None = None

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            if roll.delay > 0:
                self.sb.log.count_fault("latency")
                await anyio.sleep(roll.delay)
            if roll.status is not None:
                fault = str(roll.status)
                self.sb.log.count_fault(fault)
                await self._injected(roll.status, scope, receive, send_with_id)
            elif roll.ambiguous:
                fault = await self._ambiguous(scope, receive, send_with_id)
            else:
                await self.app(scope, receive, send_with_id)
        finally:
            state = scope.get("state", {})
            self.sb.log.add(
                RequestLogEntry(
                    method=scope["method"],
                    path=scope["path"],
                    query=redact_query(scope.get("query_string", b"").decode("latin-1")),
                    status=status[0] if status else None,
                    duration=time.perf_counter() - started,
                    fault=fault,
                    request_id=request_id,
                    client_id=state.get("client_id"),
                    latency=roll.delay,
                )
            )

    async def _injected(self, status: int, scope: Scope, receive: Receive, send: Send) -> None:
        headers: dict[str, str] = {}
        if status == 429:
            headers["Retry-After"] = str(math.ceil(self.sb.faults.retry_after))
        error = api_error(
            status, "injected_fault", "Sandbox fault", f"Injected HTTP {status}.", headers=headers
        )
        await error_response(error)(scope, receive, send)

    async def _ambiguous(self, scope: Scope, receive: Receive, send: Send) -> str | None:
        """Run the POST for real; if it committed, throw the answer away and report a 502."""
        held: list[Message] = []

        async def hold(message: Message) -> None:
            held.append(message)

        await self.app(scope, receive, hold)
        committed = bool(held) and held[0]["type"] == "http.response.start" and held[0]["status"] < 300
        if not committed:
            for message in held:
                await send(message)
            return None
        self.sb.log.count_fault("ambiguous_post")
        await self._injected(502, scope, receive, send)
        return "ambiguous_post"


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return error_response(api_error(404, "not_found", "Not Found", f"No route for {request.url.path}."))
    headers = dict(exc.headers or {})
    return error_response(
        api_error(exc.status_code, "http_error", str(exc.detail), str(exc.detail), headers=headers)
    )


def build_app(sandbox: Host) -> Starlette:
    routes = [Route("/oauth/token", token_endpoint(sandbox), methods=["POST"])]
    for resource in sandbox.resources.values():
        endpoints = ResourceEndpoints(sandbox, resource)
        routes.append(Route(resource.path, endpoints.collection_route, methods=["GET", "POST"]))
        routes.append(
            Route(f"{resource.path}/{{id}}", endpoints.member_route, methods=["GET", "PATCH", "DELETE"])
        )
    return Starlette(
        routes=routes,
        exception_handlers={HTTPException: _http_error},
        middleware=[Middleware(Gateway, sandbox=sandbox)],
    )
