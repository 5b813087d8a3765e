"""`POST /api/v1/webhooks/vapi`: every Vapi server message, authenticated before anything else."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from dojo.errors import BadRequest, PayloadTooLarge
from dojo.observability import Metric, bind_vapi_call, timed
from dojo.vapi import (
    EndOfCallReport,
    OtherMessage,
    StatusUpdateMessage,
    ToolCallsMessage,
    authenticate_headers,
    parse_server_message,
)
from webhooks import reports, tools

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])

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


@router.post("/vapi")
def vapi_message(body: Annotated[bytes, Depends(signed_body)]) -> dict[str, Any]:
    """Authenticate (401), bound (413), parse (400), then dispatch on `message.type`."""
    message = parse_server_message(body)
    if not isinstance(message, OtherMessage):
        bind_vapi_call(message.call.id)
    if isinstance(message, ToolCallsMessage):
        with timed(Metric.TOOL_CALL_LATENCY):
            return tools.answer(message).wire()
    if isinstance(message, StatusUpdateMessage):
        return {"received": message.type, "session_status": reports.status(message)}
    if isinstance(message, EndOfCallReport):
        return {"received": message.type, "applied": reports.end_of_call(message)}
    return {"received": message.type, "ignored": True}
