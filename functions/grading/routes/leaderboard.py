"""The `/api/v1/feedback/leaderboard` route: who leads, when the company switched it on."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from dojo.auth import CurrentUser
from dojo.db import TenantDB
from dojo.http import CredentialsFirst
from grading import leaderboard
from grading.models import BoardCategory, Leaderboard, Period

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback"], route_class=CredentialsFirst)


@router.get("/leaderboard", response_model=Leaderboard)
def get_leaderboard(
    principal: CurrentUser,
    conn: TenantDB,
    period: Period = "week",
    category: BoardCategory = "overall",
    min_sessions: Annotated[int, Query(ge=1, le=50)] = leaderboard.MIN_SESSIONS,
) -> Leaderboard:
    """Ranks by the mean of graded sessions in the period (the last 7, 30 or 90 days), overall or
    in one category; ties share a rank; people under `min_sessions` are listed as not enough
    sessions. 403 `leaderboard_disabled` while the company has it off (the default)."""
    return leaderboard.board(conn, principal, period, category, min_sessions)
