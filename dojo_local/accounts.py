"""Local users, companies and access tokens (what Supabase Auth and sign-up do in production)."""

from __future__ import annotations

import hashlib
import hmac
import os
import uuid
from typing import Any

import psycopg
from psycopg.rows import dict_row, tuple_row
from psycopg.types.json import Jsonb

from dojo_local import keys

_ITERATIONS = 200_000


def _scalar(conn: psycopg.Connection[Any], query: str, params: tuple[Any, ...]) -> Any:
    """The first column of the first row (whatever the connection's row factory), or None."""
    with conn.cursor(row_factory=tuple_row) as cur:
        row = cur.execute(query, params).fetchone()
    return row[0] if row else None


def hash_password(password: str) -> str:
    """A salted PBKDF2 hash (local sign-in only; production passwords live in Supabase Auth)."""
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, _ITERATIONS)
    return f"pbkdf2_sha256${_ITERATIONS}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str | None) -> bool:
    """Constant-time check of a password against `hash_password`'s output."""
    try:
        _, iterations, salt, digest = (stored or "").split("$")
        actual = hashlib.pbkdf2_hmac(
            "sha256", password.encode(), bytes.fromhex(salt), int(iterations)
        )
    except ValueError:
        return False
    return hmac.compare_digest(actual.hex(), digest)


def ensure_company(conn: psycopg.Connection[Any], name: str) -> uuid.UUID:
    """The id of the company with this name, created when missing."""
    found = _scalar(conn, "select id from public.companies where name = %s", (name,))
    if found is None:
        found = _scalar(
            conn, "insert into public.companies (name) values (%s) returning id", (name,)
        )
    return uuid.UUID(str(found))


def ensure_user(
    conn: psycopg.Connection[Any],
    email: str,
    *,
    company: str | None = None,
    role: str = "salesperson",
    full_name: str | None = None,
    password: str | None = None,
) -> uuid.UUID:
    """The auth user with this email (created when missing), member of `company` with `role`."""
    email = email.strip().lower()
    found = _scalar(conn, "select id from auth.users where email = %s", (email,))
    if found is None:
        found = _scalar(
            conn,
            "insert into auth.users (email, encrypted_password, email_confirmed_at,"
            " raw_user_meta_data) values (%s, %s, now(), %s) returning id",
            (email, hash_password(password) if password else None, Jsonb({"full_name": full_name})),
        )
    user_id = uuid.UUID(str(found))
    if company is not None:
        company_id = ensure_company(conn, company)
        conn.execute(
            "insert into public.profiles (id, company_id, role, full_name, email)"
            " values (%s, %s, %s, %s, %s)"
            " on conflict (id) do update set company_id = excluded.company_id,"
            " role = excluded.role, full_name = coalesce(excluded.full_name, profiles.full_name)",
            (user_id, company_id, role, full_name, email),
        )
    return user_id


def issue_token(url: str, email: str, issuer: str, ttl: int = 3600) -> str:
    """An access token for an existing user, claims completed by the real access token hook."""
    with psycopg.connect(url, autocommit=True, row_factory=dict_row) as conn:
        row = conn.execute(
            "select id from auth.users where email = %s", (email.strip().lower(),)
        ).fetchone()
        if row is None:
            raise LookupError(f"no user {email}")
        user_id = uuid.UUID(str(row["id"]))
        claims = keys.base_claims(user_id, email.strip().lower(), issuer, ttl)
        result = conn.execute(
            "select public.custom_access_token_hook(%s::jsonb) as event",
            (keys.hook_event(user_id, claims),),
        ).fetchone()
        assert result is not None
        return keys.sign(result["event"]["claims"])
