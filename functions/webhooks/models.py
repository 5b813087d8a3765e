"""What the webhook answers Vapi: one model per message type (all HTTP 200, §1.5)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from dojo.vapi.replies import ToolCallsReply


class _Reply(BaseModel):
    # extra="forbid" keeps the union unambiguous; every field is always present in a reply
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class StatusReply(_Reply):
    """A `status-update` applied: the session's status afterwards (None: no session for it)."""

    received: Literal["status-update"] = "status-update"
    session_status: str | None


class ReportReply(_Reply):
    """An `end-of-call-report` received: `applied` is False for a copy or an unknown call."""

    received: Literal["end-of-call-report"] = "end-of-call-report"
    applied: bool


class IgnoredReply(_Reply):
    """Any other message type: acknowledged, nothing done."""

    received: str
    ignored: Literal[True] = True


VapiReply = ToolCallsReply | StatusReply | ReportReply | IgnoredReply
