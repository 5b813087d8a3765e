"""The sessions sweeper (scheduled): finishes sessions nobody finished.

- A text session left open (no message for longer than a session may last) is ended as
  `abandoned`, so it is graded like any other.
- A voice session whose end-of-call report never came (webhook down, delivery lost) is completed
  from Vapi's own record of the call (`GET /call/{id}` has the same artifact as the report). If
  Vapi cannot say within a few hours, the session ends without a transcript (`no-call-report`).
- A voice session whose start never bound a call is marked failed.
- Assignees whose due date passed without a pass are decided again: `overdue` (or `failed`).
Each session is handled in its own transaction: one failure does not stop the others.
"""

from __future__ import annotations

import uuid
from typing import Any

from dojo.db import service_transaction
from dojo.errors import AppError
from dojo.observability import logger
from dojo.settings import get_settings
from dojo.vapi.client import VapiClient
from dojo.vapi.parsing import report_from_call
from dojo.vapi.transcript import CallReportRecord
from sessions.store import assignments as assignments_store
from sessions.store import sessions as store

BATCH = 50


def _end(session_id: uuid.UUID, status: str, reason: str) -> None:
    with service_transaction() as conn:
        store.end_open(conn, session_id, status=status, reason=reason)


def _recover(client: VapiClient | None, row: dict[str, Any]) -> str:
    if client is not None:
        try:
            call = client.get_call(row["vapi_call_id"])
        except AppError as exc:
            logger.warning("sweeper could not read the call", extra={"error": exc.code})
        else:
            if call.get("status") == "ended":
                with service_transaction() as conn:
                    store.apply_call_report(conn, CallReportRecord.of(report_from_call(call)))
                return "recovered"
    if row["age_seconds"] > get_settings().session_report_give_up_seconds:
        _end(row["id"], "ended", "no-call-report")
        return "closed"
    return "pending"


def sweep() -> dict[str, int]:
    """One pass over stale sessions; returns what it did (the scheduled Lambda's result)."""
    settings = get_settings()
    with service_transaction() as conn:
        rows = store.stale(
            conn,
            text_idle_seconds=settings.session_max_seconds + 300,
            voice_max_seconds=settings.vapi_max_duration_seconds,
            voice_grace_seconds=settings.session_report_grace_seconds,
            limit=BATCH,
        )
    done: dict[str, int] = {"abandoned": 0, "failed": 0, "recovered": 0, "closed": 0, "pending": 0}
    client: VapiClient | None = None
    try:
        for row in rows:
            try:
                if row["mode"] == "text":
                    _end(row["id"], "ended", "abandoned")
                    done["abandoned"] += 1
                elif row["vapi_call_id"] is None:
                    _end(row["id"], "failed", "voice-start-interrupted")
                    done["failed"] += 1
                else:
                    if client is None and settings.vapi_private_key.get_secret_value():
                        client = VapiClient(settings)
                    done[_recover(client, row)] += 1
            except Exception:
                logger.exception("sweeper failed on a session", extra={"session": str(row["id"])})
                done["pending"] += 1
    finally:
        if client is not None:
            client.close()
    with service_transaction() as conn:
        overdue = assignments_store.sweep_overdue(conn, BATCH * 10)
    logger.info("sessions sweep", extra={**done, "overdue": overdue})
    return {"swept": len(rows), **done, "overdue": overdue}
