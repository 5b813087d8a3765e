"""The FastAPI app factory every function uses: health routes, request ids, one error shape, and
the route class that checks credentials before anything in the request is parsed."""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from dojo import db
from dojo.auth import authenticated
from dojo.errors import AppError, Unauthorized, error_body
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


def _error(request: Request, status: int, code: str, message: str, details: Any = None) -> Response:
    rid = request_id_of(request)
    return JSONResponse(
        error_body(code, message, rid, details),
        status_code=status,
        headers={"x-request-id": rid},
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
    return _error(request, exc.status_code, code, message)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    # Field locations and messages only: echoing the input could echo a secret.
    details = [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", "")} for e in exc.errors()
    ]
    return _error(request, 422, "validation_error", "the request is not valid", details)


async def _unexpected(request: Request, _exc: Exception) -> Response:
    logger.exception("unhandled error", extra={"request_id": request_id_of(request)})
    return _error(request, 500, "internal_error", "something went wrong on our side")


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


def create_app(service: str, *, title: str, description: str = "") -> FastAPI:
    """A FastAPI app with `/health`, `/health/db`, request ids and the common error shape."""
    app = FastAPI(title=title, description=description, version="0.1.0")

    @app.middleware("http")
    async def add_request_id(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        rid = request_id_of(request)
        logger.append_keys(request_id=rid)
        try:
            response = await call_next(request)
        finally:
            logger.remove_keys(list(REQUEST_KEYS))
        response.headers["x-request-id"] = rid
        return response

    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)

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
