"""Inviting people: Supabase Auth's admin invite in production, a local auth user locally."""

from __future__ import annotations

import uuid

from dojo.db import Connection
from dojo.errors import ServiceUnavailable, UpstreamError
from dojo.settings import get_settings


def invite_user(conn: Connection, email: str, full_name: str | None) -> uuid.UUID:
    """Create (or find) the auth user for `email` and send the invitation; returns the user id."""
    settings = get_settings()
    if settings.auth_admin_provider == "supabase":
        return _supabase_invite(email, full_name)
    row = conn.execute("select id from auth.users where email = %s", (email,)).fetchone()
    if row is not None:
        return uuid.UUID(str(row["id"]))
    created = conn.execute(
        "insert into auth.users (email, invited_at) values (%s, now()) returning id", (email,)
    ).fetchone()
    assert created is not None
    return uuid.UUID(str(created["id"]))


def _supabase_invite(email: str, full_name: str | None) -> uuid.UUID:
    # supabase-py is heavy: imported on first invite, not at cold start.
    from supabase_auth.errors import AuthApiError, AuthError

    from supabase import create_client

    settings = get_settings()
    key = settings.supabase_service_key.get_secret_value()
    if not settings.supabase_url or not key:
        raise ServiceUnavailable("inviting is not configured (Supabase URL and service key)")
    client = create_client(settings.supabase_url, key)
    options: dict[str, object] = {"data": {"full_name": full_name or ""}}
    if settings.invite_redirect_url:
        options["redirect_to"] = settings.invite_redirect_url
    try:
        response = client.auth.admin.invite_user_by_email(email, options)  # type: ignore[arg-type]
    except AuthApiError as exc:
        if exc.status == 422:
            # already registered: find the existing user instead of failing the invite
            return _existing_user_id(client, email)
        raise UpstreamError("Supabase Auth refused the invitation") from exc
    except AuthError as exc:
        raise UpstreamError("Supabase Auth is unavailable") from exc
    return uuid.UUID(str(response.user.id))


def _existing_user_id(client: object, email: str) -> uuid.UUID:
    users = client.auth.admin.list_users()  # type: ignore[attr-defined]
    for user in users:
        if (user.email or "").lower() == email:
            return uuid.UUID(str(user.id))
    raise UpstreamError("Supabase Auth refused the invitation")
