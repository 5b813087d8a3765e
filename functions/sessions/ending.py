"""Ending a session. Text: ended now (grading follows). Voice: Vapi is asked to end the call.

A voice session keeps its status until Vapi's end-of-call report brings the transcript: the
report is what ends it, and ending is what triggers grading, so the grader sees the real
conversation, once (it keeps the first feedback of a session). The end is recorded now
(`ended_at`, reason), and the sessions sweeper completes the session from Vapi's record of the
call if the report never arrives. Ending twice changes nothing.
"""

from __future__ import annotations

import uuid

from dojo.auth import Principal
from dojo.db import tenant_transaction
from dojo.errors import AppError
from dojo.observability import logger
from dojo.settings import get_settings
from dojo.vapi.client import VapiClient
from sessions.models import SessionEnded
from sessions.store import sessions as store

REASON = "salesperson-ended-call"


def end(principal: Principal, session_id: uuid.UUID) -> SessionEnded:
    """End the caller's session; for a live voice call, also ask Vapi to hang up."""
    with tenant_transaction(principal.claims) as conn:
        visible = store.owned(conn, principal, session_id)
        store.as_service(conn)
        row = store.lock(conn, visible)
        live_call: str | None = None
        finished = row["status"] in ("ended", "failed")
        if not finished and (row["mode"] == "text" or row["vapi_call_id"] is None):
            row = store.finish(conn, row, reason=REASON, status="ended")
        elif not finished:
            row = store.finish(conn, row, reason=REASON, status=row["status"])
            live_call = row["vapi_call_id"]
    outcome = None
    if live_call:
        outcome = _hang_up(live_call)
    return SessionEnded.from_row(
        row,
        awaiting_call_report=row["mode"] == "voice" and row["status"] in ("created", "active"),
        call_end=outcome,
    )


def _hang_up(call_id: str) -> str:
    """Ask Vapi to end the call; the session's end does not depend on it (the browser hangs up
    too, and the call's maximum duration bounds the cost)."""
    try:
        client = VapiClient(get_settings())
    except AppError:
        return "not_configured"
    try:
        return "requested" if client.end_call(call_id) else "already_ended"
    except AppError as exc:
        logger.warning("could not end the Vapi call", extra={"call": call_id, "error": exc.code})
        return "failed"
    finally:
        client.close()
