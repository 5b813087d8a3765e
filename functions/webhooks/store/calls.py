"""All of the webhooks function's SQL: finding a call's session and applying Vapi's messages.

Every statement runs in a service transaction and finds the session by the Vapi call id bound at
start, never by ids in the message. The named SQL functions lock the session's row, so the same
message delivered twice, or twice at once, is applied once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from dojo.db import Connection, jsonb
from dojo.vapi.transcript import CallReportRecord


@dataclass(frozen=True)
class CallSession:
    """The session a call is bound to, as the tool calls need it."""

    id: uuid.UUID
    company_id: uuid.UUID
    status: str


@dataclass(frozen=True)
class AppliedReport:
    """The outcome of a report: its session, and whether this delivery saved it."""

    session_id: uuid.UUID
    company_id: uuid.UUID
    applied: bool


def session_for_call(conn: Connection, call_id: str) -> CallSession | None:
    """The session bound to the call, or None."""
    row = conn.execute(
        "select id, company_id, status from public.training_sessions where vapi_call_id = %s",
        (call_id,),
    ).fetchone()
    return None if row is None else CallSession(row["id"], row["company_id"], row["status"])


def apply_status(
    conn: Connection, call_id: str, status: str, ended_reason: str | None
) -> str | None:
    """Apply a call status to its session; the session's status afterwards (None: no session)."""
    row = conn.execute(
        "select private.session_call_status(%s::text, %s::text, %s::text) as status",
        (call_id, status, ended_reason),
    ).fetchone()
    return row["status"] if row else None


def apply_call_report(conn: Connection, record: CallReportRecord) -> AppliedReport | None:
    """Save a report on the session bound to its call, once; None when no session has the call."""
    row = conn.execute(
        "select session_id, company_id, applied from private.session_apply_call_report("
        "%s::text, %s::jsonb, %s::text, %s::text, %s::numeric, %s::numeric,"
        " %s::timestamptz, %s::timestamptz)",
        (
            record.call_id,
            jsonb([t.model_dump() for t in record.transcript]),
            record.recording_url,
            record.ended_reason,
            record.cost,
            record.duration_seconds,
            record.started_at,
            record.ended_at,
        ),
    ).fetchone()
    if row is None:
        return None
    return AppliedReport(row["session_id"], row["company_id"], bool(row["applied"]))
