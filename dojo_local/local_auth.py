"""The subset of Supabase Auth (GoTrue) that supabase-js uses for email + password sign-in.

`dojo dev` answers these on its own origin, so the web app signs in locally with the same client
code as in production: sign-up (confirmed at once, as a project with autoconfirm does), password
and refresh-token grants, the current user, and sign-out. Access
tokens come from `accounts.issue_token` (the real custom access token hook fills in company and
role). Refresh tokens are ES256 tokens of their own audience, so they never pass as access tokens;
sign-out revokes every refresh token the user holds (GoTrue's default global scope) for the life
of the process.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import jwt
import psycopg
from psycopg.rows import dict_row
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from dojo.settings import get_settings
from dojo_local import accounts, keys

PREFIX = "/auth/v1"
ACCESS_TTL = 3600
REFRESH_TTL = 30 * 24 * 3600
REFRESH_AUDIENCE = "dojo-local-refresh"
MIN_PASSWORD = 6  # GoTrue's default minimum

_signed_out_at: dict[str, float] = {}
_revoked_lock = threading.Lock()


class AuthError(Exception):
    """An error answered in GoTrue's shape (`code`, `error_code`, `msg`)."""

    def __init__(self, status: int, error_code: str, msg: str) -> None:
        super().__init__(msg)
        self.status = status
        self.error_code = error_code
        self.msg = msg


class PasswordGrant(BaseModel):
    """Body of `POST /auth/v1/token?grant_type=password`."""

    email: str
    password: str


