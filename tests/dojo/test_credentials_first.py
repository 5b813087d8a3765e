"""Credentials before anything else: one 401 for every cause, before the body is parsed (issue 12).

Every API route and internal hook answers an unauthenticated caller 401, with one code and one
message whatever the cause, before it reads, parses or validates the body: a probe learns neither
why it was refused nor what the route expects. The cause is in the logs, the token never is.
"""

from __future__ import annotations

import re
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from dojo.errors import UNAUTHORIZED_MESSAGE
from dojo_local import keys
from dojo_local.openapi import merged_openapi

HOOKS = ("/internal/onboarding/hook", "/internal/personas/hook", "/internal/grading/hook")
ME = "/api/v1/auth/members"
HOOK = "X-Dojo-Hook-Secret"


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every operation of the public API (path parameters filled in)."""
    ops = []
    for path, item in merged_openapi()["paths"].items():
        concrete = re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", path)
        ops += [(method.upper(), concrete) for method in item if not path.startswith("/health")]
    return ops


OPERATIONS = _operations()


def _signed(world: Any, user: Any, **overrides: Any) -> str:
    claims = keys.base_claims(user.id, user.email, world.env.issuer)
    claims.update(company_id=str(user.company_id), user_role=user.role)
    claims.update(overrides)
    return keys.sign({k: v for k, v in claims.items() if v is not None})


def _refusals(api: Any, world: Any, user: Any) -> dict[str, Any]:
    now = int(time.time())
    other = ec.generate_private_key(ec.SECP256R1())
    kid = keys.public_jwk(keys.signing_key())["kid"]
    claims = keys.base_claims(user.id, user.email, world.env.issuer)
    bearer = {
        "no header": None,
        "basic scheme": "Basic abc",
        "empty bearer": "Bearer ",
        "garbage": "Bearer not.a.jwt",
        "expired": "Bearer " + _signed(world, user, iat=now - 7200, exp=now - 3600),
        "wrong audience": "Bearer " + _signed(world, user, aud="anon"),
        "service role": "Bearer " + _signed(world, user, role="service_role"),
        "bad subject": "Bearer " + _signed(world, user, sub="not-a-uuid"),
        "wrong key": "Bearer " + jwt.encode(claims, other, algorithm="ES256", headers={"kid": kid}),
        "unknown kid": "Bearer "
        + jwt.encode(claims, other, algorithm="ES256", headers={"kid": "nope"}),
        "alg none": "Bearer " + jwt.encode(claims, key=None, algorithm="none"),
    }
    out = {
        cause: api.get(ME, headers={"authorization": value} if value else {})
        for cause, value in bearer.items()
    }
    out["no hook secret"] = api.post(HOOKS[0], json={})
    out["wrong hook secret"] = api.post(HOOKS[1], json={}, headers={HOOK: "wrong"})
    return out


def test_every_401_is_the_same_whatever_the_cause(api, world, make_user, capfd):
    user = make_user("Acme", "manager")
    refusals = _refusals(api, world, user)
    for cause, response in refusals.items():
        assert response.status_code == 401, cause
        error = response.json()["error"]
        assert set(error) == {"code", "message", "request_id"}, cause
        assert (error["code"], error["message"]) == ("unauthorized", UNAUTHORIZED_MESSAGE), cause
    # the logs keep the cause (and never the token)
    out, err = capfd.readouterr()
    logs = out + err
    for cause in ("expired access token", "missing bearer token", "wrong hook secret"):
        assert cause in logs
    assert user.token.split(".")[2] not in logs


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_unauthenticated_malformed_json_is_401_on_every_api_route(api, db_url, method, path):
    headers = {"content-type": "application/json"}
    response = api.request(method, path, content=b'{"broken": ', headers=headers)
    assert response.status_code == 401, response.text
    assert response.json()["error"]["message"] == UNAUTHORIZED_MESSAGE


def test_the_sweep_covers_the_api():
    """The parametrised sweep above is not vacuous: it reaches every function's routes."""
    paths = {path for _, path in OPERATIONS}
    for prefix in ("auth", "onboarding", "personas", "sessions", "feedback"):
        assert any(p.startswith(f"/api/v1/{prefix}") for p in paths), prefix
    assert len(OPERATIONS) >= 25


@pytest.mark.parametrize("path", HOOKS)
@pytest.mark.parametrize("secret", [None, "wrong"])
def test_unauthenticated_malformed_json_is_401_on_every_hook(api, db_url, path, secret):
    headers = {"content-type": "application/json"} | ({HOOK: secret} if secret else {})
    response = api.post(path, content=b"[[[{not json", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["message"] == UNAUTHORIZED_MESSAGE


def test_unauthenticated_malformed_multipart_is_401(api, db_url):
    headers = {"content-type": "multipart/form-data; boundary=x"}
    response = api.post(
        "/api/v1/onboarding/upload-documents", content=b"--x\r\nbroken", headers=headers
    )
    assert response.status_code == 401


def test_authenticated_malformed_json_is_still_422(api, make_user, world):
    user = make_user("Acme", "salesperson")
    headers = user.headers | {"content-type": "application/json"}
    response = api.post("/api/v1/sessions/start", content=b'{"broken": ', headers=headers)
    assert response.status_code == 422
    hook = api.post(
        HOOKS[2],
        content=b"{nope",
        headers={HOOK: world.env.hook_secret, "content-type": "application/json"},
    )
    assert hook.status_code == 422
