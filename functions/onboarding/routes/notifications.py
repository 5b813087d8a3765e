"""The `/api/v1/notifications` routes: the caller's bell, marking read, email preferences."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from dojo.auth import CurrentUser
from dojo.db import TenantDB
from dojo.http import CredentialsFirst
from dojo.pagination import Limit, Offset
from onboarding import notify
from onboarding.models import (
    EmailPreferences,
    EmailPreferencesIn,
    MarkedRead,
    NotificationList,
    NotificationOut,
)

router = APIRouter(
    prefix="/api/v1/notifications", tags=["notifications"], route_class=CredentialsFirst
)


@router.get("")
def list_notifications(
    _: CurrentUser,
    conn: TenantDB,
    unread: Annotated[bool, Query(description="only the unread ones")] = False,
    limit: Limit = 20,
    offset: Offset = 0,
) -> NotificationList:
    """The caller's notifications, newest first, with how many are unread."""
    return notify.list_mine(conn, unread_only=unread, limit=limit, offset=offset)


@router.post("/read-all")
def mark_all_read(_: CurrentUser, conn: TenantDB) -> MarkedRead:
    """Mark every unread notification of the caller read."""
    return notify.mark_all_read(conn)


@router.post("/{notification_id}/read")
def mark_read(_: CurrentUser, conn: TenantDB, notification_id: uuid.UUID) -> NotificationOut:
    """Mark one notification read (404 unless it is the caller's)."""
    return notify.mark_read(conn, notification_id)


@router.get("/preferences")
def get_preferences(principal: CurrentUser, conn: TenantDB) -> EmailPreferences:
    """Which kinds of notification also reach the caller by email."""
    return notify.preferences(conn, principal)


@router.put("/preferences")
def put_preferences(
    principal: CurrentUser, conn: TenantDB, body: EmailPreferencesIn
) -> EmailPreferences:
    """Change which kinds also reach the caller by email (kinds not listed keep theirs)."""
    return notify.set_preferences(conn, principal, body)
