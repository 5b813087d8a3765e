"""What the sessions API accepts and answers about sessions (the OpenAPI schema the web app is
typed from).

None of the answers carry the persona's hidden facts, objections, end conditions or prompt: the
salesperson sees who they are calling, never what the persona hides. Each view is built from a
`training_sessions` row as `store.py` reads it (`from_row`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

Status = Literal["created", "active", "ended", "failed"]
Row = Mapping[str, Any]


class StartIn(BaseModel):
    """A request to start practising: a persona (or a random one), or an attempt at an assignment
    (`assignment_id`: the assignment names the persona, or the difficulty, and the mode)."""

    model_config = ConfigDict(extra="forbid")

    persona_id: uuid.UUID | None = None
    mode: Literal["voice", "text"] | None = Field(
        default=None, description="text unless given; an assignment's attempt takes its mode"
    )
    assignment_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if self.assignment_id is not None and self.persona_id is not None:
            raise ValueError("an assignment names its persona: send assignment_id alone")
        return self


class MessageIn(BaseModel):
    """One salesperson message."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)


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
    assignment_id: uuid.UUID | None = None

    @classmethod
    def from_row(cls, row: Row, **extra: Any) -> Self:
        """The view of a session row (`extra` fills the fields a subclass adds)."""
        duration = row["duration_seconds"]
        return cls.model_validate(
            {
                "id": row["id"],
                "user_id": row["user_id"],
                "mode": row["mode"],
                "status": row["status"],
                "persona": {
                    "id": row["persona_id"],
                    "name": row["persona_name"],
                    "role": row["persona_role"],
                    "difficulty": row["persona_difficulty"],
                },
                "rubric_version": row["rubric_version"],
                "vapi_call_id": row["vapi_call_id"],
                "started_at": row["started_at"],
                "ended_at": row["ended_at"],
                "ended_reason": row["ended_reason"],
                "duration_seconds": None if duration is None else float(duration),
                "turn_count": row["turn_count"],
                "created_at": row["created_at"],
                "assignment_id": row.get("assignment_id"),
                **extra,
            }
        )


class SessionListItem(SessionSummary):
    """A session in a list, with whose it is."""

    user: Member

    @classmethod
    def from_row(cls, row: Row, **extra: Any) -> Self:
        """A listed session row (it carries its salesperson's name and email)."""
        user = Member(name=row["user_name"], email=row["user_email"])
        return super().from_row(row, user=user, **extra)


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

    @classmethod
    def from_row(cls, row: Row, **extra: Any) -> Self:
        """A full session row (with its transcript), turns numbered from 0."""
        transcript = [{"index": i, **turn} for i, turn in enumerate(row.get("transcript") or [])]
        return super().from_row(
            row, transcript=transcript, recording_url=row.get("recording_url"), **extra
        )


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
