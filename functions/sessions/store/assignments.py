"""SQL of assignments and their assignees.

Everything runs in the caller's tenant transaction: RLS lets managers write their company's
assignments and lets a salesperson read only the assignments given to them and their own state.
Assignees' states are written by the database alone (`private.decide_assignee`, from triggers).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from dojo.db import Connection, jsonb

# The persona as a salesperson may see it comes from private.persona_cards() (security definer:
# salespeople cannot read the personas table).
_ASSIGNMENT = """
select a.id, a.company_id, a.title, a.persona_id, a.difficulty, a.mode, a.due_at, a.pass_mark,
       a.category_minimums, a.max_attempts, a.created_by, a.created_at, a.updated_at,
       pc.name as persona_name, pc.role as persona_role, pc.difficulty as persona_difficulty
  from public.assignments a
  left join private.persona_cards() pc on pc.id = a.persona_id
"""
_ASSIGNEE = (
    "aa.assignment_id, aa.user_id, aa.status, aa.attempts, aa.score, aa.session_id,"
    " aa.passed_at, aa.decided_at"
)


def persona_status(conn: Connection, persona_id: uuid.UUID) -> str | None:
    """The status of a persona the caller (a manager) can see; None when there is none."""
    row = conn.execute("select status from public.personas where id = %s", (persona_id,)).fetchone()
    return None if row is None else str(row["status"])


def members_among(conn: Connection, user_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of `user_ids` are members of the caller's company (RLS shows only those)."""
    rows = conn.execute("select id from public.profiles where id = any(%s)", (user_ids,)).fetchall()
    return {r["id"] for r in rows}


def salespeople(conn: Connection) -> list[uuid.UUID]:
    """The salespeople of the caller's company."""
    rows = conn.execute(
        "select id from public.profiles where role = 'salesperson' order by id"
    ).fetchall()
    return [r["id"] for r in rows]


def insert(
    conn: Connection,
    *,
    company_id: uuid.UUID,
    created_by: uuid.UUID,
    fields: dict[str, Any],
) -> uuid.UUID:
    """Create an assignment (RLS: managers of the company); its id."""
    row = conn.execute(
        "insert into public.assignments (company_id, created_by, title, persona_id, difficulty,"
        " mode, due_at, pass_mark, category_minimums, max_attempts)"
        " values (%(company_id)s, %(created_by)s, %(title)s, %(persona_id)s, %(difficulty)s,"
        " %(mode)s, %(due_at)s, %(pass_mark)s, %(category_minimums)s, %(max_attempts)s)"
        " returning id",
        {
            **fields,
            "company_id": company_id,
            "created_by": created_by,
            "category_minimums": jsonb(fields["category_minimums"] or {}),
        },
    ).fetchone()
    assert row is not None
    return uuid.UUID(str(row["id"]))


def add_assignees(
    conn: Connection, assignment_id: uuid.UUID, company_id: uuid.UUID, user_ids: list[uuid.UUID]
) -> None:
    """Assign people (already verified as members); someone already assigned stays as they are."""
    with conn.cursor() as cur:
        cur.executemany(
            "insert into public.assignment_assignees (assignment_id, company_id, user_id)"
            " values (%s, %s, %s) on conflict (assignment_id, user_id) do nothing",
            [(assignment_id, company_id, u) for u in user_ids],
        )


def get(conn: Connection, assignment_id: uuid.UUID) -> dict[str, Any] | None:
    """One assignment the caller can see, or None."""
    row: dict[str, Any] | None = conn.execute(
        f"{_ASSIGNMENT} where a.id = %s", (assignment_id,)
    ).fetchone()
    return row


def listing(conn: Connection, *, assigned_to: uuid.UUID | None) -> list[dict[str, Any]]:
    """Assignments the caller can see, soonest due first; `assigned_to` keeps one person's."""
    return conn.execute(
        f"{_ASSIGNMENT} where %(who)s::uuid is null or exists (select 1"
        " from public.assignment_assignees aa"
        " where aa.assignment_id = a.id and aa.user_id = %(who)s::uuid)"
        " order by a.due_at, a.created_at, a.id",
        {"who": assigned_to},
    ).fetchall()


def assignees(conn: Connection, assignment_ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    """The assignees of these assignments the caller can see, with name and email, by name."""
    return conn.execute(
        f"select {_ASSIGNEE}, p.full_name, p.email from public.assignment_assignees aa"
        " join public.profiles p on p.id = aa.user_id"
        " where aa.assignment_id = any(%s) order by coalesce(p.full_name, p.email), aa.user_id",
        (assignment_ids,),
    ).fetchall()


def update(
    conn: Connection, assignment_id: uuid.UUID, fields: dict[str, Any], unlimited: bool
) -> bool:
    """Change the given terms (None keeps a term; `unlimited` clears max_attempts); False when
    the caller cannot change this assignment. A trigger re-decides every assignee."""
    minimums = fields.get("category_minimums")
    row = conn.execute(
        "update public.assignments set title = coalesce(%(title)s, title),"
        " due_at = coalesce(%(due_at)s, due_at), pass_mark = coalesce(%(pass_mark)s, pass_mark),"
        " category_minimums = coalesce(%(category_minimums)s, category_minimums),"
        " max_attempts = case when %(unlimited)s then null"
        "   else coalesce(%(max_attempts)s, max_attempts) end"
        " where id = %(id)s returning id",
        {
            "title": fields.get("title"),
            "due_at": fields.get("due_at"),
            "pass_mark": fields.get("pass_mark"),
            "category_minimums": None if minimums is None else jsonb(minimums),
            "max_attempts": fields.get("max_attempts"),
            "unlimited": unlimited,
            "id": assignment_id,
        },
    ).fetchone()
    return row is not None


def delete(conn: Connection, assignment_id: uuid.UUID) -> bool:
    """Delete an assignment (RLS: managers); its sessions stay, unlinked. False when none."""
    row = conn.execute(
        "delete from public.assignments where id = %s returning id", (assignment_id,)
    ).fetchone()
    return row is not None


def for_attempt(conn: Connection, assignment_id: uuid.UUID) -> dict[str, Any] | None:
    """The caller's own assignee row and the assignment's terms, locked for a new attempt."""
    row: dict[str, Any] | None = conn.execute(
        "select * from private.assignment_for_attempt(%s)", (assignment_id,)
    ).fetchone()
    return row


def sweep_overdue(conn: Connection, limit: int) -> int:
    """Re-decide assignees whose due date passed (service role); how many changed state."""
    row = conn.execute("select private.sweep_overdue_assignees(%s) as changed", (limit,)).fetchone()
    return int(row["changed"]) if row else 0


def now(conn: Connection) -> datetime:
    """The database's clock (due dates are compared with it)."""
    row = conn.execute("select now() as now").fetchone()
    assert row is not None
    return row["now"]  # type: ignore[no-any-return]
