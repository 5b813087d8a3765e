"""Reading a Vapi request safely: credentials first, then a bounded body, then the message.

A caller without a fresh credential gets 401 before any of the body is read; a body past the cap
gets 413 without being buffered; the HMAC is checked on exactly the bytes read; only then is the
body parsed (400 when malformed or unstorable).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from dojo.errors import BadRequest, PayloadTooLarge
from dojo.vapi.auth import authenticate_headers
from dojo.vapi.messages import ServerMessage
from dojo.vapi.parsing import parse_server_message

# Lambda's synchronous request payload limit (Function URL and HTTP API alike): nothing larger
# reaches the function in production. A 12-hour call's report is a few hundred kilobytes.
MAX_BODY_BYTES = 6 * 1024 * 1024


async def read_bounded(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, read up to `limit` bytes: PayloadTooLarge as soon as it (or its length) is past."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise BadRequest("invalid content-length")
        if int(declared) > limit:
            raise PayloadTooLarge(f"the body is larger than {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise PayloadTooLarge(f"the body is larger than {limit} bytes")
    return bytes(body)


async def signed_body(request: Request) -> bytes:
    """The exact bytes Vapi signed: headers checked first (401 unread), then a bounded read."""
    claim = authenticate_headers(request.headers)
    body = await read_bounded(request)
    if claim is not None:
        claim.verify(body)
    return body


def server_message(body: Annotated[bytes, Depends(signed_body)]) -> ServerMessage:
    """The authenticated message (parsed off the event loop: a sync dependency runs in a thread)."""
    return parse_server_message(body)
