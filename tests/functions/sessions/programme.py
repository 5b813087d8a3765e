"""Helpers for the programme tests: a team, assignments through the API, graded attempts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from fastapi.testclient import TestClient
from psycopg.types.json import Jsonb

from dojo_local import dispatcher

ASSIGNMENTS = "/api/v1/assignments"
CERTIFICATIONS = "/api/v1/certifications"
START = "/api/v1/sessions/start"

# A prepared rep with the offline persona of tests/functions/sessions/data.py: discovery, the
# price objection answered with an example, the migration concern handled, a concrete next step.
GOOD_CALL = [
    "Bom dia, Carla! Tudo bem?",
    "Como funciona hoje o contrato com o fornecedor atual de vocês?",
    "Quem decide sobre o orçamento dessa compra?",
    "Nossa plataforma automatiza a emissão de notas e o plano custa 2 mil reais por mês.",
    "Entendo a preocupação com o preço. Por exemplo, clientes do varejo do seu porte reduzem"
    " 30% do custo com notas no primeiro ano, e o contrato não tem multa.",
    "Faz sentido. A migração é feita pela nossa equipe em um fim de semana, com suporte"
    " dedicado e garantia de que a loja não para.",
    "Então podemos agendar uma demonstração na terça com o CEO?",
]
# A rep who pitches, brushes the objection off and hangs up.
BAD_CALL = [
    "Oi. Nosso produto é o melhor do mercado, compra logo.",
    "Pode confiar, é o melhor.",
]


def due(days: float = 7) -> str:
    """An ISO due date `days` from now."""
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def assign(api: TestClient, manager: Any, status: int = 201, **fields: Any) -> dict[str, Any]:
    """POST an assignment (defaults: text, due in a week, pass mark 70) and check the status."""
    body: dict[str, Any] = {"mode": "text", "due_at": due(), "pass_mark": 70, **fields}
    response = api.post(ASSIGNMENTS, headers=manager.headers, json=body)
    assert response.status_code == status, response.text
    return dict(response.json())


def attempt(
    api: TestClient, db_url: str, user: Any, assignment_id: str, lines: list[str]
) -> dict[str, Any]:
    """Start an attempt, say the lines, end it, and let the grading hook grade it."""
    response = api.post(START, headers=user.headers, json={"assignment_id": assignment_id})
    assert response.status_code == 201, response.text
    sid = response.json()["session_id"]
    for line in lines:
        turn = api.post(
            f"/api/v1/sessions/{sid}/messages", headers=user.headers, json={"text": line}
        )
        assert turn.status_code == 200, turn.text
        if turn.json()["ended"]:
            break
    assert api.post(f"/api/v1/sessions/{sid}/end", headers=user.headers).status_code == 200
    dispatcher.drain(db_url)
    card = api.get(f"/api/v1/feedback/sessions/{sid}", headers=user.headers).json()
    return {"session_id": sid, "scorecard": card}


def mine(api: TestClient, user: Any, assignment_id: str) -> dict[str, Any]:
    """The caller's view of one assignment."""
    response = api.get(f"{ASSIGNMENTS}/{assignment_id}", headers=user.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def graded_session(
    sql: psycopg.Connection[Any],
    user: Any,
    assignment_id: uuid.UUID | str,
    overall: float | None,
    scores: dict[str, int] | None = None,
    *,
    status: str = "graded",
) -> uuid.UUID:
    """An attempt written straight to the tables: an ended session and its feedback."""
    persona = sql.execute(
        "select persona_id from public.assignments where id = %s", (assignment_id,)
    ).fetchone()
    row = sql.execute(
        "insert into public.training_sessions (company_id, user_id, persona_id, mode, status,"
        " rubric_version, assignment_id, started_at, ended_at)"
        " values (%s, %s, %s, 'text', 'ended', '2026-11-v1', %s, now(), now()) returning id",
        (user.company_id, user.id, persona["persona_id"] if persona else None, assignment_id),
    ).fetchone()
    assert row is not None
    each = scores or dict.fromkeys(("rapport", "discovery", "objection_handling", "closing"), 70)
    sql.execute(
        "insert into public.feedback (session_id, company_id, user_id, status, overall, scores,"
        " grader, rubric_version) values (%s, %s, %s, %s, %s, %s, 'test', '2026-11-v1')",
        (
            row["id"],
            user.company_id,
            user.id,
            status,
            overall,
            Jsonb({k: {"score": v} for k, v in each.items()}),
        ),
    )
    return uuid.UUID(str(row["id"]))


def assignee_row(sql: psycopg.Connection[Any], assignment_id: str, user: Any) -> dict[str, Any]:
    """The stored state of one assignee."""
    row = sql.execute(
        "select * from public.assignment_assignees where assignment_id = %s and user_id = %s",
        (assignment_id, user.id),
    ).fetchone()
    assert row is not None
    return dict(row)
