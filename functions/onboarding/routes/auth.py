"""The `/api/v1/auth` routes: who am I, create a company, members and invitations."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from dojo.auth import Admin, CurrentUser, Manager, Principal, authenticated, signed_in
from dojo.db import TenantDB, service_transaction, tenant_transaction
from dojo.http import CredentialsFirst
from dojo.pagination import MAX_LIMIT, Limit, Offset
from onboarding import invitations, members
from onboarding.models import (
    AcceptedOut,
    AcceptIn,
    CompanyCreatedOut,
    CompanyIn,
    CompanySettings,
    CompanySettingsIn,
    InvitationOut,
    InviteIn,
    MemberOut,
    MeOut,
    RoleChangeIn,
)

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], route_class=CredentialsFirst)
Authenticated = Annotated[Principal, Depends(authenticated)]
SignedIn = Annotated[Principal, Depends(signed_in)]


@router.get("/me")
def get_me(principal: SignedIn) -> MeOut:
    """The caller: user, and their present company and role (403 `access_removed` once removed)."""
    if principal.company_id is None:
        return members.me(None, principal)
    with tenant_transaction(principal.claims) as conn:
        return members.me(conn, principal)


@router.post("/company", status_code=201)
def create_company(principal: Authenticated, body: CompanyIn) -> CompanyCreatedOut:
    """Create a company for a signed-up user without one; they become its admin."""
    with service_transaction() as conn:
        return members.create_company(conn, principal, body)


@router.get("/company/settings")
def get_company_settings(_: CurrentUser, conn: TenantDB) -> CompanySettings:
    """The company's switches (e.g. whether the leaderboard is on)."""
    return members.company_settings(conn)


@router.patch("/company/settings")
def change_company_settings(
    principal: Manager, conn: TenantDB, body: CompanySettingsIn
) -> CompanySettings:
    """Change the company's switches (managers and admins)."""
    return members.change_company_settings(conn, principal, body)


@router.get("/members")
def list_members(
    _: Manager, conn: TenantDB, limit: Limit = MAX_LIMIT, offset: Offset = 0
) -> list[MemberOut]:
    """Members of the caller's company."""
    return members.list_members(conn, limit=limit, offset=offset)


@router.post("/members/invite", status_code=201)
def invite(principal: Manager, body: InviteIn) -> InvitationOut:
    """Invite someone by email with a role: a pending invitation they accept (or not).

    The answer has the same status and shape whether the email is unknown, known or in another
    company; only members of the caller's own company are refused (409), as the list shows them.
    """
    return invitations.invite(principal, body)


@router.patch("/members/{member_id}")
def change_role(_: Admin, conn: TenantDB, member_id: uuid.UUID, body: RoleChangeIn) -> MemberOut:
    """Change a member's role (admin only; the last admin stays)."""
    return members.change_role(conn, member_id, body)


@router.delete("/members/{member_id}", status_code=204)
def remove_member(_: Admin, conn: TenantDB, member_id: uuid.UUID) -> Response:
    """Remove a member from the company (admin only; the last admin stays)."""
    members.remove(conn, member_id)
    return Response(status_code=204)


@router.get("/invitations")
def list_invitations(principal: Manager) -> list[InvitationOut]:
    """The company's pending invitations (managers and admins)."""
    return invitations.pending(principal)


@router.delete("/invitations/{invitation_id}", status_code=204)
def revoke_invitation(principal: Manager, invitation_id: uuid.UUID) -> Response:
    """Revoke a pending invitation: its link stops working."""
    invitations.revoke(principal, invitation_id)
    return Response(status_code=204)


@router.post("/invitations/accept")
def accept_invitation(principal: Authenticated, body: AcceptIn) -> AcceptedOut:
    """The signed-in invitee (confirmed email = the invited one) joins the company."""
    return invitations.accept(principal, body.token)
