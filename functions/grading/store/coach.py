"""The coach's SQL: the material a call is coached with, a call as the coach reads it, and the
personas a drill can use.

Reads for people run in the caller's tenant transaction (RLS: the owner, managers and admins of
the company see a session; anyone else finds nothing). The material for grading is read as the
service role, scoped to the session's company.
"""

from __future__ import annotations

import uuid
from typing import Any

from dojo.db import Connection
from dojo.retrieval import Hit, search


def material_source(
    conn: Connection, session_id: uuid.UUID, company_id: uuid.UUID | None
) -> dict[str, Any] | None:
    """What the material queries are made of: the session's transcript, persona and locale."""
    row: dict[str, Any] | None = conn.execute(
        "select s.company_id, s.transcript, s.persona_snapshot, c.locale"
        "  from public.training_sessions s join public.companies c on c.id = s.company_id"
        " where s.id = %s and (%s::uuid is null or s.company_id = %s::uuid)",
        (session_id, company_id, company_id),
    ).fetchone()
    return row


def knowledge(
    conn: Connection, company_id: uuid.UUID, query: str, k: int, vector: tuple[float, ...]
) -> list[Hit]:
    """The company's best chunks for `query` (hybrid retrieval), with the query embedded before
    the transaction began (no connection waits on the embeddings provider)."""
    return search(conn, company_id, query, k=k, vector=vector)


_ASK = """
select s.id as session_id, s.company_id, s.transcript, s.persona_name, s.rubric_version,
       c.locale, f.status, f.scores, f.override_scores, f.improvements
  from public.training_sessions s
  join public.companies c on c.id = s.company_id
  left join public.feedback f on f.session_id = s.id
 where s.id = %s
"""


def call_row(conn: Connection, session_id: uuid.UUID) -> dict[str, Any] | None:
    """A session with its feedback, if the caller may see it (the scorecard's visibility)."""
    row: dict[str, Any] | None = conn.execute(_ASK, (session_id,)).fetchone()
    return row


def drill_personas(conn: Connection) -> list[dict[str, Any]]:
    """The caller's company's active personas with how much each exercises (counts only)."""
    rows: list[dict[str, Any]] = conn.execute(
        "select id, name, difficulty, objections, hidden_facts, end_conditions, pains"
        " from private.drill_personas()"
    ).fetchall()
    return rows
