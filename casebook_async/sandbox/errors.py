"""JSON:API error documents and the exception handlers raise to produce them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

JSONAPI = "application/vnd.api+json"


@dataclass(frozen=True)
class ErrorObject:
    status: int
    code: str
    title: str
    detail: str
    pointer: str | None = None
    parameter: str | None = None

    def to_json(self) -> dict[str, Any]:
        error: dict[str, Any] = {
            "status": str(self.status),
            "code": self.code,
            "title": self.title,
            "detail": self.detail,
        }
        if self.pointer is not None:
            error["source"] = {"pointer": self.pointer}
        elif self.parameter is not None:
            error["source"] = {"parameter": self.parameter}
        return error


@dataclass
class ApiError(Exception):
    """Raised anywhere in request handling; the app turns it into an error document."""

    errors: list[ErrorObject]
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def status(self) -> int:
        return self.errors[0].status

    def with_status(self, old: int, new: int) -> ApiError:
        """The same errors, those of status ``old`` reported as ``new`` (e.g. validation as 400)."""
        errors = [replace(e, status=new) if e.status == old else e for e in self.errors]
        return ApiError(errors, self.headers)

    def document(self) -> dict[str, Any]:
        return {"errors": [error.to_json() for error in self.errors], "jsonapi": {"version": "1.0"}}


def api_error(
    status: int,
    code: str,
    title: str,
    detail: str,
    *,
    pointer: str | None = None,
    parameter: str | None = None,
    headers: dict[str, str] | None = None,
) -> ApiError:
    return ApiError([ErrorObject(status, code, title, detail, pointer, parameter)], headers or {})


def bad_parameter(parameter: str, detail: str) -> ApiError:
    return api_error(400, "invalid_parameter", "Invalid query parameter", detail, parameter=parameter)


def unprocessable(errors: list[ErrorObject]) -> ApiError:
    return ApiError(errors)


def invalid(pointer: str, code: str, detail: str) -> ErrorObject:
    return ErrorObject(422, code, "Invalid attribute", detail, pointer=pointer)
