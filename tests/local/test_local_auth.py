"""The local Supabase Auth subset that supabase-js signs in with (`dojo_local.local_auth`)."""

from __future__ import annotations

import time

import pytest

from dojo_local import accounts
from dojo_local.demo import COMPANY, DEMO_PASSWORD, PEOPLE

PASSWORD = "s3nha-forte-local"


@pytest.fixture
def member(sql):
    accounts.ensure_user(
        sql,
        "Ana@Acme.com.br",
        company="Acme",
        role="manager",
        full_name="Ana Lima",
        password=PASSWORD,
    )
    return "ana@acme.com.br"


def sign_in(api, email: str, password: str):
    return api.post(
        "/auth/v1/token?grant_type=password",
        json={"email": email, "password": password, "gotrue_meta_security": {}},
    )


def test_password_grant_returns_a_gotrue_session_whose_token_the_api_accepts(api, member):
    before = int(time.time())
    response = sign_in(api, "ANA@acme.com.br ", PASSWORD)
    assert response.status_code == 200
    session = response.json()
    assert session["token_type"] == "bearer"
    assert session["expires_in"] == 3600
    assert before + 3600 <= session["expires_at"] <= int(time.time()) + 3600
    assert session["refresh_token"]
    user = session["user"]
    assert user["email"] == member
    assert user["aud"] == "authenticated"
    assert user["role"] == "authenticated"
    assert user["app_metadata"]["provider"] == "email"
    assert user["user_metadata"] == {"full_name": "Ana Lima"}
    me = api.get(
        "/api/v1/auth/me", headers={"authorization": f"Bearer {session['access_token']}"}
    ).json()
    assert me["role"] == "manager"
    assert me["company"]["name"] == "Acme"


@pytest.mark.parametrize(
    ("email", "password"),
    [("ana@acme.com.br", "wrong"), ("nobody@acme.com.br", PASSWORD), ("ana@acme.com.br", "")],
)
def test_bad_credentials_are_one_indistinguishable_error(api, member, email, password):
    response = sign_in(api, email, password)
    assert response.status_code == 400
    assert response.json() == {
        "code": 400,
        "error_code": "invalid_credentials",
        "msg": "Invalid login credentials",
    }


def test_a_user_without_a_password_cannot_sign_in(api, sql):
    accounts.ensure_user(sql, "convidado@acme.com.br", company="Acme")
    assert sign_in(api, "convidado@acme.com.br", "").status_code == 400


def test_malformed_bodies_and_unknown_grants_are_400(api, member):
    assert api.post("/auth/v1/token?grant_type=password", content=b"{").status_code == 400
    assert api.post("/auth/v1/token?grant_type=password", json={"email": 1}).status_code == 400
    response = api.post("/auth/v1/token?grant_type=magic", json={})
    assert response.status_code == 400
    assert response.json()["error_code"] == "unsupported_grant_type"


def test_current_user_needs_a_valid_access_token(api, member):
    session = sign_in(api, member, PASSWORD).json()
    response = api.get(
        "/auth/v1/user", headers={"authorization": f"Bearer {session['access_token']}"}
    )
    assert response.status_code == 200
    assert response.json()["id"] == session["user"]["id"]
    assert api.get("/auth/v1/user").status_code == 401
    refresh_as_access = {"authorization": f"Bearer {session['refresh_token']}"}
    assert api.get("/auth/v1/user", headers=refresh_as_access).status_code == 403


def test_refresh_gives_a_new_pair_and_a_refresh_token_is_no_access_token(api, member):
    session = sign_in(api, member, PASSWORD).json()
    refreshed = api.post(
        "/auth/v1/token?grant_type=refresh_token", json={"refresh_token": session["refresh_token"]}
    )
    assert refreshed.status_code == 200
    pair = refreshed.json()
    assert pair["user"]["email"] == member
    headers = {"authorization": f"Bearer {pair['access_token']}"}
    assert api.get("/api/v1/auth/me", headers=headers).status_code == 200
    as_access = {"authorization": f"Bearer {session['refresh_token']}"}
    assert api.get("/api/v1/auth/me", headers=as_access).status_code == 401
    garbage = api.post("/auth/v1/token?grant_type=refresh_token", json={"refresh_token": "x.y.z"})
    assert garbage.status_code == 400


