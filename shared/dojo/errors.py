"""One error shape for every function: `{"error": {"code", "message", "request_id"}}`."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """An error meant for the caller: a status, a stable code and a readable message."""

    status_code: int = 400
    code: str = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status_code: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status_code is not None:
            self.status_code = status_code
        self.details = details


class BadRequest(AppError):
    """400: the request is malformed."""


UNAUTHORIZED_MESSAGE = "authentication required"


class Unauthorized(AppError):
    """401: no valid credentials. Every 401 answers the same code and message, whatever the cause:
    the caller learns nothing about why (a probe cannot tell a forged token from an expired one).
    The cause is for the logs only (`str(exc)`, logged by the error handler; never the token)."""

    status_code = 401
    code = "unauthorized"

    def __init__(self, cause: str) -> None:
        super().__init__(UNAUTHORIZED_MESSAGE)
        self.cause = cause

    def __str__(self) -> str:
        return self.cause


class Forbidden(AppError):
    """403: authenticated but not allowed."""

    status_code = 403
    code = "forbidden"


class NotFound(AppError):
    """404: missing, or belongs to somebody the caller cannot see (never says which)."""

    status_code = 404
    code = "not_found"


class Conflict(AppError):
    """409: the resource is in a state that does not allow this."""

    status_code = 409
    code = "conflict"


class PayloadTooLarge(AppError):
    """413: the body or file is over the configured limit."""

    status_code = 413
    code = "payload_too_large"


class UnsupportedMediaType(AppError):
    """415: a file type we do not read."""

    status_code = 415
    code = "unsupported_media_type"


class TooManyRequests(AppError):
    """429: a limit was reached."""

    status_code = 429
    code = "too_many_requests"


class UpstreamError(AppError):
    """502: an external service answered badly."""

    status_code = 502
    code = "upstream_error"


class ServiceUnavailable(AppError):
    """503: an external service or the database is unavailable right now."""

    status_code = 503
    code = "service_unavailable"


def error_body(code: str, message: str, request_id: str, details: Any = None) -> dict[str, Any]:
    """The JSON body of every error response."""
    err: dict[str, Any] = {"code": code, "message": message, "request_id": request_id}
    if details is not None:
        err["details"] = details
    return {"error": err}
