"""The local stand-in for Supabase Auth's signing key: an ES256 key, its JWKS and token minting."""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from dojo_local.paths import data_dir


def _b64(n: int) -> str:
    return base64.urlsafe_b64encode(n.to_bytes(32, "big")).rstrip(b"=").decode()


@lru_cache(maxsize=4)
def _load(path: Path) -> ec.EllipticCurvePrivateKey:
    if not path.exists():
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.write_bytes(pem)
        path.chmod(0o600)
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(loaded, ec.EllipticCurvePrivateKey)
    return loaded


def signing_key(base: Path | None = None) -> ec.EllipticCurvePrivateKey:
    """The local private key (created on first use, kept in the data directory)."""
    return _load((base or data_dir()) / "jwt_es256.pem")


def public_jwk(key: ec.EllipticCurvePrivateKey) -> dict[str, str]:
    """The public half as a JWK, with a stable key id."""
    numbers = key.public_key().public_numbers()
    x, y = _b64(numbers.x), _b64(numbers.y)
    kid = hashlib.sha256(f"{x}.{y}".encode()).hexdigest()[:16]
    return {"kty": "EC", "crv": "P-256", "x": x, "y": y, "kid": kid, "alg": "ES256", "use": "sig"}


def jwks(base: Path | None = None) -> dict[str, Any]:
    """The JWKS document served at /auth/v1/.well-known/jwks.json."""
    return {"keys": [public_jwk(signing_key(base))]}


def sign(claims: dict[str, Any], base: Path | None = None) -> str:
    """Sign claims as Supabase Auth would (ES256 with the key id in the header)."""
    key = signing_key(base)
    return jwt.encode(claims, key, algorithm="ES256", headers={"kid": public_jwk(key)["kid"]})


def base_claims(user_id: uuid.UUID, email: str, issuer: str, ttl: int = 3600) -> dict[str, Any]:
    """The claims Supabase Auth puts in every access token, before the custom hook runs."""
    now = int(time.time())
    return {
        "iss": issuer,
        "aud": "authenticated",
        "sub": str(user_id),
        "role": "authenticated",
        "email": email,
        "phone": "",
        "aal": "aal1",
        "session_id": str(uuid.uuid4()),
        "is_anonymous": False,
        "iat": now,
        "exp": now + ttl,
        "app_metadata": {"provider": "email", "providers": ["email"]},
        "user_metadata": {},
    }


def hook_event(user_id: uuid.UUID, claims: dict[str, Any]) -> str:
    """The JSON event Supabase Auth passes to the custom access token hook."""
    return json.dumps(
        {"user_id": str(user_id), "claims": claims, "authentication_method": "password"}
    )
