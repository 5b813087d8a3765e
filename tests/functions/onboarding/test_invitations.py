"""Invitations ask the invitee: inviting creates a pending invitation, the person joins when they
accept it, and the answer to an invite never tells whether the email is known elsewhere."""

from __future__ import annotations

import hashlib
import json
import uuid
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from dojo_local import accounts

INVITE = "/api/v1/auth/members/invite"
INVITATIONS = "/api/v1/auth/invitations"
ACCEPT = "/api/v1/auth/invitations/accept"
ME = "/api/v1/auth/me"
SUPABASE = "https://proj.supabase.co"
REDIRECT = "https://app.example.com/invitations/accept/"


def _signed_up(world, sql, email: str, name: str | None = None) -> dict[str, str]:
    """A person who signed up (confirmed email) and belongs to no company yet."""
    accounts.ensure_user(sql, email, full_name=name)
    return _headers(world, email)


def _headers(world, email: str) -> dict[str, str]:
    token = accounts.issue_token(world.env.database_url, email, world.env.issuer)
    return {"authorization": f"Bearer {token}"}


def _token(body: dict) -> str:
    return parse_qs(urlsplit(body["accept_url"]).query)["token"][0]


def _count(sql, table: str) -> int:
    return sql.execute(f"select count(*) as n from {table}").fetchone()["n"]


