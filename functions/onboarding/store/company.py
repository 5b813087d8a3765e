"""SQL of companies, members, invitations and usage (the `/api/v1/auth` surface).

A caller's tenant transaction lets RLS decide what exists; functions that must act outside the
caller's company (creating one, accepting an invitation) say so and run as the service role.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from dojo.db import Connection, jsonb

_INVITATION = "id, email, role, full_name, invited_by, expires_at, created_at, updated_at"
_MEMBER = "id, email, full_name, role, created_at"


def act_as_service(conn: Connection) -> None:
    """Switch the rest of this transaction to the service role.

    Only after the caller was verified (by RLS or a role check) for what follows, which is then
    scoped to the verified rows: writes the API must do but no user may do directly.
    """
    conn.execute("select set_config('role', 'service_role', true)")


# --- companies and members ----------------------------------------------------------------------


def company_locale(conn: Connection, company_id: uuid.UUID | None) -> str | None:
    """The company's locale, as stored (None when the company cannot be read)."""
    row = conn.execute(
        "select locale from public.companies where id = %s", (company_id,)
    ).fetchone()
    return str(row["locale"]) if row else None


def caller_company(conn: Connection) -> uuid.UUID | None:
    """The company of the caller of this tenant transaction."""
    row = conn.execute("select private.company_id() as id").fetchone()
    return row["id"] if row else None


def company_settings(conn: Connection) -> dict[str, Any]:
    """The caller's company's settings (RLS shows one company: their own)."""
    row = conn.execute("select settings from public.companies limit 1").fetchone()
    return dict(row["settings"]) if row else {}


def merge_company_settings(
    conn: Connection, company_id: uuid.UUID, changes: dict[str, Any]
) -> dict[str, Any]:
    """Merge `changes` into the company's settings (service role, after the manager check)."""
    row = conn.execute(
        "update public.companies set settings = settings || %s where id = %s returning settings",
        (jsonb(changes), company_id),
    ).fetchone()
    return dict(row["settings"]) if row else {}


def profile_name(conn: Connection, user_id: uuid.UUID) -> str | None:
    """The member's full name, if they have a profile the caller can see."""
    row = conn.execute("select full_name from public.profiles where id = %s", (user_id,)).fetchone()
    return row["full_name"] if row else None


def has_profile(conn: Connection, user_id: uuid.UUID) -> bool:
    """Whether the user already belongs to a company (service role)."""
    row = conn.execute("select 1 from public.profiles where id = %s", (user_id,)).fetchone()
    return row is not None


def create_company(conn: Connection, name: str, locale: str) -> dict[str, Any]:
    """A new company (service role); its id, name and locale."""
    row = conn.execute(
        "insert into public.companies (name, locale) values (%s, %s) returning id, name, locale",
        (name, locale),
    ).fetchone()
    assert row is not None
    return row


def list_members(conn: Connection, *, limit: int, offset: int = 0) -> list[dict[str, Any]]:
    """The caller's company members, one page (RLS confines it to the company)."""
    return conn.execute(
        f"select {_MEMBER} from public.profiles"
        " order by role desc, coalesce(full_name, email), id limit %s offset %s",
        (limit, offset),
    ).fetchall()


def lock_member(conn: Connection, member_id: uuid.UUID) -> dict[str, Any] | None:
    """Lock the member's row, and every admin row of the company with it, so two concurrent
    demotions cannot both pass the "last admin" check; the member's id and role."""
    conn.execute("select id from public.profiles where role = 'admin' for update")
    return conn.execute(
        "select id, role from public.profiles where id = %s for update", (member_id,)
    ).fetchone()


def count_admins(conn: Connection) -> int:
    """How many admins the caller's company has."""
    row = conn.execute("select count(*) as n from public.profiles where role = 'admin'").fetchone()
    return int(row["n"]) if row else 0


def set_role(conn: Connection, member_id: uuid.UUID, role: str) -> dict[str, Any] | None:
    """Change a member's role (RLS: admins of the company); the member after the change."""
    return conn.execute(
        f"update public.profiles set role = %s where id = %s returning {_MEMBER}",
        (role, member_id),
    ).fetchone()


def delete_member(conn: Connection, member_id: uuid.UUID) -> None:
    """Remove a member (service role, after the caller was verified as the company's admin)."""
    conn.execute("delete from public.profiles where id = %s", (member_id,))


