"""The leaderboard: who leads a period, overall or in one category, among graded sessions.

Off unless the company switched it on (403 `leaderboard_disabled`: the route exists, the company
chose not to show it). Periods are rolling (the last 7, 30 or 90 days). Only graded sessions
count, with a manager's override as the score. People with fewer than `min_sessions` graded
sessions in the period are listed, unranked, as "not enough sessions"; equal scores (to one
decimal, as shown) share a rank and the next rank skips (1, 1, 3).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from dojo.auth import Principal
from dojo.db import Connection
from dojo.errors import Forbidden
from grading.models import BoardCategory, Leaderboard, LeaderboardEntry, Period
from grading.store import leaderboard as store

DAYS: dict[Period, int] = {"week": 7, "month": 30, "quarter": 90}
MIN_SESSIONS = 3


def ranked(
    rows: list[dict[str, Any]], min_sessions: int, me: uuid.UUID | None = None
) -> list[LeaderboardEntry]:
    """Rank people by score (ties share a rank); those below `min_sessions` follow, unranked."""
    eligible = [r for r in rows if r["sessions"] >= min_sessions and r["score"] is not None]
    eligible.sort(key=lambda r: (-float(r["score"]), r["full_name"] or "", str(r["user_id"])))
    scores = [float(r["score"]) for r in eligible]
    entries = []
    for row, score in zip(eligible, scores, strict=True):
        entries.append(
            LeaderboardEntry(
                user_id=row["user_id"],
                name=row["full_name"],
                rank=1 + sum(s > score for s in scores),
                tied=scores.count(score) > 1,
                score=score,
                sessions=row["sessions"],
                status="ranked",
                is_me=row["user_id"] == me,
            )
        )
    rest = [r for r in rows if r not in eligible]
    rest.sort(key=lambda r: (-r["sessions"], r["full_name"] or "", str(r["user_id"])))
    for row in rest:
        entries.append(
            LeaderboardEntry(
                user_id=row["user_id"],
                name=row["full_name"],
                rank=None,
                tied=False,
                score=None if row["score"] is None else float(row["score"]),
                sessions=row["sessions"],
                status="not_enough_sessions",
                is_me=row["user_id"] == me,
            )
        )
    return entries


def board(
    conn: Connection,
    principal: Principal,
    period: Period,
    category: BoardCategory,
    min_sessions: int = MIN_SESSIONS,
) -> Leaderboard:
    """The caller's company's leaderboard, if the company switched it on."""
    if not store.enabled(conn):
        raise Forbidden(
            "the leaderboard is off for this company (a manager can switch it on)",
            code="leaderboard_disabled",
        )
    since = datetime.now(UTC) - timedelta(days=DAYS[period])
    rows = store.standings(conn, since, category)
    return Leaderboard(
        period=period,
        category=category,
        since=since,
        min_sessions=min_sessions,
        entries=ranked(rows, min_sessions, principal.user_id),
    )
