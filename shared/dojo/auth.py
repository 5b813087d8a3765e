"""Who the caller is (a verified Supabase access token) and what they may do (present membership).

Asymmetric keys (ES256/RS256) come from the project's JWKS endpoint, cached and refreshed when an
unknown key id shows up (rotation). The legacy HS256 secret is accepted only when configured.
Signature, `exp`, `nbf`, `aud` and `iss` are always checked. Every failure is the same 401: the
caller learns nothing about why (the cause is logged, the token never is).

The token proves only WHO the caller is (`sub`). Their company and role come from their present
row in `public.profiles`, read on every request (one indexed read), never from the token's
`company_id`/`user_role` claims: those are hints our access token hook adds for clients, and a
removal or a demotion must take effect on the next request, not when the token expires. RLS reads
the same row through `private.company_id()` / `private.user_role()`.
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


# Claims the access token hook adds: hints for clients, replaced by the present membership.
_HINTS = ("company_id", "user_role")
ACCESS_REMOVED = "access_removed"


class Principal(BaseModel):
    """The verified caller: who (the token) and, once read, their present company and role."""

    user_id: uuid.UUID
    email: str | None = None
    company_id: uuid.UUID | None = None
    role: RoleName | None = None
    claims: dict[str, Any]
    token_company_id: uuid.UUID | None = None
    """The company the token named when it was issued: it only picks the refusal's wording
    ("your access was removed" vs "join a company first"), it never grants anything."""

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
            raise Unauthorized("could not fetch the signing keys") from exc
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
            raise Unauthorized("unknown signing key id")
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
        raise Unauthorized("unreadable token header") from exc
    alg = header.get("alg")
    if alg in ("ES256", "RS256"):
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise Unauthorized("asymmetric token without a key id")
        key = _jwks.get(jwks_url(settings), kid, settings.jwks_cache_seconds)
        if key.algorithm_name != alg:
            raise Unauthorized("token algorithm does not match its key")
        return key.key, alg
    secret = settings.jwt_secret.get_secret_value()
    if alg == "HS256" and secret:
        return secret, alg
    raise Unauthorized("unsupported token algorithm")


def verify_token(token: str, settings: Settings | None = None) -> Principal:
    """Verify a Supabase access token and return who the caller is; raises Unauthorized otherwise.

    The Principal carries no company or role yet: `with_present_membership` adds the present ones.
    """
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
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("expired access token") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"invalid access token: {type(exc).__name__}") from exc
    if claims.get("role") != "authenticated":
        raise Unauthorized("access token for another role than authenticated")
    try:
        return Principal(
            user_id=claims["sub"],
            email=claims.get("email"),
            claims=claims,
            token_company_id=_uuid_or_none(claims.get("company_id")),
        )
    except ValidationError as exc:
        raise Unauthorized("access token with a malformed subject or email") from exc


def _uuid_or_none(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def with_present_membership(principal: Principal) -> Principal:
    """The caller with the company and role of their present membership (none: neither).

    The claims handed to tenant transactions carry the same present values, so any code reading
    `request.jwt.claims` agrees with the API's checks and with RLS.
    """
    from dojo import db  # imported here: dojo.db imports this module (TenantDB needs `member`)

    present = db.membership(principal.user_id)
    claims = {k: v for k, v in principal.claims.items() if k not in _HINTS}
    if present is None:
        return principal.model_copy(update={"company_id": None, "role": None, "claims": claims})
    company_id, role = present
    claims.update(company_id=str(company_id), user_role=role)
    return principal.model_copy(update={"company_id": company_id, "role": role, "claims": claims})


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("missing bearer token")
    return token.strip()


def authenticated(request: Request) -> Principal:
    """FastAPI dependency: any signed-in user, with their present membership if they have one.

    Verified once per request: the route class (`dojo.http.CredentialsFirst`) calls it before
    the body is read, and the dependency then finds the caller on the request.
    """
    known = getattr(request.state, "principal", None)
    if isinstance(known, Principal):
        return known
    principal = with_present_membership(verify_token(_bearer(request)))
    request.state.principal = principal
    request.state.user_id = str(principal.user_id)
    return principal


def no_membership(principal: Principal) -> Forbidden:
    """The 403 for a signed-in caller who is not a member of any company (any more).

    `access_removed` when their token still names a company (they were removed since it was
    issued: the web app signs them out with that message), `no_company` otherwise.
    """
    if principal.token_company_id is not None:
        return Forbidden("your access to this company was removed", code=ACCESS_REMOVED)
    return Forbidden("create or join a company first", code="no_company")


def signed_in(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
    """FastAPI dependency: a signed-in user who may have no company yet, but was not removed."""
    if principal.company_id is None and principal.token_company_id is not None:
        raise no_membership(principal)
    return principal


def member(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
    """FastAPI dependency: a present member of a company."""
    if principal.company_id is None or principal.role is None:
        raise no_membership(principal)
    return principal


def require_role(role: RoleName) -> Callable[[Principal], Principal]:
    """FastAPI dependency factory: a member whose present role is `role` or above."""

    def check(principal: Annotated[Principal, Depends(member)]) -> Principal:
        if not principal.at_least(role):
            raise Forbidden(f"this action needs the {role} role")
        return principal

    return check


CurrentUser = Annotated[Principal, Depends(member)]
Manager = Annotated[Principal, Depends(require_role("manager"))]
Admin = Annotated[Principal, Depends(require_role("admin"))]
