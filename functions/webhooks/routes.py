"""`POST /api/v1/webhooks/vapi`: every Vapi server message, authenticated before anything else."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from dojo.observability import Metric, bind_vapi_call, timed
from dojo.vapi.messages import (
    EndOfCallReport,
    OtherMessage,
    ServerMessage,
    StatusUpdateMessage,
    ToolCallsMessage,
)
from webhooks import call_report, tools
from webhooks.intake import server_message
from webhooks.models import IgnoredReply, ReportReply, StatusReply, VapiReply

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])


@router.post("/vapi", response_model=VapiReply)
def vapi_message(message: Annotated[ServerMessage, Depends(server_message)]) -> VapiReply:
    """Authenticate (401), bound (413), parse (400), then answer by `message.type` (200)."""
    if isinstance(message, OtherMessage):
        return IgnoredReply(received=message.type)
    bind_vapi_call(message.call.id)
    if isinstance(message, ToolCallsMessage):
        with timed(Metric.TOOL_CALL_LATENCY):
            return tools.answer(message)
    if isinstance(message, StatusUpdateMessage):
        return StatusReply(session_status=call_report.status(message))
    assert isinstance(message, EndOfCallReport)
    return ReportReply(applied=call_report.end_of_call(message))
