"""What the sessions API answers (the OpenAPI schema the web app is typed from).

None of these carry the persona's hidden facts, objections, end conditions or prompt: the
salesperson sees who they are calling, never what the persona hides.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

Status = Literal["created", "active", "ended", "failed"]


class PersonaSummary(BaseModel):
    """The persona as the salesperson sees it."""

    id: uuid.UUID | None
    name: str | None
    role: str | None
    difficulty: str | None
    company_profile: dict[str, Any] | None = None


class TurnOut(BaseModel):
    """One turn of the transcript (seconds from the session start)."""

    index: int
    speaker: Literal["salesperson", "persona"]
    text: str
    start: float
    end: float
    words: int


class Member(BaseModel):
    """The salesperson of a session (team view)."""

    name: str | None
    email: str | None


class SessionSummary(BaseModel):
    """A session without its transcript."""

    id: uuid.UUID
    user_id: uuid.UUID
    mode: Literal["voice", "text"]
    status: Status
    persona: PersonaSummary
    rubric_version: str
    vapi_call_id: str | None
    started_at: datetime | None
    ended_at: datetime | None
    ended_reason: str | None
    duration_seconds: float | None
    turn_count: int
    created_at: datetime


class SessionListItem(SessionSummary):
    """A session in a list, with whose it is."""

    user: Member


class SessionList(BaseModel):
    """A page of sessions."""

    scope: Literal["mine", "team"]
    items: list[SessionListItem]
    limit: int
    offset: int


class SessionDetail(SessionSummary):
    """A session with its transcript and recording."""

    transcript: list[TurnOut]
    recording_url: str | None


class SessionEnded(SessionDetail):
    """A session after `end`: a voice session waits for Vapi's report to end it."""

    awaiting_call_report: bool
    call_end: Literal["requested", "already_ended", "failed", "not_configured"] | None


class CallJoin(BaseModel):
    """What the browser needs to join the web call: no secret."""

    id: str
    web_call_url: str | None
    public_key: str | None


class Started(BaseModel):
    """A started session: text answers the persona's first message, voice the call to join."""

    session_id: uuid.UUID
    session: SessionSummary
    persona: PersonaSummary
    first_message: str | None = None
    call: CallJoin | None = None
    max_duration_seconds: int | None = None


class TurnResult(BaseModel):
    """The salesperson's turn and the persona's answer."""

    session_id: uuid.UUID
    status: Status
    ended: bool
    ended_reason: str | None
    turns: list[TurnOut]
    remaining_turns: int
