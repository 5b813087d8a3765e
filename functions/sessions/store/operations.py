"""The sessions function's SQL for the operations page (RLS: the caller's company, admins)."""

from __future__ import annotations

from typing import Any

from dojo.db import Connection


def daily(conn: Connection, days: int) -> list[dict[str, Any]]:
    """Per UTC day of the last `days`: calls, reports, duration, cost, latency, model use."""
    return conn.execute("select * from private.operations_daily(%s)", (days,)).fetchall()
