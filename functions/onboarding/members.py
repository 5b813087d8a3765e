"""Companies and their members: creating a company, listing, changing roles, removing."""

from __future__ import annotations

import uuid
from typing import Any

from dojo.auth import Principal
from dojo.db import Connection
from dojo.errors import Conflict, NotFound
from onboarding.models import CompanyIn, RoleChangeIn


def me(conn: Connection | None, principal: Principal) -> dict[str, Any]:
    """Who the caller is: user, company and role (company is null before joining one)."""
    company = None
    full_name = None
    if conn is not None:
        company = conn.execute(
            "select id, name, locale from public.companies where id = %s",
            (principal.company_id,),
        ).fetchone()
        profile = conn.execute(
            "select full_name from public.profiles where id = %s", (principal.user_id,)
        ).fetchone()
        full_name = profile["full_name"] if profile else None
    return {
        "user_id": principal.user_id,
        "email": principal.email,
        "full_name": full_name,
        "company": company,
        "role": principal.role if company else None,
    }


def create_company(conn: Connection, principal: Principal, body: CompanyIn) -> dict[str, Any]:
    """A signed-up user without a company creates one and becomes its admin (service role)."""
    existing = conn.execute(
        "select 1 from public.profiles where id = %s", (principal.user_id,)
    ).fetchone()
    if principal.company_id is not None or existing is not None:
        raise Conflict("you already belong to a company")
    company = conn.execute(
        "insert into public.companies (name, locale) values (%s, %s) returning id, name, locale",
        (body.name, body.locale),
    ).fetchone()
    assert company is not None
    # the name given at sign-up travels in the token's user_metadata
    signed_up_as = (principal.claims.get("user_metadata") or {}).get("full_name")
    full_name = (body.full_name or signed_up_as or "").strip()[:200] or None
    conn.execute(
        "insert into public.profiles (id, company_id, role, email, full_name)"
        " values (%s, %s, 'admin', %s, %s)",
        (principal.user_id, company["id"], principal.email, full_name),
    )
    return {
        "company": company,
        "role": "admin",
        "refresh_required": True,
        "message": "company created: refresh the session so the token carries the new company",
    }


def list_members(conn: Connection) -> list[dict[str, Any]]:
    """The caller's company members (RLS confines it to the company)."""
    return conn.execute(
        "select id, email, full_name, role, created_at from public.profiles"
        " order by role desc, coalesce(full_name, email)"
    ).fetchall()


def _lock_member(conn: Connection, member_id: uuid.UUID) -> dict[str, Any]:
    # Lock every admin row of the company too, so two concurrent demotions cannot both pass
    # the "last admin" check.
    conn.execute("select id from public.profiles where role = 'admin' for update")
    row = conn.execute(
        "select id, role from public.profiles where id = %s for update", (member_id,)
    ).fetchone()
    if row is None:
        raise NotFound("member not found")
    return row


def _admins(conn: Connection) -> int:
    row = conn.execute("select count(*) as n from public.profiles where role = 'admin'").fetchone()
    return int(row["n"]) if row else 0


def change_role(conn: Connection, member_id: uuid.UUID, body: RoleChangeIn) -> dict[str, Any]:
    """An admin changes a member's role; the last admin cannot be demoted."""
    row = _lock_member(conn, member_id)
    if row["role"] == "admin" and body.role != "admin" and _admins(conn) <= 1:
        raise Conflict("the last admin cannot be demoted")
    updated = conn.execute(
        "update public.profiles set role = %s where id = %s"
        " returning id, email, full_name, role, created_at",
        (body.role, member_id),
    ).fetchone()
    if updated is None:
        raise NotFound("member not found")
    return updated


def remove(conn: Connection, member_id: uuid.UUID) -> None:
    """An admin removes a member from the company; the last admin cannot be removed."""
    row = _lock_member(conn, member_id)
    if row["role"] == "admin" and _admins(conn) <= 1:
        raise Conflict("the last admin cannot be removed")
    # removal is not a column update: the service role does it, scoped to the verified row
    conn.execute("select set_config('role', 'service_role', true)")
    conn.execute("delete from public.profiles where id = %s", (member_id,))
