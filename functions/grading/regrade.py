"""Regrade as a job: request it, run it (in the hook, or before the answer), sweep lost requests.

One contract whatever the grader: the API answers 202 with a `RegradeJob` and the web app polls
the scorecard until `regrading` is false. A grader that is not `inline` (the model: N calls can
pass the API's 30 s limit) gets a recorded request (`private.request_regrade`: the
`regrade_requested_at` marker plus a hook dispatch) that the grading hook runs here; an `inline`
grader (offline rules) grades before the answer, whose body then already says how it ended.

The marker makes a duplicated delivery a no-op: only a delivery that still finds it grades, and it
clears exactly the marker it saw (a newer request made meanwhile stays pending). Concurrent
deliveries meet at the session's grading lease in `grade_session` ("in_progress" for the
second, which leaves the marker alone).

A failed regrade clears the marker too: the error is recorded in `grading_error` by
`grade_session`, the previous feedback is untouched, and the scorecard says the regrade failed;
a manager may ask again. Only a request whose hook was lost (marker older than
`grading_pending_seconds`) is dispatched again by the sweeper, at most `grading_max_attempts` times.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from dojo.db import service_transaction, tenant_transaction
from dojo.errors import Conflict, NotFound
from dojo.observability import logger
from dojo.settings import get_settings
from grading.grade import grade_session
from grading.grader import GRADER
from grading.messages import caller_locale, text
from grading.models import GradingOutcome, RegradeJob
from grading.store import feedback as store

STATUS_URL = "/api/v1/feedback/sessions/{}"

Finished = Literal["graded", "insufficient", "failed"]


def start(claims: Mapping[str, Any], session_id: uuid.UUID) -> RegradeJob:
    """A manager's regrade of an ended session they can see, as a job (see the module doc)."""
    inline = GRADER.get().inline
    with tenant_transaction(claims) as conn:
        session = store.session_state(conn, session_id)
        locale = caller_locale(conn)
        if session is None:
            raise NotFound(text("session_not_found", locale))
        if session["status"] != "ended":
            raise Conflict(text("session_not_ended", locale))
        if not inline:
            store.request_regrade(conn, session_id, session["company_id"])
    url = STATUS_URL.format(session_id)
    if not inline:
        return RegradeJob(session_id=session_id, status="regrading", status_url=url)
    return RegradeJob(
        session_id=session_id,
        status=_now(session_id, session["company_id"], locale),
        status_url=url,
    )


def _now(session_id: uuid.UUID, company_id: uuid.UUID, locale: str) -> Finished:
    """Grade again before answering (an inline grader): how it ended, as the hook would say."""
    try:
        outcome = grade_session(session_id, company_id, regrade=True)
    except Exception as exc:  # recorded by grade_session; the previous feedback is intact
        logger.warning("regrade failed", extra={"session_id": str(session_id), "error": str(exc)})
        return "failed"
    if outcome.status == "in_progress":
        raise Conflict(text("grading_in_progress", locale))
    if outcome.status == "not_ended":
        raise Conflict(text("session_not_ended", locale))
    if outcome.status == "not_found":
        raise NotFound(text("session_not_found", locale))
    return "insufficient" if outcome.status == "insufficient" else "graded"


def _marker_of(session_id: uuid.UUID, company_id: uuid.UUID) -> datetime | None:
    with service_transaction() as conn:
        return store.regrade_marker(conn, session_id, company_id)


def _clear(session_id: uuid.UUID, marker: datetime) -> None:
    with service_transaction() as conn:
        store.clear_regrade_marker(conn, session_id, marker)


def run(session_id: uuid.UUID, company_id: uuid.UUID) -> GradingOutcome:
    """Run a pending regrade request once; a delivery without a pending request does nothing."""
    marker = _marker_of(session_id, company_id)
    if marker is None:
        return GradingOutcome(session_id=session_id, status="no_request")
    try:
        outcome = grade_session(session_id, company_id, regrade=True)
    except Exception as exc:  # recorded by grade_session; the previous feedback is intact
        _clear(session_id, marker)
        logger.warning("regrade failed", extra={"session_id": str(session_id), "error": str(exc)})
        return GradingOutcome(session_id=session_id, status="failed")
    if outcome.status != "in_progress":
        _clear(session_id, marker)
    return GradingOutcome(session_id=session_id, status=outcome.status, overall=outcome.overall)


def sweep(limit: int) -> dict[str, int]:
    """Dispatch again the regrade requests whose hook was lost; run them here when no hook is
    configured; give up on the ones out of attempts. Returns counts by outcome."""
    settings = get_settings()
    with service_transaction() as conn:
        rows = store.sweep_regrades(
            conn, settings.grading_pending_seconds, settings.grading_max_attempts, limit
        )
    counts: dict[str, int] = {}
    for row in rows:
        outcome = row["outcome"]
        if outcome == "redispatched" and not row["dispatched"]:
            outcome = f"regrade_{run(row['id'], row['company_id']).status}"
        else:
            outcome = f"regrade_{outcome}"
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
