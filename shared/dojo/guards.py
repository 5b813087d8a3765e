"""The ASGI guard in front of every function's routes: bounded bodies and no NUL characters.

Both rules hold for every route of every function, so they live here and not in each route:

- **Bodies are bounded before they are read.** A request whose Content-Length is over the limit
  is answered 413 without reading a byte of its body; a chunked body is counted as it streams
  and refused the moment it passes the limit (nothing buffers it whole). The limit is what
  production accepts: Lambda's synchronous invocation payload (6 MB), which binds before API
  Gateway's 10 MB; a binary body travels base64-encoded inside that event, so it gets 3/4 of it.
  A route that production serves from elsewhere (the local stand-in for Storage's signed upload)
  declares its own limit.
- **NUL (U+0000) is refused with 422, wherever it is.** Postgres cannot store it in text or jsonb,
  and no field of ours has a use for it. The path, the query string, the headers and JSON or
  form-encoded bodies are checked (a JSON body as it streams: the `\\u0000` escape, or a raw NUL
  byte, which also refuses UTF-16/32 JSON: RFC 8259 wants UTF-8 on the wire). Multipart bodies are
  files, where NUL bytes are ordinary; their file names are cleaned by the upload route.

A URL or a declared length is refused before the app runs. A body is refused from `receive`,
when the route reads it, with an HTTPException the app's handlers answer in the one error shape.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LAMBDA_PAYLOAD_BYTES = 6 * 1024 * 1024
API_GATEWAY_PAYLOAD_BYTES = 10 * 1024 * 1024
BODY_LIMIT_BYTES = min(LAMBDA_PAYLOAD_BYTES, API_GATEWAY_PAYLOAD_BYTES)
BINARY_BODY_LIMIT_BYTES = BODY_LIMIT_BYTES // 4 * 3

# Content types API Gateway passes through as text; anything else arrives base64-encoded.
_TEXT_TYPE = re.compile(
    r"^\s*(text/|application/(json|[\w.-]+\+json|xml|javascript|x-www-form-urlencoded)\s*(;|$))",
    re.IGNORECASE,
)
_JSON_TYPE = re.compile(r"^\s*application/(json|[\w.-]+\+json)\s*(;|$)", re.IGNORECASE)
_FORM_TYPE = re.compile(r"^\s*application/x-www-form-urlencoded\s*(;|$)", re.IGNORECASE)
# `\u0000` only where the backslash run before `u` is odd (an even run is escaped backslashes).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000|\x00")
_FORM_NUL = re.compile(rb"%00|\x00")
NUL_MESSAGE = "NUL characters (U+0000) are not allowed"


class Refused(HTTPException):
    """A request a guard refuses: answered by the app's HTTPException handler, with details."""

    def __init__(
        self,
        status_code: int,
        detail: str,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status_code, detail=detail, headers=headers)
        self.details = details


def too_large(limit: int) -> Refused:
    """413 for a body over `limit` bytes; the rest of it is still on the wire, so the server
    closes the connection after answering, and says so."""
    return Refused(
        413,
        f"the request body is larger than the {limit} bytes this route accepts",
        {"max_bytes": limit, "reason": "body_too_large"},
        headers={"connection": "close"},
    )


def nul_refused(where: str) -> Refused:
    """422 for a NUL character found in `where` (path, query, header or body)."""
    return Refused(422, f"{NUL_MESSAGE} ({where})", [{"loc": [where], "msg": NUL_MESSAGE}])


class _NulScanner:
    """Finds a NUL in a body fed chunk by chunk, keeping only the few bytes a match can span."""

    def __init__(self, pattern: re.Pattern[bytes], json: bool) -> None:
        self.pattern = pattern
        self.json = json
        self.carry = b""

    def feed(self, chunk: bytes) -> bool:
        """True when the stream so far holds a NUL."""
        buf = self.carry + chunk
        if self.pattern.search(buf):
            return True
        head, tail = buf[:-5], buf[-5:]
        if self.json:
            # Only the parity of the backslash run before the tail decides an escape.
            run = len(head) - len(head.rstrip(b"\\"))
            self.carry = b"\\" * (run % 2) + tail
        else:
            self.carry = buf[-2:]
        return False


def _scanner(content_type: str | None) -> _NulScanner | None:
    if content_type is None or _JSON_TYPE.match(content_type):
        return _NulScanner(_JSON_NUL, json=True)  # no type: FastAPI reads the body as JSON
    if _FORM_TYPE.match(content_type):
        return _NulScanner(_FORM_NUL, json=False)
    return None


def _nul_in_url_or_headers(scope: Scope) -> str | None:
    query = scope.get("query_string") or b""
    if "\x00" in scope["path"] or b"%00" in (scope.get("raw_path") or b""):  # Mangum: None
        return "path"
    if b"\x00" in query or b"%00" in query:
        return "query"
    if any(b"\x00" in value for _, value in scope.get("headers", ())):
        return "header"
    return None


class RequestGuard:
    """ASGI middleware: the body limit and the NUL rule (see the module's docstring)."""

    def __init__(
        self, app: ASGIApp, body_limits: Mapping[str, Callable[[], int]] | None = None
    ) -> None:
        self.app = app
        self.body_limits = dict(body_limits or {})

    def limit_for(self, path: str, content_type: str | None) -> int:
        """The body limit of a request: a route's own, else production's for this content type."""
        for prefix, limit in self.body_limits.items():
            if path.startswith(prefix):
                return limit()
        if content_type is None or _TEXT_TYPE.match(content_type):
            return BODY_LIMIT_BYTES
        return BINARY_BODY_LIMIT_BYTES

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        where = _nul_in_url_or_headers(scope)
        if where:
            raise nul_refused(where)
        headers = Headers(scope=scope)
        content_type = headers.get("content-type")
        limit = self.limit_for(scope["path"], content_type)
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            raise too_large(limit)
        scanner = _scanner(content_type)
        received = 0

        async def guarded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > limit:
                    raise too_large(limit)
                if scanner is not None and chunk and scanner.feed(chunk):
                    raise nul_refused("body")
            return message

        await self.app(scope, guarded_receive, send)
