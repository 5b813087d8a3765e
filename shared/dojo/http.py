"""The FastAPI app factory every function uses: health routes, request ids, one error shape, and
the route class that checks credentials before anything in the request is parsed.

Every answer, including an unexpected error's, is sent by the app in the one error shape and no
exception leaves it: Starlette's last-resort handler re-raises after answering, and the server
then drops a kept-alive connection (uvicorn) or Lambda reports a failed invocation (Mangum).
"""

from __future__ import annotations

import re
import sys
import uuid
from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dojo import db
from dojo.auth import authenticated
from dojo.errors import AppError, Unauthorized, error_body
from dojo.guards import Refused, RequestGuard
from dojo.hooks import hook_request, require_hook_secret
from dojo.observability import REQUEST_KEYS, logger

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
}


class ErrorInfo(BaseModel):
    """What went wrong: a stable code, a readable message, the request id, maybe details."""

    code: str
    message: str
    request_id: str
    details: Any = None


class ErrorResponse(BaseModel):
    """The one error shape every 4xx and 5xx answer has."""

    error: ErrorInfo


# Declared on every route (it replaces FastAPI's `HTTPValidationError` 422, which we never send).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorResponse, "description": "the request was refused"},
    "5XX": {"model": ErrorResponse, "description": "a failure on our side or upstream"},
}


def request_id_of(request: Request) -> str:
    """The request id: the caller's `x-request-id` if sane, else API Gateway's, else a new one."""
    rid = getattr(request.state, "request_id", None)
    if isinstance(rid, str):
        return rid
    candidate = request.headers.get("x-request-id", "")
    if not _REQUEST_ID.match(candidate):
        event = request.scope.get("aws.event") or {}
        candidate = str((event.get("requestContext") or {}).get("requestId") or "")
    if not _REQUEST_ID.match(candidate):
        candidate = uuid.uuid4().hex
    request.state.request_id = candidate
    return candidate


def _error(
    request: Request,
    status: int,
    code: str,
    message: str,
    details: Any = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    rid = request_id_of(request)
    return JSONResponse(
        error_body(code, message, rid, details),
        status_code=status,
        headers={**(headers or {}), "x-request-id": rid},
    )


async def _app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    if isinstance(exc, Unauthorized):
        # The answer never says why; the log does. Never the token, nor the path (a signed upload
        # URL carries its token in the path).
        logger.info(
            "authentication refused",
            extra={"cause": exc.cause, "request_id": request_id_of(request)},
        )
    return _error(request, exc.status_code, exc.code, exc.message, exc.details)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = _STATUS_CODES.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    if isinstance(exc, Refused):  # the guard's own answers (413 says Connection: close)
        return _error(request, exc.status_code, code, message, exc.details, exc.headers)
    return _error(request, exc.status_code, code, message)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    # Field locations and messages only: echoing the input could echo a secret.
    details = [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", "")} for e in exc.errors()
    ]
    return _error(request, 422, "validation_error", "the request is not valid", details)


def _is_data_error(exc: Exception) -> bool:
    """A value Postgres refused (class 22: NUL, out of range, bad encoding...): the caller's."""
    psycopg = sys.modules.get("psycopg")  # loaded with the first query: no query, no such error
    return psycopg is not None and isinstance(exc, psycopg.DataError)


async def _answer(request: Request, exc: Exception) -> Response:
    """The error response for an exception that reached the edge of the app."""
    if isinstance(exc, AppError):
        return await _app_error(request, exc)
    if isinstance(exc, StarletteHTTPException):
        return await _http_error(request, exc)
    if isinstance(exc, RequestValidationError):
        return await _validation_error(request, exc)
    rid = request_id_of(request)
    if _is_data_error(exc):
        logger.warning("value refused by the database", extra={"error": type(exc).__name__})
        return _error(request, 422, "validation_error", "a value in the request cannot be stored")
    logger.exception("unhandled error", extra={"request_id": rid})
    return _error(request, 500, "internal_error", "something went wrong on our side")


class _Edge:
    """Outermost middleware: request id on every response, and no exception escapes the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        rid = request_id_of(request)
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message)["x-request-id"] = rid
            await send(message)

        logger.append_keys(request_id=rid)
        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            if started:  # half sent: nothing to add; the server ends the response
                logger.exception("error after the response started", extra={"request_id": rid})
                return
            response = await _answer(request, exc)
            await response(scope, receive, send_with_id)
        finally:
            logger.remove_keys(list(REQUEST_KEYS))


# A credential dependency -> the same check on the whole request, run before the body is read.
_GATES: dict[Callable[..., Any], Callable[[Request], Any]] = {
    authenticated: authenticated,
    require_hook_secret: hook_request,
}


def _gates(dependant: Dependant) -> list[Callable[[Request], Any]]:
    found: list[Callable[[Request], Any]] = []
    pending = [dependant]
    while pending:
        current = pending.pop()
        gate = _GATES.get(current.call) if current.call is not None else None
        if gate is not None and gate not in found:
            found.append(gate)
        pending.extend(current.dependencies)
    return found


class CredentialsFirst(APIRoute):
    """A route that checks the caller's credentials before it reads or validates the request.

    FastAPI reads and parses the body (JSON, forms) before it solves dependencies, so without this
    an unauthenticated caller would get a 422 that describes what the route expects. This route
    runs the credential check its dependencies declare (a bearer token: `dojo.auth.authenticated`;
    the hook secret: `dojo.hooks.require_hook_secret`) first: a missing or bad credential is a 401
    before a byte of the body is read. The verified caller is kept on the request, so the
    dependency does not verify twice. Every function's routers use it (`route_class=`).
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The route's handler, preceded by its credential checks."""
        handler = super().get_route_handler()
        gates = _gates(self.dependant)
        if not gates:
            return handler

        async def guarded(request: Request) -> Response:
            for gate in gates:
                await run_in_threadpool(gate, request)  # sync: JWKS fetch, membership read
            return await handler(request)

        return guarded


def create_app(
    service: str,
    *,
    title: str,
    description: str = "",
    body_limits: Mapping[str, Callable[[], int]] | None = None,
) -> FastAPI:
    """A FastAPI app with `/health`, `/health/db`, request ids, the request guard (body limits
    and the NUL rule, see `dojo.guards`) and the common error shape.

    `body_limits` maps a path prefix to its own body limit in bytes, for a route production does
    not serve through Lambda (read per request, so settings can change it).
    """
    app = FastAPI(title=title, description=description, version="0.1.0", responses=ERROR_RESPONSES)
    app.add_middleware(RequestGuard, body_limits=body_limits)
    app.add_middleware(_Edge)  # added last: the outermost
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)

    @app.get("/health", tags=["health"])
    def health() -> dict[str, str]:
        """Liveness: the function is loaded and answering."""
        return {"status": "ok", "service": service}

    @app.get("/health/db", tags=["health"])
    def health_db() -> dict[str, str]:
        """Readiness: the database answers a round-trip."""
        db.ping()
        return {"status": "ok", "service": service, "database": "ok"}

    return app
