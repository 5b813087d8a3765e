"""Companies and their members: who am I, creating a company, listing, roles, removing."""

from __future__ import annotations

import uuid

from dojo.auth import Principal
from dojo.db import Connection
from dojo.errors import Conflict, NotFound
from onboarding.models import (
    CompanyCreatedOut,
    CompanyIn,
    CompanyOut,
    CompanySettings,
    CompanySettingsIn,
    MemberOut,
    MeOut,
    RoleChangeIn,
)
from onboarding.store import company as store


def me(conn: Connection | None, principal: Principal) -> MeOut:
    """Who the caller is: user, company and role (company is null before joining one)."""
    joined = None
    full_name = None
    if conn is not None and principal.company_id is not None:
        row = store.get_company(conn, principal.company_id)
        joined = CompanyOut.model_validate(row) if row else None
        full_name = store.profile_name(conn, principal.user_id)
    return MeOut(
        user_id=principal.user_id,
        email=principal.email,
        full_name=full_name,
        company=joined,
        role=principal.role if joined else None,
    )


def create_company(conn: Connection, principal: Principal, body: CompanyIn) -> CompanyCreatedOut:
    """A signed-up user without a company creates one and becomes its admin (service role)."""
    if principal.company_id is not None or store.has_profile(conn, principal.user_id):
        raise Conflict("you already belong to a company")
    created = store.create_company(conn, body.name, body.locale)
    # the name given at sign-up travels in the token's user_metadata
    signed_up_as = (principal.claims.get("user_metadata") or {}).get("full_name")
    full_name = body.full_name or (str(signed_up_as or "").strip()[:200] or None)
    store.add_member(conn, principal.user_id, created["id"], "admin", principal.email, full_name)
    return CompanyCreatedOut(
        company=CompanyOut.model_validate(created),
        role="admin",
        refresh_required=True,
        message="company created: refresh the session so the token carries the new company",
    )


def list_members(conn: Connection, *, limit: int, offset: int = 0) -> list[MemberOut]:
    """The caller's company members, one page (RLS confines it to the company)."""
    rows = store.list_members(conn, limit=limit, offset=offset)
    return [MemberOut.model_validate(row) for row in rows]


def _locked_member(conn: Connection, member_id: uuid.UUID) -> str:
    """Lock the member (and the company's admins); their current role."""
    row = store.lock_member(conn, member_id)
    if row is None:
        raise NotFound("member not found")
    return str(row["role"])


def change_role(conn: Connection, member_id: uuid.UUID, body: RoleChangeIn) -> MemberOut:
    """An admin changes a member's role; the last admin cannot be demoted."""
    role = _locked_member(conn, member_id)
    if role == "admin" and body.role != "admin" and store.count_admins(conn) <= 1:
        raise Conflict("the last admin cannot be demoted")
    updated = store.set_role(conn, member_id, body.role)
    if updated is None:
        raise NotFound("member not found")
    return MemberOut.model_validate(updated)


def remove(conn: Connection, member_id: uuid.UUID) -> None:
    """An admin removes a member from the company; the last admin cannot be removed."""
    role = _locked_member(conn, member_id)
    if role == "admin" and store.count_admins(conn) <= 1:
        raise Conflict("the last admin cannot be removed")
    # removal is not a column update: the service role does it, scoped to the verified row
    store.act_as_service(conn)
    store.delete_member(conn, member_id)


def company_settings(conn: Connection) -> CompanySettings:
    """The caller's company's switches (defaults for what was never set)."""
    return CompanySettings.model_validate(store.company_settings(conn))


def change_company_settings(
    conn: Connection, principal: Principal, body: CompanySettingsIn
) -> CompanySettings:
    """Change the company's switches (the route allows managers and admins only)."""
    assert principal.company_id is not None
    changes = body.model_dump(exclude_none=True)
    if changes:
        store.act_as_service(conn)
        return CompanySettings.model_validate(
            store.merge_company_settings(conn, principal.company_id, changes)
        )
    return company_settings(conn)
