"""SQL of the leaderboard: the company's switch and the aggregate per person."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dojo.db import Connection


def enabled(conn: Connection) -> bool:
    """Whether the caller's company switched the leaderboard on (off unless set)."""
    row = conn.execute(
        "select coalesce((settings ->> 'leaderboard_enabled')::boolean, false) as on"
        " from public.companies limit 1"
    ).fetchone()
    return bool(row and row["on"])


def standings(conn: Connection, since: datetime, category: str) -> list[dict[str, Any]]:
    """Graded sessions and mean score per person of the caller's company since `since`
    (`private.leaderboard`: an aggregate, so salespeople see no one's rows)."""
    return conn.execute(
        "select user_id, full_name, sessions, score from private.leaderboard(%s, %s)",
        (since, category),
    ).fetchall()
