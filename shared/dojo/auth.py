"""Verification of Supabase access tokens and the role check every function uses.

Asymmetric keys (ES256/RS256) come from the project's JWKS endpoint, cached and refreshed when an
unknown key id shows up (rotation). The legacy HS256 secret is accepted only when configured.
Signature, `exp`, `nbf`, `aud` and `iss` are always checked; `company_id` and `user_role` are
claims our access token hook adds. Every failure is the same 401: the caller learns nothing
about why, and the token is never logged.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from enum import IntEnum
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError

from dojo.errors import Forbidden, Unauthorized
from dojo.settings import Settings, get_settings

if TYPE_CHECKING:  # PyJWT (and cryptography under it) loads with the first token, not at cold start
    import jwt

RoleName = Literal["salesperson", "manager", "admin"]


class Role(IntEnum):
    """Roles are ordered: a manager can do what a salesperson can, an admin what a manager can."""

    salesperson = 1
    manager = 2
    admin = 3


class Principal(BaseModel):
    """The verified caller, from the token's claims."""

    user_id: uuid.UUID
    email: str | None = None
    company_id: uuid.UUID | None = None
    role: RoleName | None = None
    claims: dict[str, Any]

    def at_least(self, role: RoleName) -> bool:
        """True when the caller's role is this role or above."""
        return self.role is not None and Role[self.role] >= Role[role]


class _JwksCache:
    """JWKS keys by `kid`, fetched over HTTP, refreshed on expiry or on an unknown `kid`."""

    min_refresh_seconds = 5.0

    def __init__(self) -> None:
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = 0.0
        self._url = ""
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._keys, self._fetched_at, self._url = {}, 0.0, ""

    def _fetch(self, url: str) -> None:
        import httpx  # paid on the first JWKS fetch, not at cold start
        import jwt

        try:
            response = httpx.get(url, timeout=5.0)
            response.raise_for_status()
            keyset = jwt.PyJWKSet.from_dict(response.json())
        except (httpx.HTTPError, ValueError, jwt.PyJWKSetError) as exc:
            raise Unauthorized("could not verify the access token") from exc
        self._keys = {k.key_id: k for k in keyset.keys if k.key_id}
        self._fetched_at = time.monotonic()
        self._url = url

    def get(self, url: str, kid: str, max_age: float) -> jwt.PyJWK:
        with self._lock:
            age = time.monotonic() - self._fetched_at
            if url != self._url or age > max_age:
                self._fetch(url)
            elif kid not in self._keys and age > self.min_refresh_seconds:
                self._fetch(url)  # the signing key may have rotated
            key = self._keys.get(kid)
        if key is None:
            raise Unauthorized("invalid access token")
        return key


_jwks = _JwksCache()


def clear_jwks_cache() -> None:
    """Forget cached signing keys (tests, key rotation drills)."""
    _jwks.clear()


def expected_issuer(settings: Settings) -> str:
    """The `iss` every token must carry: the project's Auth URL."""
    return settings.jwt_issuer or f"{settings.supabase_url.rstrip('/')}/auth/v1"


def jwks_url(settings: Settings) -> str:
    """Where the project publishes its signing keys."""
    return settings.jwks_url or f"{expected_issuer(settings)}/.well-known/jwks.json"


def _signing_key(token: str, settings: Settings) -> tuple[Any, str]:
    import jwt

    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise Unauthorized("invalid access token") from exc
    alg = header.get("alg")
    if alg in ("ES256", "RS256"):
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise Unauthorized("invalid access token")
        key = _jwks.get(jwks_url(settings), kid, settings.jwks_cache_seconds)
        if key.algorithm_name != alg:
            raise Unauthorized("invalid access token")
        return key.key, alg
    secret = settings.jwt_secret.get_secret_value()
    if alg == "HS256" and secret:
        return secret, alg
    raise Unauthorized("invalid access token")


def verify_token(token: str, settings: Settings | None = None) -> Principal:
    """Verify a Supabase access token and return the caller; raises Unauthorized otherwise."""
    settings = settings or get_settings()
    import jwt

    key, alg = _signing_key(token, settings)
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[alg],
            audience=settings.jwt_audience,
            issuer=expected_issuer(settings),
            leeway=settings.jwt_leeway_seconds,
            options={"require": ["exp", "iat", "sub", "aud", "iss"]},
        )
    except jwt.PyJWTError as exc:
        raise Unauthorized("invalid or expired access token") from exc
    if claims.get("role") != "authenticated":
        raise Unauthorized("invalid access token")
    try:
        return Principal(
            user_id=claims["sub"],
            email=claims.get("email"),
            company_id=claims.get("company_id") or None,
            role=claims.get("user_role") or None,
            claims=claims,
        )
    except ValidationError as exc:
        raise Unauthorized("invalid access token") from exc


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("missing bearer token")
    return token.strip()


def authenticated(request: Request) -> Principal:
    """FastAPI dependency: any signed-in user, with or without a company yet."""
    principal = verify_token(_bearer(request))
    request.state.user_id = str(principal.user_id)
    return principal


def member(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
    """FastAPI dependency: a signed-in member of a company (token carries company and role)."""
    if principal.company_id is None or principal.role is None:
        raise Unauthorized("the access token carries no company; create or join one first")
    return principal


def require_role(role: RoleName) -> Callable[[Principal], Principal]:
    """FastAPI dependency factory: a member whose role is `role` or above."""

    def check(principal: Annotated[Principal, Depends(member)]) -> Principal:
        if not principal.at_least(role):
            raise Forbidden(f"this action needs the {role} role")
        return principal

    return check


CurrentUser = Annotated[Principal, Depends(member)]
Manager = Annotated[Principal, Depends(require_role("manager"))]
Admin = Annotated[Principal, Depends(require_role("admin"))]
