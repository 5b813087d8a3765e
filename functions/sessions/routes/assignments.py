"""The `/api/v1/assignments` routes: managers assign practice; everyone reads their own."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Response

from dojo.auth import CurrentUser, Manager
from dojo.db import TenantDB
from dojo.errors import Forbidden
from dojo.http import CredentialsFirst
from sessions import assignments
from sessions.models import Assignment, AssignmentIn, AssignmentList, AssignmentPatch

router = APIRouter(prefix="/api/v1/assignments", tags=["assignments"], route_class=CredentialsFirst)


@router.post("", status_code=201)
def create_assignment(principal: Manager, conn: TenantDB, body: AssignmentIn) -> Assignment:
    """Assign practice to people (or the whole team): a persona or a difficulty, a mode, a due
    date, a pass mark (and category minimums) and the attempts allowed (null: unlimited)."""
    return assignments.create(conn, principal, body)


@router.get("")
def list_assignments(
    principal: CurrentUser, conn: TenantDB, scope: Literal["mine", "team"] = "mine"
) -> AssignmentList:
    """`mine`: my assignments with my status and attempts; `team` (managers): the company's,
    with every assignee's status and attempts."""
    if scope == "team" and not principal.at_least("manager"):
        raise Forbidden("the team view needs the manager role")
    return assignments.listing(conn, principal, scope)


@router.get("/{assignment_id}")
def get_assignment(principal: CurrentUser, conn: TenantDB, assignment_id: uuid.UUID) -> Assignment:
    """One assignment (mine, or any of the company's for managers)."""
    return assignments.view(conn, principal, assignment_id)


@router.patch("/{assignment_id}")
def change_assignment(
    principal: Manager, conn: TenantDB, assignment_id: uuid.UUID, body: AssignmentPatch
) -> Assignment:
    """Change the terms (due date, pass mark, minimums, attempts) or add people; every
    assignee's state is decided again."""
    return assignments.change(conn, principal, assignment_id, body)


@router.delete("/{assignment_id}", status_code=204)
def delete_assignment(_: Manager, conn: TenantDB, assignment_id: uuid.UUID) -> Response:
    """Delete an assignment; its sessions and scorecards stay."""
    assignments.remove(conn, assignment_id)
    return Response(status_code=204)