class SignUp(BaseModel):
    """Body of `POST /auth/v1/signup` (`data` becomes the user's metadata)."""

    email: str = Field(min_length=3, max_length=255, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    password: str
    data: dict[str, Any] = Field(default_factory=dict)


class RefreshGrant(BaseModel):
    """Body of `POST /auth/v1/token?grant_type=refresh_token`."""

    refresh_token: str


def _database_url() -> str:
    return get_settings().database_url.get_secret_value()


def _issuer() -> str:
    settings = get_settings()
    return settings.jwt_issuer or f"{settings.public_url.rstrip('/')}{PREFIX}"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _user_row(*, email: str | None = None, user_id: str | None = None) -> dict[str, Any] | None:
    """The auth.users row by email or id (deleted users count as missing)."""
    with psycopg.connect(_database_url(), autocommit=True, row_factory=dict_row) as conn:
        return conn.execute(
            "select * from auth.users where deleted_at is null"
            " and (email = %(email)s or id = %(id)s::uuid)",
            {"email": email.strip().lower() if email else None, "id": user_id},
        ).fetchone()


def user_json(row: dict[str, Any]) -> dict[str, Any]:
    """A user as GoTrue returns it."""
    app_metadata = {"provider": "email", "providers": ["email"], **(row["raw_app_meta_data"] or {})}
    return {
        "id": str(row["id"]),
        "aud": row["aud"] or "authenticated",
        "role": row["role"] or "authenticated",
        "email": row["email"],
        "email_confirmed_at": _iso(row["email_confirmed_at"]),
        "confirmed_at": _iso(row["email_confirmed_at"]),
        "last_sign_in_at": _iso(row["last_sign_in_at"]),
        "phone": row["phone"] or "",
        "app_metadata": app_metadata,
        "user_metadata": row["raw_user_meta_data"] or {},
        "identities": [],
        "created_at": _iso(row["created_at"]),
        "updated_at": _iso(row["updated_at"]),
        "is_anonymous": bool(row["is_anonymous"]),
    }


def _refresh_token(user_id: str) -> str:
    now = time.time()
    claims = {
        "iss": _issuer(),
        "aud": REFRESH_AUDIENCE,
        "sub": user_id,
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + REFRESH_TTL,
    }
    return keys.sign(claims)


def _session(row: dict[str, Any]) -> dict[str, Any]:
    """A new access token and refresh token for the user, in GoTrue's session shape."""
    access = accounts.issue_token(_database_url(), row["email"], _issuer(), ACCESS_TTL)
    return {
        "access_token": access,
        "token_type": "bearer",
        "expires_in": ACCESS_TTL,
        "expires_at": int(time.time()) + ACCESS_TTL,
        "refresh_token": _refresh_token(str(row["id"])),
        "user": user_json(row),
    }


def password_grant(body: PasswordGrant) -> dict[str, Any]:
    """Sign in with email and password; the same error whether the email or password is wrong."""
    row = _user_row(email=body.email)
    if row is None or not accounts.check_password(body.password, row["encrypted_password"]):
        raise AuthError(400, "invalid_credentials", "Invalid login credentials")
    with psycopg.connect(_database_url(), autocommit=True) as conn:
        conn.execute("update auth.users set last_sign_in_at = now() where id = %s", (row["id"],))
    return _session(row)


def sign_up(body: SignUp) -> dict[str, Any]:
    """Create a confirmed user with a password and sign them in (no company yet)."""
    if len(body.password) < MIN_PASSWORD:
        raise AuthError(
            422, "weak_password", f"Password should be at least {MIN_PASSWORD} characters."
        )
    email = body.email.strip().lower()
    if _user_row(email=email) is not None:
        raise AuthError(422, "user_already_exists", "User already registered")
    full_name = str(body.data.get("full_name") or "").strip()[:200] or None
    with psycopg.connect(_database_url(), autocommit=True) as conn:
        accounts.ensure_user(conn, email, full_name=full_name, password=body.password)
    row = _user_row(email=email)
    assert row is not None
    return _session(row)


def _decode(token: str, audience: str) -> dict[str, Any]:
    public_key = keys.signing_key().public_key()
    return jwt.decode(
        token,
        public_key,
        algorithms=["ES256"],
        audience=audience,
        issuer=_issuer(),
        options={"require": ["exp", "sub", "aud", "iss"]},
    )


def refresh_grant(body: RefreshGrant) -> dict[str, Any]:
    """Exchange a refresh token of a live session for a new pair."""
    try:
        claims = _decode(body.refresh_token, REFRESH_AUDIENCE)
    except jwt.PyJWTError as exc:
        raise AuthError(400, "refresh_token_not_found", "Invalid Refresh Token") from exc
    with _revoked_lock:
        signed_out_at = _signed_out_at.get(str(claims["sub"]), 0.0)
    revoked = float(claims.get("iat", 0)) <= signed_out_at
    row = None if revoked else _user_row(user_id=str(claims["sub"]))
    if row is None:
        raise AuthError(400, "refresh_token_not_found", "Invalid Refresh Token: Not Found")
    return _session(row)


def _access_claims(request: Request) -> dict[str, Any]:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise AuthError(401, "no_authorization", "This endpoint requires a Bearer token")
    try:
        return _decode(token.strip(), "authenticated")
    except jwt.PyJWTError as exc:
        raise AuthError(403, "bad_jwt", "invalid JWT: unable to parse or verify signature") from exc


def current_user(request: Request) -> dict[str, Any]:
    """The user the bearer access token belongs to."""
    row = _user_row(user_id=str(_access_claims(request)["sub"]))
    if row is None:
        raise AuthError(403, "user_not_found", "User from sub claim in JWT does not exist")
    return user_json(row)


def logout(request: Request) -> None:
    """Sign the caller out everywhere: every refresh token issued so far stops working."""
    user_id = str(_access_claims(request)["sub"])
    with _revoked_lock:
        _signed_out_at[user_id] = time.time()


async def _dispatch(request: Request) -> Response:
    path = request.url.path.removeprefix(PREFIX)
    if path == "/token" and request.method == "POST":
        grant = request.query_params.get("grant_type")
        body = await request.json()
        if grant == "password":
            result = await run_in_threadpool(password_grant, PasswordGrant.model_validate(body))
        elif grant == "refresh_token":
            result = await run_in_threadpool(refresh_grant, RefreshGrant.model_validate(body))
        else:
            raise AuthError(400, "unsupported_grant_type", f"unsupported grant_type {grant!r}")
        return JSONResponse(result)
    if path == "/signup" and request.method == "POST":
        body = SignUp.model_validate(await request.json())
        return JSONResponse(await run_in_threadpool(sign_up, body))
    if path == "/user" and request.method == "GET":
        return JSONResponse(await run_in_threadpool(current_user, request))
    if path == "/logout" and request.method == "POST":
        await run_in_threadpool(logout, request)
        return Response(status_code=204)
    raise AuthError(404, "not_found", "no such route")


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """ASGI app for `/auth/v1/signup`, `/token`, `/user` and `/logout`."""
    request = Request(scope, receive)
    try:
        response = await _dispatch(request)
    except AuthError as exc:
        response = JSONResponse(
            {"code": exc.status, "error_code": exc.error_code, "msg": exc.msg},
            status_code=exc.status,
        )
    except (ValueError, ValidationError):
        response = JSONResponse(
            {"code": 400, "error_code": "validation_failed", "msg": "invalid request body"},
            status_code=400,
        )
    await response(scope, receive, send)