def usage_summary(conn: Connection, since: dt.datetime) -> list[dict[str, Any]]:
    """Use and cost of the caller's company by month and kind since `since` (RLS: admins)."""
    return conn.execute("select * from private.usage_summary(%s)", (since,)).fetchall()


# --- invitations --------------------------------------------------------------------------------


def is_member_email(conn: Connection, email: str) -> bool:
    """Whether someone with `email` is already in the caller's company (RLS: own company only)."""
    row = conn.execute("select 1 from public.profiles where lower(email) = %s", (email,))
    return row.fetchone() is not None


def upsert_invitation(
    conn: Connection,
    company_id: uuid.UUID,
    email: str,
    role: str,
    full_name: str | None,
    token_hash: str,
    invited_by: uuid.UUID,
    expires_at: dt.datetime,
) -> dict[str, Any]:
    """Create the company's pending invitation for `email`, or refresh it (new token and expiry)."""
    # the update repeats the values instead of reading `excluded`: reading it would need SELECT
    # on token_hash, which users never get
    fields: dict[str, object] = {"role": role, "full_name": full_name, "token_hash": token_hash}
    fields |= {"invited_by": invited_by, "expires_at": expires_at}
    row = conn.execute(
        "insert into public.invitations"
        " (company_id, email, role, full_name, token_hash, invited_by, expires_at)"
        " values (%(company_id)s, %(email)s, %(role)s, %(full_name)s, %(token_hash)s,"
        " %(invited_by)s, %(expires_at)s)"
        " on conflict (company_id, email) do update set role = %(role)s,"
        " full_name = %(full_name)s, token_hash = %(token_hash)s,"
        " invited_by = %(invited_by)s, expires_at = %(expires_at)s"
        f" returning {_INVITATION}",
        {"company_id": company_id, "email": email, **fields},
    ).fetchone()
    assert row is not None
    return row


def list_invitations(conn: Connection) -> list[dict[str, Any]]:
    """The caller's company's pending invitations, newest first (RLS: managers and admins)."""
    return conn.execute(
        f"select {_INVITATION} from public.invitations order by created_at desc, id"
    ).fetchall()


def delete_invitation(conn: Connection, invitation_id: uuid.UUID) -> bool:
    """Revoke (or consume) an invitation; False when there is none the caller may see."""
    row = conn.execute(
        "delete from public.invitations where id = %s returning id", (invitation_id,)
    ).fetchone()
    return row is not None


def invitation_by_token(conn: Connection, token_hash: str) -> dict[str, Any] | None:
    """The invitation a token opens, locked until the transaction ends (service role)."""
    return conn.execute(
        "select id, company_id, email, role, full_name, expires_at from public.invitations"
        " where token_hash = %s for update",
        (token_hash,),
    ).fetchone()


def confirmed_email(conn: Connection, user_id: uuid.UUID) -> str | None:
    """The user's email if Supabase Auth has confirmed it, else None (service role)."""
    row = conn.execute(
        "select lower(email) as email from auth.users"
        " where id = %s and email_confirmed_at is not null and deleted_at is null",
        (user_id,),
    ).fetchone()
    return str(row["email"]) if row and row["email"] else None


def membership(conn: Connection, user_id: uuid.UUID) -> dict[str, Any] | None:
    """The user's company and role now, if they belong to one (service role)."""
    return conn.execute(
        "select company_id, role from public.profiles where id = %s", (user_id,)
    ).fetchone()


def add_member(
    conn: Connection,
    user_id: uuid.UUID,
    company_id: uuid.UUID,
    role: str,
    email: str | None,
    full_name: str | None,
) -> bool:
    """Make the user a member; False when they already are one somewhere (service role)."""
    row = conn.execute(
        "insert into public.profiles (id, company_id, role, email, full_name)"
        " values (%s, %s, %s, %s, %s) on conflict (id) do nothing returning id",
        (user_id, company_id, role, email, full_name),
    ).fetchone()
    return row is not None


def get_company(conn: Connection, company_id: uuid.UUID) -> dict[str, Any] | None:
    """A company's id, name and locale."""
    return conn.execute(
        "select id, name, locale from public.companies where id = %s", (company_id,)
    ).fetchone()
