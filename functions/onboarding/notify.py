"""A person's notifications in the app (the bell) and their email preferences.

Notifications are made in SQL where their events happen (`private.notify`); this module only
reads them for their owner, in the company's language, and records what the owner does with them.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from dojo.auth import Principal
from dojo.db import Connection
from dojo.errors import BadRequest, NotFound
from onboarding import notices
from onboarding.models import (
    EmailPreference,
    EmailPreferences,
    EmailPreferencesIn,
    MarkedRead,
    NotificationKind,
    NotificationList,
    NotificationOut,
)
from onboarding.store import notifications as store

# Kinds only managers and admins receive (nobody else sees them among their preferences).
MANAGER_KINDS = frozenset({"weekly_digest"})


def _out(row: dict[str, Any], locale: str) -> NotificationOut:
    notice = notices.render(row["kind"], row["subject"] or {}, locale)
    return NotificationOut(
        id=row["id"],
        kind=row["kind"],
        title=notice.title,
        body=notice.body,
        link=row["link"],
        created_at=row["created_at"],
        read_at=row["read_at"],
    )


def list_mine(conn: Connection, *, unread_only: bool, limit: int, offset: int) -> NotificationList:
    """The caller's notifications, newest first, with the unread count."""
    locale = store.company_locale(conn)
    rows = store.list_mine(conn, unread_only=unread_only, limit=limit, offset=offset)
    return NotificationList(items=[_out(r, locale) for r in rows], unread=store.unread_count(conn))


def mark_read(conn: Connection, notification_id: uuid.UUID) -> NotificationOut:
    """Mark one of the caller's notifications read (404 when it is not theirs)."""
    row = store.mark_read(conn, notification_id)
    if row is None:
        raise NotFound("notification not found")
    return _out(row, store.company_locale(conn))


def mark_all_read(conn: Connection) -> MarkedRead:
    """Mark every unread notification of the caller read."""
    marked = store.mark_all_read(conn)
    return MarkedRead(marked=marked, unread=store.unread_count(conn))


def _kinds_for(principal: Principal) -> list[str]:
    manager = principal.role in ("manager", "admin")
    return [k for k in notices.KINDS if manager or k not in MANAGER_KINDS]


def preferences(conn: Connection, principal: Principal) -> EmailPreferences:
    """The caller's email choice for each kind they can receive (their default where unset)."""
    chosen = store.preferences(conn)
    items = []
    for kind in _kinds_for(principal):
        default = store.email_default(conn, kind)
        items.append(
            EmailPreference(
                kind=cast(NotificationKind, kind),
                email=chosen.get(kind, default),
                default=default,
            )
        )
    return EmailPreferences(items=items)


def set_preferences(
    conn: Connection, principal: Principal, body: EmailPreferencesIn
) -> EmailPreferences:
    """Store the caller's choices (a kind they cannot receive is refused: 400)."""
    allowed = set(_kinds_for(principal))
    for item in body.items:
        if item.kind not in allowed:
            raise BadRequest(f"'{item.kind}' notifications are for managers only")
        store.set_preference(conn, item.kind, item.email)
    return preferences(conn, principal)
