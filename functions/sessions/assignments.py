"""Assignments: a manager directs practice; attempts are sessions started with the assignment.

Who may do what is RLS's (managers write, a salesperson reads their own); this module turns bad
input into clear answers first: a due date in the past, a persona the manager's company does not
have (404, as if missing: another company's persona is never confirmed to exist), assignees
outside the company, attempts exhausted (409 with the reason). The state of each assignee is the
database's (`private.decide_assignee`).
"""

from __future__ import annotations

import uuid
from typing import Any

from dojo.auth import Principal
from dojo.db import Connection
from dojo.errors import AppError, Conflict, NotFound
from sessions.models import Assignment, AssignmentIn, AssignmentList, AssignmentPatch
from sessions.store import assignments as store


class Unprocessable(AppError):
    """422: well-formed, but not something that can be assigned."""

    status_code = 422
    code = "unprocessable"


def _due_in_future(conn: Connection, body: AssignmentIn | AssignmentPatch) -> None:
    if body.due_at is not None and body.due_at <= store.now(conn):
        raise Unprocessable("the due date is in the past", code="due_date_in_past")


def _members(conn: Connection, user_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    wanted = list(dict.fromkeys(user_ids))
    unknown = [u for u in wanted if u not in store.members_among(conn, wanted)]
    if unknown:
        # the same answer for someone of another company and for nobody at all
        raise Unprocessable(
            "some assignees are not members of your company",
            code="unknown_assignees",
            details={"user_ids": [str(u) for u in unknown]},
        )
    return wanted


def create(conn: Connection, principal: Principal, body: AssignmentIn) -> Assignment:
    """Create an assignment for the named people (or every salesperson now in the company)."""
    assert principal.company_id is not None
    _due_in_future(conn, body)
    if body.persona_id is not None:
        status = store.persona_status(conn, body.persona_id)
        if status is None:
            raise NotFound("persona not found", code="persona_not_found")
        if status != "active":
            raise Conflict("this persona is archived", code="persona_archived")
    people = store.salespeople(conn) if body.whole_team else _members(conn, body.assignee_ids)
    if not people:
        raise Unprocessable("the team has no salespeople yet", code="no_assignees")
    fields = body.model_dump(exclude={"assignee_ids", "whole_team"})
    assignment_id = store.insert(
        conn, company_id=principal.company_id, created_by=principal.user_id, fields=fields
    )
    store.add_assignees(conn, assignment_id, principal.company_id, people)
    return view(conn, principal, assignment_id)


def view(conn: Connection, principal: Principal, assignment_id: uuid.UUID) -> Assignment:
    """One assignment: managers see every assignee, a salesperson their own state."""
    row = store.get(conn, assignment_id)
    if row is None:
        raise NotFound("assignment not found")
    people = store.assignees(conn, [assignment_id])
    if principal.at_least("manager"):
        mine = next((p for p in people if p["user_id"] == principal.user_id), None)
        return Assignment.from_row(row, mine=mine, assignees=people)
    return Assignment.from_row(row, mine=people[0] if people else None)


def listing(conn: Connection, principal: Principal, scope: str) -> AssignmentList:
    """`mine`: the caller's assignments with their state; `team`: the company's, with everyone."""
    if scope == "team":
        rows = store.listing(conn, assigned_to=None)
    else:
        rows = store.listing(conn, assigned_to=principal.user_id)
    people = store.assignees(conn, [r["id"] for r in rows])
    by_assignment: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for person in people:
        by_assignment.setdefault(person["assignment_id"], []).append(person)
    items = []
    for row in rows:
        assigned = by_assignment.get(row["id"], [])
        if scope == "team":
            items.append(Assignment.from_row(row, assignees=assigned))
        else:
            mine = next(p for p in assigned if p["user_id"] == principal.user_id)
            items.append(Assignment.from_row(row, mine=mine))
    return AssignmentList(scope="team" if scope == "team" else "mine", items=items)


def change(
    conn: Connection, principal: Principal, assignment_id: uuid.UUID, body: AssignmentPatch
) -> Assignment:
    """Change an assignment's terms or add people; every assignee is decided again."""
    assert principal.company_id is not None
    if store.get(conn, assignment_id) is None:
        raise NotFound("assignment not found")
    _due_in_future(conn, body)
    fields = body.model_dump(exclude={"add_assignee_ids", "unlimited_attempts"})
    if not store.update(conn, assignment_id, fields, body.unlimited_attempts):
        raise NotFound("assignment not found")
    if body.add_assignee_ids:
        people = _members(conn, body.add_assignee_ids)
        store.add_assignees(conn, assignment_id, principal.company_id, people)
    return view(conn, principal, assignment_id)


def remove(conn: Connection, assignment_id: uuid.UUID) -> None:
    """Delete an assignment (its sessions and scorecards stay)."""
    if not store.delete(conn, assignment_id):
        raise NotFound("assignment not found")


def open_attempt(conn: Connection, assignment_id: uuid.UUID) -> dict[str, Any]:
    """The caller's assignment for a new attempt, locked until the session is inserted.

    404 when it is not assigned to the caller; 409 `attempts_exhausted` when every attempt is
    used. Returns the assignment's `persona_id`, `difficulty` and `mode`.
    """
    row = store.for_attempt(conn, assignment_id)
    if row is None:
        raise NotFound("assignment not found")
    limit = row["max_attempts"]
    if limit is not None and row["attempts"] >= limit:
        raise Conflict(
            f"all {limit} attempts of this assignment are used ({row['status']})",
            code="attempts_exhausted",
            details={"max_attempts": limit, "attempts": row["attempts"], "status": row["status"]},
        )
    return row
