"""What the sessions API accepts and answers about sessions (the OpenAPI schema the web app is
typed from).

None of the answers carry the persona's hidden facts, objections, end conditions or prompt: the
salesperson sees who they are calling, never what the persona hides. Each view is built from a
`training_sessions` row as `store.py` reads it (`from_row`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
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
    retry_of: uuid.UUID | None = Field(
        default=None, description="retry a moment of this finished session of yours"
    )
    from_turn: int | None = Field(
        default=None, ge=0, description="the persona turn (transcript index) the retry opens at"
    )

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if self.assignment_id is not None and self.persona_id is not None:
            raise ValueError("an assignment names its persona: send assignment_id alone")
        if (self.retry_of is None) != (self.from_turn is None):
            raise ValueError("retry_of and from_turn go together")
        if self.retry_of is not None and (
            self.persona_id is not None or self.assignment_id is not None
        ):
            raise ValueError(
                "a retry plays the original session's persona: send no persona or assignment"
            )
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
    difficulty: Literal["easy", "medium", "hard"] | None
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
    retry_of: uuid.UUID | None = None
    from_turn: int | None = None
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
                "retry_of": row.get("retry_of"),
                "from_turn": row.get("from_turn"),
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


class Latency(BaseModel):
    """How quickly the persona answered on a call (from the report's message timings).

    A response delay is the persona's start minus the salesperson's end; a start before that end
    is an interruption, not a delay. Percentiles interpolate linearly between ranks.
    """

    p50_ms: int | None
    p95_ms: int | None
    max_ms: int | None
    over_1500ms_share: float | None = Field(description="share of responses slower than 1.5 s")
    responses: int = 0
    persona_interruptions: int = 0
    salesperson_interruptions: int = 0


class SessionDetail(SessionSummary):
    """A session with its transcript, recording and latency (voice; null for text)."""

    transcript: list[TurnOut]
    recording_url: str | None = Field(
        description="a short-lived signed URL of the call's recording, once copied to our storage"
    )
    latency: Latency | None

    @classmethod
    def from_row(cls, row: Row, **extra: Any) -> Self:
        """A full session row (with its transcript), turns numbered from 0.

        `recording_url` is the signed URL the caller made for the row's `recording_path`.
        """
        transcript = [{"index": i, **turn} for i, turn in enumerate(row.get("transcript") or [])]
        extra.setdefault("recording_url", None)
        return super().from_row(row, transcript=transcript, latency=row.get("latency"), **extra)


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


class RetryOut(BaseModel):
    """One retry of a session's moment, with its score once graded."""

    session_id: uuid.UUID
    from_turn: int
    mode: Literal["voice", "text"]
    status: Status
    created_at: datetime
    overall: float | None = Field(
        description="the retry's overall score (a manager's override wins)"
    )


class RetryList(BaseModel):
    """The retries of one session, oldest first: progress on its moments."""

    session_id: uuid.UUID
    items: list[RetryOut]


class OperationsDay(BaseModel):
    """One UTC day of voice calls and model use (the admins' operations page)."""

    day: date
    calls_started: int
    calls_reported: int
    completion_rate: float | None = Field(description="calls that reached a report / started")
    avg_duration_seconds: float | None
    cost_per_call_usd: float | None = Field(description="Vapi's cost per reported call")
    latency_p95_ms: float | None = Field(description="p95 of every persona response that day")
    model_input_tokens: int
    model_output_tokens: int
    model_cost_usd: float = Field(description="OpenAI (language and embedding models) cost")


class Operations(BaseModel):
    """The last `days` days, oldest first, with totals over the period."""

    days: int
    items: list[OperationsDay]
    calls_started: int
    calls_reported: int
    completion_rate: float | None
    model_cost_usd: float
