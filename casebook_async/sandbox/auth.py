"""Registered applications, client-credentials tokens and role checks."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .errors import ApiError, api_error


@dataclass(frozen=True)
class Application:
    """A registered incoming application. The secret is a sandbox credential, still kept out of reprs."""

    client_id: str
    client_secret: str = field(repr=False)
    roles: frozenset[str]


@dataclass(frozen=True)
class Grant:
    application: Application
    expires_at: float  # on the sandbox clock
    key: str  # stands in for the token wherever something must be keyed or logged per token


class Authority:
    def __init__(self, all_roles: frozenset[str], clock: Callable[[], float], lifetime: float) -> None:
        self.all_roles = all_roles
        self.clock = clock
        self.lifetime = lifetime
        self.applications: dict[str, Application] = {}
        self._grants: dict[str, Grant] = {}
        self.tokens_issued = 0

    def register(
        self,
        roles: Iterable[str] | None = None,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
    ) -> Application:
        granted = self.all_roles if roles is None else frozenset(roles)
        unknown = granted - self.all_roles
        if unknown:
            raise ValueError(f"unknown roles: {sorted(unknown)}; the spec names {sorted(self.all_roles)}")
        app = Application(
            client_id=client_id or f"sandbox-{secrets.token_hex(8)}",
            client_secret=client_secret or secrets.token_urlsafe(24),
            roles=granted,
        )
        self.applications[app.client_id] = app
        return app

    def authenticate_client(self, client_id: str, client_secret: str) -> Application | None:
        app = self.applications.get(client_id)
        if app is None or not secrets.compare_digest(app.client_secret, client_secret):
            return None
        return app

    def issue(self, app: Application, lifetime: float | None = None) -> tuple[str, float]:
        """A fresh opaque bearer token and its lifetime in seconds."""
        lifetime = self.lifetime if lifetime is None else lifetime
        token = secrets.token_urlsafe(32)
        self.tokens_issued += 1
        self._grants[token] = Grant(app, self.clock() + lifetime, f"token-{self.tokens_issued}")
        return token, lifetime

    def verify(self, authorization: str | None) -> Grant:
        """The grant behind an `Authorization: Bearer` header, or a 401."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise self._unauthorized(
                "missing_token", "An `Authorization: Bearer <token>` header is required."
            )
        grant = self._grants.get(token.strip())
        if grant is None:
            raise self._unauthorized("invalid_token", "The bearer token is not valid.")
        if self.clock() >= grant.expires_at:
            raise self._unauthorized("expired_token", "The bearer token has expired.")
        return grant

    @staticmethod
    def _unauthorized(code: str, detail: str) -> ApiError:
        challenge = "Bearer" if code == "missing_token" else 'Bearer error="invalid_token"'  # RFC 6750 3.1
        return api_error(401, code, "Unauthorized", detail, headers={"WWW-Authenticate": challenge})

    @staticmethod
    def authorize(grant: Grant, needed: Iterable[str]) -> None:
        missing = sorted(set(needed) - grant.application.roles)
        if missing:
            raise api_error(
                403, "forbidden", "Forbidden", f"The application lacks the role(s): {', '.join(missing)}."
            )
