"""The `/api/v1/feedback` routes: scorecards, progress, team comparison, regrade and override."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from dojo.auth import CurrentUser, Manager
from dojo.db import TenantDB
from dojo.http import CredentialsFirst
from grading import override, progress, regrade, views
from grading.models import Feedback, OverrideIn, Progress, RegradeJob, Team

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback"], route_class=CredentialsFirst)


@router.get("/sessions/{session_id}", response_model=Feedback)
def get_session_feedback(_: CurrentUser, conn: TenantDB, session_id: uuid.UUID) -> Feedback:
    """A session's scorecard: scores, metrics with reference bands, evidence, recommendations."""
    return views.session_feedback(conn, session_id)


@router.get("/me/progress", response_model=Progress)
def my_progress(
    principal: CurrentUser,
    conn: TenantDB,
    window: Annotated[int, Query(ge=1, le=20)] = progress.MOVING_WINDOW,
) -> Progress:
    """The caller's per-category scores over time, moving average, change since last time, and
    the team's average per category for comparison (an aggregate: nobody's rows are exposed)."""
    return progress.my_progress(conn, principal, window)


@router.get("/team", response_model=Team)
def team(
    principal: Manager,
    conn: TenantDB,
    days: Annotated[int | None, Query(ge=1, le=3650)] = None,
) -> Team:
    """Per salesperson averages per category beside the team average (managers and admins)."""
    since = datetime.now(UTC) - timedelta(days=days) if days else None
    assert principal.company_id is not None  # Manager is a present member
    return progress.team(conn, principal.company_id, since)


@router.post(
    "/sessions/{session_id}/regrade",
    response_model=RegradeJob,
    status_code=status.HTTP_202_ACCEPTED,
)
def regrade_session(principal: Manager, session_id: uuid.UUID, response: Response) -> RegradeJob:
    """Grade a session again with its frozen rubric (the manager's override is kept).

    Always 202 with the job: poll `status_url` (the scorecard) until `regrading` is false. A
    grader fast enough to finish before the answer already reports how it ended.
    """
    job = regrade.start(principal.claims, session_id)
    response.headers["Location"] = job.status_url
    return job


@router.patch("/sessions/{session_id}", response_model=Feedback)
def set_override(
    principal: Manager, conn: TenantDB, session_id: uuid.UUID, body: OverrideIn
) -> Feedback:
    """Override a session's scores with a note (or clear the override); model scores are kept."""
    override.apply(conn, principal, session_id, body)
    return views.session_feedback(conn, session_id)
