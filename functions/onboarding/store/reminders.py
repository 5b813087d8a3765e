"""SQL of the scheduled due-date reminders (service role)."""

from __future__ import annotations

from dojo.db import Connection


def remind_due_soon(conn: Connection, hours: int) -> int:
    """Remind everyone still working on an assignment due within `hours`, once per due date
    (`private.remind_due_soon`); how many reminders were made now."""
    row = conn.execute("select private.remind_due_soon(%s) as made", (hours,)).fetchone()
    return int(row["made"]) if row else 0
