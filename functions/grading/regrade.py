"""Asynchronous regrade with the model grader: request, run from the hook, sweep lost requests.

The API records a request (`private.request_regrade`: the `regrade_requested_at` marker plus a
hook dispatch) and answers 202; the grading hook runs it here. The marker makes a duplicated
delivery a no-op: only a delivery that still finds it grades, and it clears exactly the marker it
saw (a newer request made meanwhile stays pending). Concurrent deliveries serialise on the session
row lock in `grade_session` ("in_progress" for the second, which leaves the marker alone).

A failed regrade clears the marker too: the error is recorded in `grading_error` by
`grade_session`, the previous feedback is untouched, and the scorecard says the regrade failed;
a manager may ask again. Only a request whose hook was lost (marker older than
`grading_pending_seconds`) is dispatched again by the sweeper, at most `grading_max_attempts` times.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from dojo.db import Connection, service_transaction
from dojo.observability import logger
from dojo.settings import get_settings
from grading.grade import grade_session

STATUS_URL = "/api/v1/feedback/sessions/{}"


class RegradeAccepted(BaseModel):
    """The 202 answer: the regrade is queued; poll `status_url` until `regrading` is false."""

    session_id: uuid.UUID
    status: Literal["regrading"] = "regrading"
    status_url: str


def request_regrade(conn: Connection, session_id: uuid.UUID, company_id: uuid.UUID) -> None:
    """Record a regrade request (the caller already read the session under RLS)."""
    # the manager was verified by the RLS-checked read: the write runs as service role
    conn.execute("select set_config('role', 'service_role', true)")
    conn.execute("select private.request_regrade(%s, %s)", (session_id, company_id))


def _marker(session_id: uuid.UUID, company_id: uuid.UUID) -> datetime | None:
    with service_transaction() as conn:
        row = conn.execute(
            "select regrade_requested_at from public.training_sessions"
            " where id = %s and company_id = %s",
            (session_id, company_id),
        ).fetchone()
    return None if row is None else row["regrade_requested_at"]


def _clear(session_id: uuid.UUID, marker: datetime) -> None:
    with service_transaction() as conn:
        conn.execute(
            "update public.training_sessions set regrade_requested_at = null"
            " where id = %s and regrade_requested_at = %s",
            (session_id, marker),
        )


def run(session_id: uuid.UUID, company_id: uuid.UUID) -> dict[str, Any]:
    """Run a pending regrade request once; a delivery without a pending request does nothing."""
    marker = _marker(session_id, company_id)
    if marker is None:
        return {"session_id": session_id, "status": "no_request", "overall": None}
    try:
        outcome = grade_session(session_id, company_id, regrade=True)
    except Exception as exc:  # recorded by grade_session; the previous feedback is intact
        _clear(session_id, marker)
        logger.warning("regrade failed", extra={"session_id": str(session_id), "error": str(exc)})
        return {"session_id": session_id, "status": "failed", "overall": None}
    if outcome.status != "in_progress":
        _clear(session_id, marker)
    return {"session_id": session_id, "status": outcome.status, "overall": outcome.overall}


def sweep(limit: int) -> dict[str, int]:
    """Dispatch again the regrade requests whose hook was lost; run them here when no hook is
    configured; give up on the ones out of attempts. Returns counts by outcome."""
    settings = get_settings()
    with service_transaction() as conn:
        rows = conn.execute(
            "select * from private.sweep_regrades(%s, %s, %s)",
            (settings.grading_pending_seconds, settings.grading_max_attempts, limit),
        ).fetchall()
    counts: dict[str, int] = {}
    for row in rows:
        outcome = row["outcome"]
        if outcome == "redispatched" and not row["dispatched"]:
            outcome = f"regrade_{run(row['id'], row['company_id'])['status']}"
        else:
            outcome = f"regrade_{outcome}"
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