def test_logout_revokes_every_refresh_token_of_the_user(api, member):
    first = sign_in(api, member, PASSWORD).json()
    second = sign_in(api, member, PASSWORD).json()
    headers = {"authorization": f"Bearer {second['access_token']}"}
    assert api.post("/auth/v1/logout?scope=global", headers=headers).status_code == 204
    for session in (first, second):
        response = api.post(
            "/auth/v1/token?grant_type=refresh_token",
            json={"refresh_token": session["refresh_token"]},
        )
        assert response.status_code == 400
    assert api.post("/auth/v1/logout").status_code == 401
    time.sleep(0.01)
    again = sign_in(api, member, PASSWORD).json()
    response = api.post(
        "/auth/v1/token?grant_type=refresh_token", json={"refresh_token": again["refresh_token"]}
    )
    assert response.status_code == 200


def test_the_demo_people_sign_in_with_the_demo_password(api, sql):
    for email, name, role in PEOPLE:
        accounts.ensure_user(
            sql, email, company=COMPANY, role=role, full_name=name, password=DEMO_PASSWORD
        )
    for email, _, role in PEOPLE:
        session = sign_in(api, email, DEMO_PASSWORD).json()
        headers = {"authorization": f"Bearer {session['access_token']}"}
        assert api.get("/api/v1/auth/me", headers=headers).json()["role"] == role


def test_unknown_auth_paths_are_404_and_api_paths_never_serve_the_web_app(api):
    assert api.get("/auth/v1/settings").status_code == 404
    response = api.get("/api/v1/no-such-route")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_gateway_serves_the_web_apps_static_export(api, tmp_path, monkeypatch):
    from starlette.staticfiles import StaticFiles

    from dojo_local import gateway

    (tmp_path / "sessions" / "view").mkdir(parents=True)
    (tmp_path / "index.html").write_text("<p>início</p>")
    (tmp_path / "sessions" / "view" / "index.html").write_text("<p>sessão</p>")
    (tmp_path / "404.html").write_text("<p>não existe</p>")
    monkeypatch.setattr(gateway, "WEB_OUT", tmp_path)
    monkeypatch.setattr(gateway, "_web_static", StaticFiles(directory=tmp_path, html=True))
    assert "início" in api.get("/").text
    assert "sessão" in api.get("/sessions/view/?id=123").text
    assert "sessão" in api.get("/sessions/view?id=123").text
    missing = api.get("/nada/")
    assert missing.status_code == 404
    assert "não existe" in missing.text
    assert api.get("/api/v1/nada").json()["error"]["code"] == "not_found"
    assert api.get("/health").json()["status"] == "ok"


def test_sign_up_then_create_a_company_and_refresh_into_it(api, db_url):
    response = api.post(
        "/auth/v1/signup",
        json={
            "email": "Nova@Empresa.com.br",
            "password": "segredo1",
            "data": {"full_name": "Nova"},
        },
    )
    assert response.status_code == 200
    session = response.json()
    assert session["user"]["email"] == "nova@empresa.com.br"
    assert session["user"]["user_metadata"] == {"full_name": "Nova"}
    headers = {"authorization": f"Bearer {session['access_token']}"}
    assert api.get("/api/v1/auth/me", headers=headers).json()["company"] is None
    created = api.post("/api/v1/auth/company", headers=headers, json={"name": "Empresa Nova"})
    assert created.status_code == 201
    refreshed = api.post(
        "/auth/v1/token?grant_type=refresh_token", json={"refresh_token": session["refresh_token"]}
    ).json()
    me = api.get(
        "/api/v1/auth/me", headers={"authorization": f"Bearer {refreshed['access_token']}"}
    ).json()
    assert me["role"] == "admin"
    assert me["company"]["name"] == "Empresa Nova"
    assert sign_in(api, "nova@empresa.com.br", "segredo1").status_code == 200


def test_sign_up_refuses_taken_emails_weak_passwords_and_bad_addresses(api, member):
    taken = api.post("/auth/v1/signup", json={"email": member, "password": "outra-senha"})
    assert taken.status_code == 422
    assert taken.json()["error_code"] == "user_already_exists"
    assert sign_in(api, member, PASSWORD).status_code == 200
    weak = api.post("/auth/v1/signup", json={"email": "b@acme.com.br", "password": "123"})
    assert weak.status_code == 422
    assert weak.json()["error_code"] == "weak_password"
    bad = api.post("/auth/v1/signup", json={"email": "not-an-email", "password": "segredo1"})
    assert bad.status_code == 400
    assert sign_in(api, "b@acme.com.br", "123").status_code == 400
