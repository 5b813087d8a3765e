"""The `/api/v1/sessions` routes: start, list, get, text messages, end."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter

from dojo.auth import CurrentUser
from dojo.db import TenantDB
from dojo.errors import Forbidden
from dojo.http import CredentialsFirst
from dojo.pagination import Limit, Offset
from sessions import ending, start, turns
from sessions.models import (
    MessageIn,
    SessionDetail,
    SessionEnded,
    SessionList,
    SessionListItem,
    Started,
    StartIn,
    TurnResult,
)
from sessions.store import sessions as store

router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"], route_class=CredentialsFirst)


@router.post("/start", status_code=201)
def start_session(principal: CurrentUser, body: StartIn) -> Started:
    """Start practising with a persona (chosen or random), or an attempt at an assignment
    (`assignment_id`; 409 `attempts_exhausted` when none is left): text, or a voice web call."""
    if start.mode_of(principal, body) == "voice":
        return start.start_voice(principal, body)
    return start.start_text(principal, body)


@router.get("")
def list_sessions(
    principal: CurrentUser,
    conn: TenantDB,
    scope: Literal["mine", "team"] = "mine",
    user_id: uuid.UUID | None = None,
    status: Literal["created", "active", "ended", "failed"] | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> SessionList:
    """My sessions; `scope=team` (managers) lists the company's, optionally one salesperson's."""
    if scope == "team" and not principal.at_least("manager"):
        raise Forbidden("the team view needs the manager role")
    who = principal.user_id if scope == "mine" else user_id
    rows = store.listing(conn, user_id=who, status=status, limit=limit, offset=offset)
    items = [SessionListItem.from_row(r) for r in rows]
    return SessionList(scope=scope, items=items, limit=limit, offset=offset)


@router.get("/{session_id}")
def get_session(_: CurrentUser, conn: TenantDB, session_id: uuid.UUID) -> SessionDetail:
    """One session with its transcript (the owner, or a manager of the company)."""
    return SessionDetail.from_row(store.visible(conn, session_id))


@router.post("/{session_id}/messages")
def post_message(principal: CurrentUser, session_id: uuid.UUID, body: MessageIn) -> TurnResult:
    """Send a text message; the persona answers (and may end the call)."""
    return turns.post(principal, session_id, body)


@router.post("/{session_id}/end")
def end_session(principal: CurrentUser, session_id: uuid.UUID) -> SessionEnded:
    """End the session (harmless when already ended)."""
    return ending.end(principal, session_id)
