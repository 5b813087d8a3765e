"""The sessions function's SQL about call recordings: owed copies and retention (service role)."""

from __future__ import annotations

import uuid
from typing import Any

from dojo.db import Connection


def claim_copies(
    conn: Connection, *, stale_seconds: int, max_attempts: int, limit: int
) -> list[dict[str, Any]]:
    """Claim owed copies whose last attempt failed or died (`private.claim_recording_copies`)."""
    return conn.execute(
        "select * from private.claim_recording_copies(%s, %s, %s)",
        (stale_seconds, max_attempts, limit),
    ).fetchall()


def copy_backlog(conn: Connection, max_attempts: int) -> dict[str, int]:
    """Copies owed: still to try (`owed`) and given up (`given_up`)."""
    row = conn.execute(
        "select owed, given_up from private.recording_copy_backlog(%s)", (max_attempts,)
    ).fetchone()
    return {"owed": int(row["owed"]), "given_up": int(row["given_up"])} if row else {}


def expired(conn: Connection, *, default_days: int, limit: int) -> list[dict[str, Any]]:
    """Kept recordings past their company's retention, oldest first."""
    return conn.execute(
        "select * from private.expired_recordings(%s, %s)", (default_days, limit)
    ).fetchall()


def forget(conn: Connection, session_id: uuid.UUID, path: str) -> None:
    """The session's recording at `path` was deleted: it keeps its transcript only."""
    conn.execute("select private.forget_recording(%s, %s)", (session_id, path))
