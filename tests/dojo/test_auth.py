"""Access-token verification: every bad token is the same 401, nothing leaks, rotation works."""

from __future__ import annotations

import time
import uuid
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from dojo.auth import clear_jwks_cache
from dojo_local import keys

ME = "/api/v1/auth/me"


def _claims(world: Any, user: Any, **overrides: Any) -> dict[str, Any]:
    claims = keys.base_claims(user.id, user.email, world.env.issuer)
    claims.update(company_id=str(user.company_id), user_role=user.role)
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _assert_401(response: Any) -> None:
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "unauthorized"
    assert body["error"]["request_id"]
    assert "Traceback" not in response.text


def test_valid_token_is_accepted(api, make_user):
    user = make_user("Acme", "manager")
    response = api.get(ME, headers=user.headers)
    assert response.status_code == 200
    body = response.json()
    assert body["user_id"] == str(user.id)
    assert body["role"] == "manager"
    assert body["company"]["name"] == "Acme"


@pytest.mark.parametrize(
    "case",
    ["expired", "not_yet_valid", "wrong_audience", "wrong_issuer", "not_authenticated_role"],
)
def test_bad_claims_are_401(api, make_user, world, case):
    user = make_user()
    now = int(time.time())
    overrides = {
        "expired": {"iat": now - 7200, "exp": now - 3600},
        "not_yet_valid": {"nbf": now + 3600},
        "wrong_audience": {"aud": "anon"},
        "wrong_issuer": {"iss": "https://evil.example/auth/v1"},
        "not_authenticated_role": {"role": "service_role"},
    }[case]
    token = keys.sign(_claims(world, user, **overrides))
    _assert_401(api.get(ME, headers={"authorization": f"Bearer {token}"}))


def test_wrong_signature_is_401(api, make_user, world):
    user = make_user()
    other = ec.generate_private_key(ec.SECP256R1())
    kid = keys.public_jwk(keys.signing_key())["kid"]
    token = jwt.encode(_claims(world, user), other, algorithm="ES256", headers={"kid": kid})
    _assert_401(api.get(ME, headers={"authorization": f"Bearer {token}"}))


def test_alg_none_is_401(api, make_user, world):
    user = make_user()
    token = jwt.encode(_claims(world, user), key=None, algorithm="none")
    _assert_401(api.get(ME, headers={"authorization": f"Bearer {token}"}))


def test_hs256_is_refused_unless_configured(api, make_user, world, monkeypatch):
    user = make_user()
    token = jwt.encode(_claims(world, user), "s" * 40, algorithm="HS256")
    _assert_401(api.get(ME, headers={"authorization": f"Bearer {token}"}))

    from dojo.settings import get_settings

    monkeypatch.setenv("DOJO_JWT_SECRET", "s" * 40)
    get_settings.cache_clear()
    try:
        assert api.get(ME, headers={"authorization": f"Bearer {token}"}).status_code == 200
        forged = jwt.encode(_claims(world, user), "t" * 40, algorithm="HS256")
        _assert_401(api.get(ME, headers={"authorization": f"Bearer {forged}"}))
    finally:
        monkeypatch.delenv("DOJO_JWT_SECRET")
        get_settings.cache_clear()


@pytest.mark.parametrize(
    "header",
    [
        "",
        "Bearer",
        "Bearer ",
        "Basic abc",
        "Bearer not.a.jwt",
        "Bearer " + "x" * 5000,
        "Bearer a.b",
    ],
)
def test_garbage_is_401(api, db_url, header):
    headers = {"authorization": header} if header else {}
    _assert_401(api.get(ME, headers=headers))


def test_unknown_kid_refetches_jwks_once_then_401(api, make_user, world):
    user = make_user()
    other = ec.generate_private_key(ec.SECP256R1())
    token = jwt.encode(_claims(world, user), other, algorithm="ES256", headers={"kid": "rotated"})
    _assert_401(api.get(ME, headers={"authorization": f"Bearer {token}"}))


def test_rotated_key_is_picked_up(api, make_user, world, monkeypatch):
    user = make_user()
    assert api.get(ME, headers=user.headers).status_code == 200  # caches the current key
    new_key = ec.generate_private_key(ec.SECP256R1())
    new_jwk = keys.public_jwk(new_key)
    monkeypatch.setattr(keys, "jwks", lambda base=None: {"keys": [new_jwk]})
    from dojo import auth

    monkeypatch.setattr(auth._JwksCache, "min_refresh_seconds", 0.0)
    token = jwt.encode(
        _claims(world, user), new_key, algorithm="ES256", headers={"kid": new_jwk["kid"]}
    )
    response = api.get(ME, headers={"authorization": f"Bearer {token}"})
    clear_jwks_cache()
    assert response.status_code == 200


def test_tokens_never_reach_the_logs(api, make_user, world, capfd):
    user = make_user()
    bad = user.token[:-4] + "AAAA"
    api.get(ME, headers=user.headers)
    api.get(ME, headers={"authorization": f"Bearer {bad}"})
    api.get("/api/v1/auth/members", headers={"authorization": f"Bearer {bad}"})
    out, err = capfd.readouterr()
    for secret in (user.token, bad, user.token.split(".")[2]):
        assert secret not in out
        assert secret not in err


def test_unknown_user_id_is_401(api, make_user, world):
    user = make_user()
    token = keys.sign(_claims(world, user, sub="not-a-uuid"))
    _assert_401(api.get(ME, headers={"authorization": f"Bearer {token}"}))
    assert uuid.UUID(str(user.id))
