"""Authorization reads the present membership, not the token's past (issue 12).

The token proves who the caller is; the company and role come from `public.profiles` on every
request. Each test keeps the token it was issued before the change and uses it again after.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from dojo_local import accounts, keys
from tests.functions.sessions.data import insert_material, insert_persona

MEMBERS = "/api/v1/auth/members"
ME = "/api/v1/auth/me"
START = "/api/v1/sessions/start"
UPLOAD = "/api/v1/onboarding/upload-documents"


@pytest.fixture
def acme(api, make_user, sql) -> dict[str, Any]:
    admin = make_user("Acme", "admin")
    manager = make_user("Acme", "manager")
    seller = make_user("Acme", "salesperson")
    insert_material(sql, admin.company_id)
    persona = insert_persona(sql, admin.company_id)
    started = api.post(
        START, headers=seller.headers, json={"persona_id": str(persona), "mode": "text"}
    )
    assert started.status_code == 201
    return {"admin": admin, "manager": manager, "seller": seller, "persona": persona}


def _set_role(api: Any, admin: Any, user: Any, role: str) -> None:
    response = api.patch(f"{MEMBERS}/{user.id}", headers=admin.headers, json={"role": role})
    assert response.status_code == 200, response.text


def _assert_access_removed(response: Any) -> None:
    assert response.status_code == 403, response.text
    assert response.json()["error"]["code"] == "access_removed"


def test_a_demoted_manager_is_refused_on_the_next_request(api, acme):
    manager, persona = acme["manager"], acme["persona"]
    edit = {"difficulty": "hard"}
    assert api.get(MEMBERS, headers=manager.headers).status_code == 200
    assert api.get("/api/v1/sessions?scope=team", headers=manager.headers).status_code == 200
    assert (
        api.patch(f"/api/v1/personas/{persona}", headers=manager.headers, json=edit).status_code
        == 200
    )

    _set_role(api, acme["admin"], manager, "salesperson")

    # the same token, still saying user_role=manager
    assert api.get(MEMBERS, headers=manager.headers).status_code == 403
    assert api.get("/api/v1/sessions?scope=team", headers=manager.headers).status_code == 403
    refused = api.patch(f"/api/v1/personas/{persona}", headers=manager.headers, json=edit)
    assert refused.status_code == 403
    assert api.get(ME, headers=manager.headers).json()["role"] == "salesperson"


def test_a_promoted_salesperson_gets_the_rights_without_signing_in_again(api, acme):
    seller = acme["seller"]
    assert api.get(MEMBERS, headers=seller.headers).status_code == 403
    team = api.get("/api/v1/sessions?scope=team", headers=seller.headers)
    assert team.status_code == 403

    _set_role(api, acme["admin"], seller, "manager")

    listed = api.get(MEMBERS, headers=seller.headers)
    assert listed.status_code == 200
    assert {m["email"] for m in listed.json()} >= {seller.email, acme["manager"].email}
    team = api.get("/api/v1/sessions?scope=team", headers=seller.headers)
    assert team.status_code == 200 and team.json()["items"]
    assert api.get(ME, headers=seller.headers).json()["role"] == "manager"


@pytest.mark.parametrize("who", ["seller", "manager"])
def test_a_removed_member_is_refused_everywhere_on_the_next_request(api, world, acme, sql, who):
    user, persona = acme[who], acme["persona"]
    assert api.get("/api/v1/onboarding/documents", headers=user.headers).status_code == 200

    removed = api.delete(f"{MEMBERS}/{user.id}", headers=acme["admin"].headers)
    assert removed.status_code == 204

    for path in (
        "/api/v1/onboarding/documents",
        "/api/v1/onboarding/search?q=plano",
        "/api/v1/personas",
        f"/api/v1/personas/{persona}",
        "/api/v1/sessions",
        "/api/v1/feedback/me/progress",
        ME,
    ):
        _assert_access_removed(api.get(path, headers=user.headers))
    body = {"persona_id": str(persona), "mode": "text"}
    _assert_access_removed(api.post(START, headers=user.headers, json=body))
    upload = api.post(
        UPLOAD, headers=user.headers, files=[("files", ("a.txt", b"preco", "text/plain"))]
    )
    _assert_access_removed(upload)
    # nothing was written on their behalf
    count = sql.execute(
        "select count(*) as n from training_sessions where user_id = %s", (user.id,)
    ).fetchone()
    assert count["n"] == 0
    # signing in again gives a token without the company: a user who may create or join one
    fresh = accounts.issue_token(world.env.database_url, user.email, world.env.issuer)
    me = api.get(ME, headers={"authorization": f"Bearer {fresh}"})
    assert me.status_code == 200 and me.json()["company"] is None


def _token(world: Any, user_id: uuid.UUID, email: str, **claims: Any) -> dict[str, str]:
    payload = keys.base_claims(user_id, email, world.env.issuer)
    payload.update(claims)
    return {"authorization": f"Bearer {keys.sign(payload)}"}


def test_a_token_for_a_company_that_does_not_exist_is_a_clean_403(api, world, sql, acme):
    persona = acme["persona"]
    ghost = uuid.uuid4()
    # a user with no profile, and a token naming a company that does not exist
    user_id = accounts.ensure_user(sql, "nobody@ghost.test")
    headers = _token(world, user_id, "nobody@ghost.test", company_id=str(ghost), user_role="admin")
    files = [("files", ("a.txt", b"preco do plano", "text/plain"))]
    documents = sql.execute("select count(*) as n from documents").fetchone()["n"]
    _assert_access_removed(api.post(UPLOAD, headers=headers, files=files))
    body = {"persona_id": str(persona), "mode": "text"}
    _assert_access_removed(api.post(START, headers=headers, json=body))
    assert sql.execute("select count(*) as n from documents").fetchone()["n"] == documents
    # a subject that is no user at all: the same clean refusal, never a 500
    stranger = _token(world, uuid.uuid4(), "x@ghost.test", company_id=str(ghost), user_role="admin")
    _assert_access_removed(api.post(START, headers=stranger, json=body))
    _assert_access_removed(api.post(UPLOAD, headers=stranger, files=files))


def test_a_member_of_another_company_acts_in_their_present_company(api, world, make_user, acme):
    other = make_user("Globex", "admin")
    # validly signed, naming Acme as admin: the present membership (Globex) is what counts
    headers = _token(
        world, other.id, other.email, company_id=str(acme["admin"].company_id), user_role="admin"
    )
    me = api.get(ME, headers=headers).json()
    assert me["company"]["name"] == "Globex"
    emails = {m["email"] for m in api.get(MEMBERS, headers=headers).json()}
    assert emails == {other.email}
    assert api.get(f"/api/v1/personas/{acme['persona']}", headers=headers).status_code == 404


def test_without_a_company_member_routes_say_join_one_first(api, world, sql):
    user_id = accounts.ensure_user(sql, "new@solo.test")
    headers = _token(world, user_id, "new@solo.test")
    me = api.get(ME, headers=headers)
    assert me.status_code == 200 and me.json()["company"] is None
    refused = api.get("/api/v1/personas", headers=headers)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "no_company"


def test_a_member_without_company_claims_is_still_a_member(api, world, acme):
    admin = acme["admin"]
    headers = _token(world, admin.id, admin.email)  # no company_id/user_role hints at all
    assert api.get(MEMBERS, headers=headers).status_code == 200
    assert api.get(ME, headers=headers).json()["role"] == "admin"
