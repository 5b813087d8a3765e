"""The `/api/v1/sessions` routes: start, list, get, text messages, end."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from fastapi import APIRouter

from dojo.auth import CurrentUser
from dojo.db import TenantDB, tenant_transaction
from dojo.errors import Forbidden
from dojo.pagination import Limit, Offset
from sessions import ending, schemas, start, store, turns

router = APIRouter(prefix="/api/v1/sessions", tags=["sessions"])


@router.post("/start", status_code=201, response_model=schemas.Started)
def start_session(principal: CurrentUser, body: start.StartIn) -> dict[str, Any]:
    """Start practising with a persona (chosen or random): text, or a voice web call."""
    if body.mode == "voice":
        return start.start_voice(principal, body)
    with tenant_transaction(principal.claims) as conn:
        return start.start_text(conn, principal, body)


@router.get("", response_model=schemas.SessionList)
def list_sessions(
    principal: CurrentUser,
    conn: TenantDB,
    scope: Literal["mine", "team"] = "mine",
    user_id: uuid.UUID | None = None,
    status: Literal["created", "active", "ended", "failed"] | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """My sessions; `scope=team` (managers) lists the company's, optionally one salesperson's."""
    if scope == "team" and not principal.at_least("manager"):
        raise Forbidden("the team view needs the manager role")
    who = principal.user_id if scope == "mine" else user_id
    rows = store.listing(conn, user_id=who, status=status, limit=limit, offset=offset)
    return {
        "scope": scope,
        "items": [store.public_view(r, with_transcript=False) for r in rows],
        "limit": limit,
        "offset": offset,
    }


@router.get("/{session_id}", response_model=schemas.SessionDetail)
def get_session(_: CurrentUser, conn: TenantDB, session_id: uuid.UUID) -> dict[str, Any]:
    """One session with its transcript (the owner, or a manager of the company)."""
    return store.public_view(store.visible(conn, session_id), with_transcript=True)


@router.post("/{session_id}/messages", response_model=schemas.TurnResult)
def post_message(
    principal: CurrentUser, conn: TenantDB, session_id: uuid.UUID, body: turns.MessageIn
) -> dict[str, Any]:
    """Send a text message; the persona answers (and may end the call)."""
    return turns.post(conn, principal, session_id, body)


@router.post("/{session_id}/end", response_model=schemas.SessionEnded)
def end_session(principal: CurrentUser, session_id: uuid.UUID) -> dict[str, Any]:
    """End the session (harmless when already ended)."""
    return ending.end(principal, session_id)
