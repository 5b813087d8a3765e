"""SQL of a person's notifications and email preferences (the `/api/v1/notifications` surface).

Every function here runs in the caller's tenant transaction: RLS shows each person only their own
notifications and preferences, so an id of someone else's is simply not found. Notifications are
created only by `private.notify()` (triggers and the scheduled pass), never here.
"""

from __future__ import annotations

import uuid
from typing import Any

from dojo.db import Connection

_COLUMNS = "id, kind, subject, link, read_at, created_at"


def list_mine(
    conn: Connection, *, unread_only: bool, limit: int, offset: int
) -> list[dict[str, Any]]:
    """The caller's notifications, newest first."""
    rows: list[dict[str, Any]] = conn.execute(
        f"select {_COLUMNS} from public.notifications"
        " where (not %s or read_at is null)"
        " order by created_at desc, id desc limit %s offset %s",
        (unread_only, limit, offset),
    ).fetchall()
    return rows


def unread_count(conn: Connection) -> int:
    """How many of the caller's notifications are unread."""
    row = conn.execute(
        "select count(*) as n from public.notifications where read_at is null"
    ).fetchone()
    return int(row["n"]) if row else 0


def mark_read(conn: Connection, notification_id: uuid.UUID) -> dict[str, Any] | None:
    """Mark one of the caller's notifications read (first read time kept); None if not theirs."""
    row: dict[str, Any] | None = conn.execute(
        f"update public.notifications set read_at = coalesce(read_at, now())"
        f" where id = %s returning {_COLUMNS}",
        (notification_id,),
    ).fetchone()
    return row


def mark_all_read(conn: Connection) -> int:
    """Mark every unread notification of the caller read; how many changed."""
    cursor = conn.execute("update public.notifications set read_at = now() where read_at is null")
    return cursor.rowcount


def company_locale(conn: Connection) -> str:
    """The caller's company locale (the language of their notifications)."""
    row = conn.execute(
        "select c.locale from public.companies c where c.id = private.company_id()"
    ).fetchone()
    return str(row["locale"]) if row else "pt-BR"


def preferences(conn: Connection) -> dict[str, bool]:
    """The caller's stored email preferences by kind (kinds never changed are absent)."""
    rows = conn.execute("select kind, email from public.notification_preferences").fetchall()
    return {row["kind"]: bool(row["email"]) for row in rows}


def email_default(conn: Connection, kind: str) -> bool:
    """Whether `kind` goes by email for someone who never said (the SQL decides, once)."""
    row = conn.execute("select private.email_by_default(%s) as yes", (kind,)).fetchone()
    return bool(row and row["yes"])


def set_preference(conn: Connection, kind: str, email: bool) -> None:
    """Store the caller's choice for `kind` (their company and id come from the session)."""
    conn.execute(
        "insert into public.notification_preferences (user_id, company_id, kind, email)"
        " values (auth.uid(), private.company_id(), %s, %s)"
        " on conflict (user_id, kind) do update set email = excluded.email, updated_at = now()",
        (kind, email),
    )
