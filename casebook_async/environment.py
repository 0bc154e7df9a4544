"""Credentials and server from the environment: the CASEBOOK_* variables, read the same way by
``Casebook.from_env()`` and the ``casebook`` command line (where flags of the same names take precedence).

An empty variable counts as unset. ``CASEBOOK_BASE_URL`` takes precedence over ``CASEBOOK_REGION``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from .client import REGIONS
from .errors import CredentialsError

TOKEN: Final = "CASEBOOK_TOKEN"  # noqa: S105 - a variable's name
CLIENT_ID: Final = "CASEBOOK_CLIENT_ID"
CLIENT_SECRET: Final = "CASEBOOK_CLIENT_SECRET"  # noqa: S105 - a variable's name
REGION: Final = "CASEBOOK_REGION"
BASE_URL: Final = "CASEBOOK_BASE_URL"
VARIABLES: Final = (TOKEN, CLIENT_ID, CLIENT_SECRET, REGION, BASE_URL)

NO_CREDENTIALS: Final = (
    f"no Casebook credentials: set {TOKEN}, or {CLIENT_ID} and {CLIENT_SECRET} "
    f"(with {REGION}=us|ca, or {BASE_URL})"
)


__all__ = ["BASE_URL", "CLIENT_ID", "CLIENT_SECRET", "REGION", "TOKEN", "Credentials", "CredentialsError"]


@dataclass(frozen=True)
class Credentials:
    token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    region: str | None = None
    base_url: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Credentials:
        env = os.environ if environ is None else environ
        return cls(*(env.get(name) or None for name in VARIABLES))

    @property
    def configured(self) -> bool:
        return any((self.token, self.client_id, self.client_secret))

    def check(self, missing: str = NO_CREDENTIALS) -> None:
        """Raise CredentialsError unless these can work (checked before anything is read or sent);
        ``missing`` is the message when there are none."""
        if not self.configured:
            raise CredentialsError(missing)
        if self.token and (self.client_id or self.client_secret):
            raise CredentialsError("pass a token or client credentials, not both")
        if not self.token and not (self.client_id and self.client_secret):
            raise CredentialsError("client credentials need both a client id and a client secret")
        if self.region is not None and self.region not in REGIONS:
            raise CredentialsError(f"region must be 'us' or 'ca', got {self.region!r}")

    def client_options(self) -> dict[str, Any]:
        """The keyword arguments of ``Casebook`` these stand for (checked first)."""
        self.check()
        return {
            "region": None if self.base_url else self.region,
            "base_url": self.base_url,
            "token": self.token,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }

    def __repr__(self) -> str:  # never show a secret, even in a traceback's locals
        return (
            f"Credentials(token={'***' if self.token else None}, client_id={self.client_id!r}, "
            f"client_secret={'***' if self.client_secret else None}, region={self.region!r}, "
            f"base_url={self.base_url!r})"
        )
