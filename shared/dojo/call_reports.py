"""Saving a Vapi end-of-call report on its session, once, and what follows it.

Two functions need it: webhooks applies the report Vapi sends, and the sessions sweeper applies
the same report fetched with `GET /call/{id}` when the message never came. Both go through the
named SQL function, which locks the session's row, so whichever arrives second changes nothing.
The report's transaction also claims the copy of the recording (attempt 1): `finish` copies it
after that transaction committed, with no connection held, and emits the call's metrics.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from aws_lambda_powertools.metrics import MetricUnit

from dojo import recordings
from dojo.db import Connection, jsonb
from dojo.observability import Metric, count
from dojo.vapi.transcript import CallReportRecord


@dataclass(frozen=True)
class AppliedReport:
    """The outcome of a report: its session, whether this delivery saved it, the copy it owes."""

    session_id: uuid.UUID
    company_id: uuid.UUID
    applied: bool
    copy_attempt: int | None = None


def apply_call_report(conn: Connection, record: CallReportRecord) -> AppliedReport | None:
    """Save a report on the session bound to its call (service role); None for an unknown call."""
    row = conn.execute(
        "select session_id, company_id, applied, copy_attempt"
        " from private.session_apply_call_report("
        "%s::text, %s::jsonb, %s::text, %s::text, %s::numeric, %s::numeric,"
        " %s::timestamptz, %s::timestamptz, %s::jsonb)",
        (
            record.call_id,
            jsonb([t.model_dump() for t in record.transcript]),
            record.recording_url,
            record.ended_reason,
            record.cost,
            record.duration_seconds,
            record.started_at,
            record.ended_at,
            jsonb(record.latency),
        ),
    ).fetchone()
    if row is None:
        return None
    return AppliedReport(
        row["session_id"], row["company_id"], bool(row["applied"]), row["copy_attempt"]
    )


def emit_metrics(record: CallReportRecord) -> None:
    """CloudWatch metrics of a call that reached its report: completion, duration, latency."""
    count(Metric.CALLS_COMPLETED)
    if record.duration_seconds is not None:
        count(Metric.CALL_DURATION, record.duration_seconds, unit=MetricUnit.Seconds)
    p95 = record.latency.get("p95_ms")
    if p95 is not None:
        count(Metric.CALL_LATENCY_P95, p95, unit=MetricUnit.Milliseconds)


def finish(record: CallReportRecord, outcome: AppliedReport) -> None:
    """After the report's transaction committed: metrics, then the recording's copy (if owed)."""
    if not outcome.applied:
        return
    emit_metrics(record)
    url = record.recording_download_url or record.recording_url
    if outcome.copy_attempt is not None and url:
        job = recordings.CopyJob(
            outcome.session_id, outcome.company_id, record.call_id, url, outcome.copy_attempt
        )
        recordings.copy(job)
