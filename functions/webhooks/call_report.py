"""`status-update` and `end-of-call-report`: the call's life, applied to its session once.

The session is found by the Vapi call id only. The SQL functions lock the row, so the same report
delivered several times, or twice at once, is saved once and ends the session (grading) once.
"""

from __future__ import annotations

from dojo.call_reports import apply_call_report, finish
from dojo.db import service_transaction
from dojo.observability import logger
from dojo.vapi.messages import EndOfCallReport, StatusUpdateMessage
from dojo.vapi.transcript import CallReportRecord
from webhooks.store import calls as store


def status(message: StatusUpdateMessage) -> str | None:
    """Apply a status change; returns the session's status (None: no session for the call)."""
    with service_transaction() as conn:
        result = store.apply_status(conn, message.call.id, message.status, message.ended_reason)
    if result is None:
        logger.warning("status update for an unknown call", extra={"call": message.call.id})
    return result


def end_of_call(message: EndOfCallReport) -> bool:
    """Save the report (transcript, recording, reason, cost, duration, latency); True when applied
    now. The recording is then copied into our storage, after the report's transaction."""
    record = CallReportRecord.of(message)
    with service_transaction() as conn:
        outcome = apply_call_report(conn, record)
    if outcome is None:
        logger.warning("end-of-call report for an unknown call", extra={"call": message.call.id})
        return False
    logger.info(
        "end-of-call report",
        extra={"session_id": str(outcome.session_id), "applied": outcome.applied},
    )
    finish(record, outcome)
    return outcome.applied
