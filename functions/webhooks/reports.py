"""`status-update` and `end-of-call-report`: the call's life, applied to its session once.

The session is found by the Vapi call id only. The SQL functions lock the row, so the same report
delivered several times, or twice at once, is saved once and ends the session (grading) once.
"""

from __future__ import annotations

from dojo.db import service_transaction
from dojo.observability import logger
from dojo.vapi import EndOfCallReport, StatusUpdateMessage, apply_call_report


def status(message: StatusUpdateMessage) -> str | None:
    """Apply a status change; returns the session's status (None: no session for the call)."""
    with service_transaction() as conn:
        row = conn.execute(
            "select private.session_call_status(%s::text, %s::text, %s::text) as status",
            (message.call.id, message.status, message.ended_reason),
        ).fetchone()
    result = row["status"] if row else None
    if result is None:
        logger.warning("status update for an unknown call", extra={"call": message.call.id})
    return result


def end_of_call(message: EndOfCallReport) -> bool:
    """Save the report (transcript, recording, reason, cost, duration); True when applied now."""
    with service_transaction() as conn:
        row = apply_call_report(conn, message)
    if row is None:
        logger.warning("end-of-call report for an unknown call", extra={"call": message.call.id})
        return False
    logger.info(
        "end-of-call report",
        extra={"session_id": str(row["session_id"]), "applied": row["applied"]},
    )
    return bool(row["applied"])
