"""The `/api/v1/feedback` routes: scorecards, progress, team comparison, regrade and override."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from dojo.auth import CurrentUser, Manager
from dojo.db import TenantDB, service_transaction, tenant_transaction
from dojo.errors import Conflict, NotFound
from dojo.http import CredentialsFirst
from dojo.settings import get_settings
from grading import override, reports
from grading.grade import grade_session
from grading.messages import caller_locale, text
from grading.regrade import STATUS_URL, RegradeAccepted, request_regrade

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback"], route_class=CredentialsFirst)


@router.get("/sessions/{session_id}")
def get_session_feedback(_: CurrentUser, conn: TenantDB, session_id: uuid.UUID) -> dict[str, Any]:
    """A session's scorecard: scores, metrics with reference bands, evidence, recommendations."""
    return reports.session_feedback(conn, session_id)


@router.get("/me/progress")
def my_progress(
    principal: CurrentUser,
    conn: TenantDB,
    window: Annotated[int, Query(ge=1, le=20)] = reports.MOVING_WINDOW,
) -> dict[str, Any]:
    """The caller's per-category scores over time, moving average, change since last time, and
    the team's average per category for comparison (an aggregate: nobody's rows are exposed)."""
    mine = reports.progress(conn, principal.user_id, window)
    assert principal.company_id is not None  # CurrentUser is a present member
    # RLS shows a salesperson only their own feedback; the team average is computed over the
    # company's rows (every read names the caller's present company) and only averages leave.
    with service_transaction() as team_conn:
        mine["team_average"] = reports.team(team_conn, principal.company_id)["team_average"]
    return mine


@router.get("/team")
def team(
    principal: Manager,
    conn: TenantDB,
    days: Annotated[int | None, Query(ge=1, le=3650)] = None,
) -> dict[str, Any]:
    """Per salesperson averages per category beside the team average (managers and admins)."""
    since = datetime.now(UTC) - timedelta(days=days) if days else None
    assert principal.company_id is not None
    return reports.team(conn, principal.company_id, since)


_ACCEPTED: dict[int | str, dict[str, Any]] = {
    202: {"model": RegradeAccepted, "description": "regrade queued (model grader): poll status_url"}
}


@router.post("/sessions/{session_id}/regrade", response_model=dict[str, Any], responses=_ACCEPTED)
def regrade(principal: Manager, session_id: uuid.UUID) -> dict[str, Any] | JSONResponse:
    """Grade a session again with its frozen rubric (the manager's override is kept).

    200 with the scorecard (offline grader), or 202 with the scorecard to poll (model grader:
    it can take longer than the API's 30 s limit, so the grading hook runs it).
    """
    asynchronous = get_settings().llm_provider == "openai"
    with tenant_transaction(principal.claims) as conn:
        session = conn.execute(
            "select status, company_id from public.training_sessions where id = %s",
            (session_id,),
        ).fetchone()
        locale = caller_locale(conn)
        if session is not None and asynchronous:
            if session["status"] != "ended":
                raise Conflict(text("session_not_ended", locale))
            request_regrade(conn, session_id, session["company_id"])
    if session is None:
        raise NotFound(text("session_not_found", locale))
    if asynchronous:
        accepted = RegradeAccepted(session_id=session_id, status_url=STATUS_URL.format(session_id))
        return JSONResponse(
            accepted.model_dump(mode="json"),
            status_code=202,
            headers={"Location": accepted.status_url},
        )
    outcome = grade_session(session_id, session["company_id"], regrade=True)
    if outcome.status == "not_ended":
        raise Conflict(text("session_not_ended", locale))
    if outcome.status == "in_progress":
        raise Conflict(text("grading_in_progress", locale))
    with tenant_transaction(principal.claims) as conn:
        return reports.session_feedback(conn, session_id)


@router.patch("/sessions/{session_id}")
def set_override(
    principal: Manager, conn: TenantDB, session_id: uuid.UUID, body: override.OverrideIn
) -> dict[str, Any]:
    """Override a session's scores with a note (or clear the override); model scores are kept."""
    override.apply(conn, principal, session_id, body)
    return reports.session_feedback(conn, session_id)
