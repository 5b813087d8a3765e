"""SQL of the email outbox and of the scheduled pass (service role only).

The pass leases rows in one short transaction (`private.claim_emails`), sends with no connection
held, and records each outcome in a second one (`private.finish_email`, fenced by the lease
token): see supabase/migrations/20261203000200_notifications.sql.
"""

from __future__ import annotations

import uuid
from typing import Any

from dojo.db import Connection, jsonb


def claim(conn: Connection, limit: int, lease_seconds: int) -> list[dict[str, Any]]:
    """Lease up to `limit` due emails to this pass, with what their message needs."""
    rows: list[dict[str, Any]] = conn.execute(
        "select * from private.claim_emails(%s, %s)", (limit, lease_seconds)
    ).fetchall()
    return rows


def finish(
    conn: Connection,
    outbox_id: uuid.UUID,
    token: uuid.UUID,
    *,
    message_id: str | None,
    error: str | None,
    retry: bool,
    max_attempts: int,
) -> str:
    """Record a leased email's outcome: `sent`, `pending` (retry later), `failed`, or
    `lost_lease` when the lease was given up meanwhile (nothing changes then)."""
    row = conn.execute(
        "select private.finish_email(%s, %s, %s, %s, %s, %s, %s) as outcome",
        (outbox_id, token, message_id is not None, message_id, error, retry, max_attempts),
    ).fetchone()
    return str(row["outcome"]) if row else "lost_lease"


def notify(
    conn: Connection, user_id: uuid.UUID, kind: str, subject: dict[str, Any], link: str, key: str
) -> uuid.UUID | None:
    """Create a notification through `private.notify` (None: it existed already, by its key)."""
    row = conn.execute(
        "select private.notify(%s, %s, %s, %s, %s) as id",
        (user_id, kind, jsonb(subject), link, key),
    ).fetchone()
    return row["id"] if row else None
