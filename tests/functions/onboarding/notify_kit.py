"""Helpers shared by the notification tests: sessions with feedback, the local SMTP server."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

SCORES = {
    "rapport": {"score": 80, "justification": "ok", "evidence": []},
    "discovery": {"score": 45, "justification": "ok", "evidence": []},
    "objection_handling": {"score": 60, "justification": "ok", "evidence": []},
    "closing": {"score": 70, "justification": "ok", "evidence": []},
}


def graded_session(
    sql: psycopg.Connection[Any],
    user: Any,
    *,
    overall: float = 64.0,
    persona: str = "Carlos Menezes",
    created_at: str | None = None,
    scores: dict[str, Any] | None = None,
) -> uuid.UUID:
    """An ended session of `user` and its feedback (inserted: the database triggers fire)."""
    persona_id = sql.execute(
        "insert into public.personas (company_id, name, role) values (%s, %s, 'CFO') returning id",
        (user.company_id, persona),
    ).fetchone()["id"]  # type: ignore[index]
    session_id = sql.execute(
        "insert into public.training_sessions (company_id, user_id, persona_id, mode, status,"
        " persona_snapshot, rubric_version, started_at, ended_at)"
        " values (%s, %s, %s, 'text', 'ended', %s, '2026-11-v1', now(), now()) returning id",
        (user.company_id, user.id, persona_id, Jsonb({"name": persona, "role": "CFO"})),
    ).fetchone()["id"]  # type: ignore[index]
    sql.execute(
        "insert into public.feedback (session_id, company_id, user_id, overall, scores, grader,"
        " rubric_version, created_at) values (%s, %s, %s, %s, %s, 'offline-rules', '2026-11-v1',"
        " coalesce(%s::timestamptz, now()))",
        (session_id, user.company_id, user.id, overall, Jsonb(scores or SCORES), created_at),
    )
    return uuid.UUID(str(session_id))


def outbox(sql: psycopg.Connection[Any]) -> list[dict[str, Any]]:
    """Every email row with its notification's kind and recipient, oldest first."""
    return sql.execute(
        "select o.*, n.kind, n.user_id as recipient from public.email_outbox o"
        " join public.notifications n on n.id = o.notification_id order by o.created_at, o.id"
    ).fetchall()
