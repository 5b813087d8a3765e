"""The /api/v1/auth routes: me, company creation, members, invitations, role changes."""

from __future__ import annotations

import uuid

import pytest

from dojo_local import keys


def _token_without_company(world, sql, email: str, name: str | None = None) -> dict[str, str]:
    user_id = sql.execute(
        "insert into auth.users (email) values (%s) returning id", (email,)
    ).fetchone()["id"]
    claims = keys.base_claims(user_id, email, world.env.issuer)
    if name:
        claims["user_metadata"] = {"full_name": name}
    return {"authorization": f"Bearer {keys.sign(claims)}"}


def test_new_user_creates_a_company_and_becomes_admin(api, world, sql):
    headers = _token_without_company(world, sql, "founder@new.test", name="Fernanda Alves")
    me = api.get("/api/v1/auth/me", headers=headers).json()
    assert me["company"] is None and me["role"] is None
    created = api.post("/api/v1/auth/company", json={"name": " Nova Ltda "}, headers=headers)
    assert created.status_code == 201
    body = created.json()
    assert body["company"]["name"] == "Nova Ltda"
    assert body["role"] == "admin" and body["refresh_required"] is True
    profile = sql.execute("select role, full_name from profiles").fetchone()
    assert profile == {"role": "admin", "full_name": "Fernanda Alves"}
    again = api.post("/api/v1/auth/company", json={"name": "Twice"}, headers=headers)
    assert again.status_code == 409
    assert sql.execute("select count(*) as n from companies").fetchone()["n"] == 1


def test_member_of_a_company_cannot_create_another(api, make_user):
    user = make_user("Acme", "admin")
    response = api.post("/api/v1/auth/company", json={"name": "Other"}, headers=user.headers)
    assert response.status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "   "},
        {"name": "\t\n "},
        {"name": "x" * 201},
        {"name": "x", "locale": "fr"},
    ],
)
def test_company_validation(api, world, sql, body):
    headers = _token_without_company(world, sql, f"{uuid.uuid4().hex[:6]}@new.test")
    response = api.post("/api/v1/auth/company", json=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_members_list_is_confined_to_the_company(api, make_user):
    manager = make_user("Acme", "manager")
    make_user("Acme", "salesperson")
    make_user("Beta", "admin")
    members = api.get("/api/v1/auth/members", headers=manager.headers).json()
    assert len(members) == 2
    assert all(m["email"].endswith("acme.com.br") for m in members)


def test_salesperson_cannot_list_or_invite(api, make_user):
    seller = make_user("Acme", "salesperson")
    assert api.get("/api/v1/auth/members", headers=seller.headers).status_code == 403
    invite = {"email": "x@acme.com.br", "role": "salesperson"}
    response = api.post("/api/v1/auth/members/invite", json=invite, headers=seller.headers)
    assert response.status_code == 403


def test_manager_cannot_invite_an_admin(api, make_user):
    manager = make_user("Acme", "manager")
    invite = {"email": "boss@acme.com.br", "role": "admin"}
    response = api.post("/api/v1/auth/members/invite", json=invite, headers=manager.headers)
    assert response.status_code == 403


def test_admin_changes_roles_but_the_last_admin_stays(api, make_user):
    admin = make_user("Acme", "admin")
    seller = make_user("Acme", "salesperson")
    path = f"/api/v1/auth/members/{seller.id}"
    promoted = api.patch(path, json={"role": "manager"}, headers=admin.headers)
    assert promoted.status_code == 200 and promoted.json()["role"] == "manager"
    self_demote = api.patch(
        f"/api/v1/auth/members/{admin.id}", json={"role": "manager"}, headers=admin.headers
    )
    assert self_demote.status_code == 409
    removed = api.delete(f"/api/v1/auth/members/{admin.id}", headers=admin.headers)
    assert removed.status_code == 409
    second = make_user("Acme", "admin")
    assert (
        api.patch(
            f"/api/v1/auth/members/{admin.id}", json={"role": "manager"}, headers=second.headers
        ).status_code
        == 200
    )


def test_role_changes_need_admin_and_stay_in_the_company(api, make_user):
    admin = make_user("Acme", "admin")
    manager = make_user("Acme", "manager")
    seller = make_user("Acme", "salesperson")
    outsider = make_user("Beta", "salesperson")
    body = {"role": "manager"}
    assert (
        api.patch(
            f"/api/v1/auth/members/{seller.id}", json=body, headers=manager.headers
        ).status_code
        == 403
    )
    assert (
        api.patch(
            f"/api/v1/auth/members/{outsider.id}", json=body, headers=admin.headers
        ).status_code
        == 404
    )
    assert (
        api.delete(f"/api/v1/auth/members/{outsider.id}", headers=admin.headers).status_code == 404
    )
    assert (
        api.patch(
            f"/api/v1/auth/members/{uuid.uuid4()}", json=body, headers=admin.headers
        ).status_code
        == 404
    )
    bad = api.patch(
        f"/api/v1/auth/members/{seller.id}", json={"role": "owner"}, headers=admin.headers
    )
    assert bad.status_code == 422


def test_admin_removes_a_member(api, make_user, sql):
    admin = make_user("Acme", "admin")
    seller = make_user("Acme", "salesperson")
    assert api.delete(f"/api/v1/auth/members/{seller.id}", headers=admin.headers).status_code == 204
    assert sql.execute("select 1 from profiles where id = %s", (seller.id,)).fetchone() is None
