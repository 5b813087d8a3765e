"""Saving a Vapi end-of-call report on its session, once.

Two functions need it: webhooks applies the report Vapi sends, and the sessions sweeper applies
the same report fetched with `GET /call/{id}` when the message never came. Both go through the
named SQL function, which locks the session's row, so whichever arrives second changes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from dojo.db import Connection, jsonb
from dojo.vapi.transcript import CallReportRecord


@dataclass(frozen=True)
class AppliedReport:
    """The outcome of a report: its session, and whether this delivery saved it."""

    session_id: uuid.UUID
    company_id: uuid.UUID
    applied: bool


def apply_call_report(conn: Connection, record: CallReportRecord) -> AppliedReport | None:
    """Save a report on the session bound to its call (service role); None for an unknown call."""
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
