"""All of the webhooks function's SQL: finding a call's session and applying Vapi's messages.

Every statement runs in a service transaction and finds the session by the Vapi call id bound at
start, never by ids in the message. The named SQL functions lock the session's row, so the same
message delivered twice, or twice at once, is applied once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from dojo.db import Connection


@dataclass(frozen=True)
class CallSession:
    """The session a call is bound to, as the tool calls need it."""

    id: uuid.UUID
    company_id: uuid.UUID
    status: str


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
