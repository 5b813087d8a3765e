"""The `/api/v1/auth` routes: who am I, create a company, members."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response

from dojo.auth import Admin, Manager, Principal, authenticated, signed_in
from dojo.db import TenantDB, service_transaction, tenant_transaction
from dojo.http import CredentialsFirst
from dojo.pagination import MAX_LIMIT, Limit, Offset
from onboarding import members

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], route_class=CredentialsFirst)
Authenticated = Annotated[Principal, Depends(authenticated)]
SignedIn = Annotated[Principal, Depends(signed_in)]


@router.get("/me")
def get_me(principal: SignedIn) -> dict[str, Any]:
    """The caller: user, and their present company and role (403 `access_removed` once removed)."""
    if principal.company_id is None:
        return members.me(None, principal)
    with tenant_transaction(principal.claims) as conn:
        return members.me(conn, principal)


@router.post("/company", status_code=201)
def create_company(principal: Authenticated, body: members.CompanyIn) -> dict[str, Any]:
    """Create a company for a signed-up user without one; they become its admin."""
    with service_transaction() as conn:
        return members.create_company(conn, principal, body)


@router.get("/members")
def list_members(
    _: Manager, conn: TenantDB, limit: Limit = MAX_LIMIT, offset: Offset = 0
) -> list[dict[str, Any]]:
    """Members of the caller's company."""
    return members.list_members(conn, limit=limit, offset=offset)


@router.post("/members/invite", status_code=201)
def invite(principal: Manager, conn: TenantDB, body: members.InviteIn) -> dict[str, Any]:
    """Invite someone by email with a role."""
    return members.invite(conn, principal, body)


@router.patch("/members/{member_id}")
def change_role(
    _: Admin, conn: TenantDB, member_id: uuid.UUID, body: members.RoleChangeIn
) -> dict[str, Any]:
    """Change a member's role (admin only; the last admin stays)."""
    return members.change_role(conn, member_id, body)


@router.delete("/members/{member_id}", status_code=204)
def remove_member(_: Admin, conn: TenantDB, member_id: uuid.UUID) -> Response:
    """Remove a member from the company (admin only; the last admin stays)."""
    members.remove(conn, member_id)
    return Response(status_code=204)