def test_an_invite_is_a_pending_invitation_until_the_invitee_accepts(
    api, make_user, sql, world
) -> None:
    manager = make_user("Acme", "manager")
    invite = {"email": "New.Seller@Acme.com.br", "role": "salesperson", "full_name": " Nova "}
    response = api.post(INVITE, json=invite, headers=manager.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["email"] == "new.seller@acme.com.br"
    assert (body["role"], body["full_name"], body["expired"]) == ("salesperson", "Nova", False)
    assert body["invited_by"] == str(manager.id)
    assert body["accept_url"].startswith(f"{world.env.base_url}/invitations/accept/?token=")
    # nobody joined, no account was made for them, the token is kept only as its hash
    assert _count(sql, "public.profiles") == 1
    assert (
        sql.execute("select 1 from auth.users where email = %s", (body["email"],)).fetchone()
        is None
    )
    token = _token(body)
    stored = sql.execute("select * from public.invitations").fetchone()
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(stored, default=str)
    listed = api.get(INVITATIONS, headers=manager.headers).json()
    assert [i["id"] for i in listed] == [body["id"]] and listed[0]["accept_url"] is None

    invitee = _signed_up(world, sql, "new.seller@acme.com.br", name="Nova Vendedora")
    accepted = api.post(ACCEPT, json={"token": token}, headers=invitee)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["company"]["id"] == str(manager.company_id)
    assert accepted.json()["role"] == "salesperson"
    assert accepted.json()["refresh_required"] is True
    me = api.get(ME, headers=_headers(world, "new.seller@acme.com.br")).json()
    assert me["company"]["name"] == "Acme" and me["role"] == "salesperson"
    assert me["full_name"] == "Nova"
    assert api.get(INVITATIONS, headers=manager.headers).json() == []
    # the link is spent
    assert api.post(ACCEPT, json={"token": token}, headers=invitee).status_code == 404


def test_inviting_again_refreshes_the_invitation(api, make_user, sql, world) -> None:
    manager = make_user("Acme", "manager")
    first = api.post(INVITE, json={"email": "rep@acme.com.br"}, headers=manager.headers).json()
    second = api.post(
        INVITE, json={"email": "REP@acme.com.br", "role": "manager"}, headers=manager.headers
    ).json()
    assert second["id"] == first["id"] and second["role"] == "manager"
    assert _count(sql, "public.invitations") == 1
    invitee = _signed_up(world, sql, "rep@acme.com.br")
    stale = api.post(ACCEPT, json={"token": _token(first)}, headers=invitee)
    assert stale.status_code == 404
    assert stale.json()["error"]["code"] == "invitation_not_found"
    fresh = api.post(ACCEPT, json={"token": _token(second)}, headers=invitee)
    assert fresh.status_code == 200 and fresh.json()["role"] == "manager"


def test_the_answer_to_an_invite_says_nothing_about_who_the_email_is(
    api, make_user, sql, world
) -> None:
    manager = make_user("Acme", "manager")
    elsewhere = make_user("Beta", "salesperson")
    _signed_up(world, sql, "loner@gmail.com")
    profiles = sql.execute(
        "select id, company_id, role from public.profiles order by id"
    ).fetchall()
    answers = [
        api.post(INVITE, json={"email": email}, headers=manager.headers)
        for email in ("unknown@gmail.com", elsewhere.email, "loner@gmail.com")
    ]
    assert [a.status_code for a in answers] == [201, 201, 201]
    bodies = [a.json() for a in answers]
    per_invite = {"id", "email", "created_at", "expires_at", "accept_url"}
    assert len({json.dumps(sorted(b)) for b in bodies}) == 1  # the same fields
    same = [{k: v for k, v in b.items() if k not in per_invite} for b in bodies]
    assert same[0] == same[1] == same[2]
    assert all("Beta" not in a.text for a in answers)
    # nobody was added anywhere: not the one in Beta, not the one without a company
    assert (
        sql.execute("select id, company_id, role from public.profiles order by id").fetchall()
        == profiles
    )


def test_a_member_of_another_company_hears_why_only_when_accepting(
    api, make_user, sql, world
) -> None:
    manager = make_user("Acme", "manager")
    elsewhere = make_user("Beta", "salesperson")
    body = api.post(INVITE, json={"email": elsewhere.email}, headers=manager.headers).json()
    refused = api.post(ACCEPT, json={"token": _token(body)}, headers=elsewhere.headers)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "already_in_a_company"
    assert "already belong to a company" in refused.json()["error"]["message"]
    row = sql.execute("select company_id, role from profiles where id = %s", (elsewhere.id,))
    assert row.fetchone() == {"company_id": elsewhere.company_id, "role": "salesperson"}
    # the inviter's view is unchanged: still pending
    listed = api.get(INVITATIONS, headers=manager.headers).json()
    assert [i["email"] for i in listed] == [elsewhere.email]


def test_only_the_invited_confirmed_email_can_accept(api, make_user, sql, world) -> None:
    manager = make_user("Acme", "manager")
    body = api.post(INVITE, json={"email": "rep@acme.com.br"}, headers=manager.headers).json()
    token = _token(body)
    someone_else = _signed_up(world, sql, "other@gmail.com")
    wrong = api.post(ACCEPT, json={"token": token}, headers=someone_else)
    assert wrong.status_code == 403
    assert wrong.json()["error"]["code"] == "invitation_email_mismatch"
    # the right address, not confirmed yet
    sql.execute("insert into auth.users (email) values ('rep@acme.com.br')")
    unconfirmed = api.post(
        ACCEPT, json={"token": token}, headers=_headers(world, "rep@acme.com.br")
    )
    assert unconfirmed.status_code == 403
    assert _count(sql, "public.profiles") == 1
    assert _count(sql, "public.invitations") == 1
    sql.execute("update auth.users set email_confirmed_at = now() where email = 'rep@acme.com.br'")
    ok = api.post(ACCEPT, json={"token": token}, headers=_headers(world, "rep@acme.com.br"))
    assert ok.status_code == 200


def test_expired_revoked_and_unknown_links_do_nothing(api, make_user, sql, world) -> None:
    manager = make_user("Acme", "manager")
    invitee = _signed_up(world, sql, "rep@acme.com.br")
    body = api.post(INVITE, json={"email": "rep@acme.com.br"}, headers=manager.headers).json()
    sql.execute("update public.invitations set expires_at = now() - interval '1 minute'")
    assert api.get(INVITATIONS, headers=manager.headers).json()[0]["expired"] is True
    expired = api.post(ACCEPT, json={"token": _token(body)}, headers=invitee)
    assert (expired.status_code, expired.json()["error"]["code"]) == (410, "invitation_expired")

    body = api.post(INVITE, json={"email": "rep@acme.com.br"}, headers=manager.headers).json()
    revoked = api.delete(f"{INVITATIONS}/{body['id']}", headers=manager.headers)
    assert revoked.status_code == 204
    assert api.post(ACCEPT, json={"token": _token(body)}, headers=invitee).status_code == 404
    unknown = api.post(ACCEPT, json={"token": "x" * 43}, headers=invitee)
    assert unknown.status_code == 404
    assert _count(sql, "public.profiles") == 1


def test_invitations_are_the_companys_managers_business(api, make_user, world, sql) -> None:
    manager = make_user("Acme", "manager")
    seller = make_user("Acme", "salesperson")
    outsider = make_user("Beta", "admin")
    body = api.post(INVITE, json={"email": "rep@acme.com.br"}, headers=manager.headers).json()
    assert api.get(INVITATIONS, headers=seller.headers).status_code == 403
    assert api.delete(f"{INVITATIONS}/{body['id']}", headers=seller.headers).status_code == 403
    assert api.get(INVITATIONS, headers=outsider.headers).json() == []
    assert api.delete(f"{INVITATIONS}/{body['id']}", headers=outsider.headers).status_code == 404
    assert api.delete(f"{INVITATIONS}/{uuid.uuid4()}", headers=manager.headers).status_code == 404
    assert _count(sql, "public.invitations") == 1
    # one's own company's members are no secret to its manager
    again = api.post(INVITE, json={"email": seller.email}, headers=manager.headers)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_a_member")


def test_only_an_admin_invites_an_admin(api, make_user, world, sql) -> None:
    manager = make_user("Acme", "manager")
    admin = make_user("Acme", "admin")
    boss = {"email": "boss@acme.com.br", "role": "admin"}
    assert api.post(INVITE, json=boss, headers=manager.headers).status_code == 403
    body = api.post(INVITE, json=boss, headers=admin.headers).json()
    invitee = _signed_up(world, sql, "boss@acme.com.br")
    assert api.post(ACCEPT, json={"token": _token(body)}, headers=invitee).json()["role"] == "admin"


@pytest.mark.parametrize(
    "body",
    [
        {"email": "not-an-email"},
        {"email": "a@b.co", "role": "owner"},
        {"email": "a@b.co", "full_name": "x" * 201},
    ],
)
def test_invite_validation(api, make_user, body) -> None:
    manager = make_user("Acme", "manager")
    response = api.post(INVITE, json=body, headers=manager.headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_a_blank_name_is_no_name(api, make_user) -> None:
    manager = make_user("Acme", "manager")
    body = api.post(
        INVITE, json={"email": "rep@acme.com.br", "full_name": "   "}, headers=manager.headers
    ).json()
    assert body["full_name"] is None


# --- production: Supabase Auth's invite flow (respx, in GoTrue's shapes) ------------------------


@pytest.fixture
def supabase_auth(settings_env, mock_http):
    settings_env(
        auth_admin_provider="supabase",
        supabase_url=SUPABASE,
        supabase_service_key="service-key-secret",
        invite_redirect_url=REDIRECT,
    )
    return mock_http


def _gotrue_user(email: str) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "aud": "authenticated",
        "role": "authenticated",
        "email": email,
        "invited_at": "2026-12-03T10:00:00Z",
        "app_metadata": {"provider": "email", "providers": ["email"]},
        "user_metadata": {},
        "created_at": "2026-12-03T10:00:00Z",
        "updated_at": "2026-12-03T10:00:00Z",
    }


def _redirect(request: httpx.Request) -> tuple[str, str]:
    """(page, token) of the `redirect_to` the email's link lands on."""
    target = urlsplit(request.url.params["redirect_to"])
    return target._replace(query="").geturl(), parse_qs(target.query)["token"][0]


def test_production_invites_through_supabase_and_answers_alike_for_existing_accounts(
    api, make_user, sql, supabase_auth
) -> None:
    def invite(request: httpx.Request) -> httpx.Response:
        email = json.loads(request.content)["email"]
        if email == "known@gmail.com":
            return httpx.Response(
                422,
                json={
                    "code": 422,
                    "error_code": "email_exists",
                    "msg": "A user with this email address has already been registered",
                },
            )
        return httpx.Response(200, json=_gotrue_user(email))

    invites = supabase_auth.post(f"{SUPABASE}/auth/v1/invite").mock(side_effect=invite)
    magic_links = supabase_auth.post(f"{SUPABASE}/auth/v1/otp").mock(
        return_value=httpx.Response(200, json={})
    )
    manager = make_user("Acme", "manager")
    new = api.post(
        INVITE, json={"email": "new@gmail.com", "full_name": "Rep"}, headers=manager.headers
    )
    known = api.post(INVITE, json={"email": "known@gmail.com"}, headers=manager.headers)
    assert (new.status_code, known.status_code) == (201, 201)
    assert sorted(new.json()) == sorted(known.json())
    assert new.json()["accept_url"] is None and known.json()["accept_url"] is None

    sent = invites.calls[0].request
    assert sent.headers["apikey"] == "service-key-secret"
    assert sent.headers["authorization"] == "Bearer service-key-secret"
    assert json.loads(sent.content) == {"email": "new@gmail.com", "data": {"full_name": "Rep"}}
    page, token = _redirect(sent)
    assert page == REDIRECT
    stored = sql.execute(
        "select token_hash from public.invitations where email = 'new@gmail.com'"
    ).fetchone()
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    # an existing account cannot be "invited" by Supabase: it gets a magic link to the same page
    assert len(magic_links.calls) == 1
    link = magic_links.calls[0].request
    assert json.loads(link.content) == {"email": "known@gmail.com", "create_user": False}
    assert _redirect(link)[0] == REDIRECT
    assert _count(sql, "public.invitations") == 2
    assert _count(sql, "public.profiles") == 1


def test_production_invite_failure_is_502_and_stores_nothing(
    api, make_user, sql, supabase_auth
) -> None:
    supabase_auth.post(f"{SUPABASE}/auth/v1/invite").mock(
        return_value=httpx.Response(500, json={"code": 500, "msg": "boom"})
    )
    manager = make_user("Acme", "manager")
    response = api.post(INVITE, json={"email": "rep@acme.com.br"}, headers=manager.headers)
    assert response.status_code == 502
    assert "boom" not in response.text
    assert _count(sql, "public.invitations") == 0
    supabase_auth.post(f"{SUPABASE}/auth/v1/invite").mock(side_effect=httpx.ConnectError("down"))
    assert (
        api.post(INVITE, json={"email": "rep@acme.com.br"}, headers=manager.headers).status_code
        == 502
    )
    assert _count(sql, "public.invitations") == 0


def test_production_invite_needs_the_redirect_page(
    api, make_user, settings_env, supabase_auth
) -> None:
    settings_env(invite_redirect_url="")
    manager = make_user("Acme", "manager")
    response = api.post(INVITE, json={"email": "rep@acme.com.br"}, headers=manager.headers)
    assert response.status_code == 503
    assert "DOJO_INVITE_REDIRECT_URL" in response.json()["error"]["message"]


def test_the_accept_link_keeps_the_pages_own_query(settings_env) -> None:
    from onboarding.invitations import accept_url

    settings_env(invite_redirect_url="https://app.example.com/join/?lang=en&token=old")
    assert accept_url("abc") == "https://app.example.com/join/?lang=en&token=abc"
