"""`POST /api/v1/webhooks/vapi`: every Vapi server message, authenticated before anything else."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from dojo.observability import Metric, bind_vapi_call, timed
from dojo.vapi import (
    EndOfCallReport,
    OtherMessage,
    StatusUpdateMessage,
    ToolCallsMessage,
    parse_server_message,
    verify_request,
)
from webhooks import reports, tools

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])


async def raw_body(request: Request) -> bytes:
    """The exact bytes Vapi signed."""
    return await request.body()


@router.post("/vapi")
def vapi_message(request: Request, body: Annotated[bytes, Depends(raw_body)]) -> dict[str, Any]:
    """Authenticate (401), parse (400), then dispatch on `message.type`; other types are 200."""
    verify_request(request.headers, body)
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
