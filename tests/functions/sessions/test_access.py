"""Who may see, type into and end a session: owners, managers, other companies."""

from __future__ import annotations

import pytest

from tests.functions.sessions.data import HIDDEN_FACTS, insert_material, insert_persona


@pytest.fixture
def world_of_two(api, make_user, sql):
    alice = make_user("Acme", "salesperson")
    bob = make_user("Acme", "salesperson")
    boss = make_user("Acme", "manager")
    other = make_user("Globex", "manager")
    insert_material(sql, alice.company_id)
    persona = insert_persona(sql, alice.company_id)
    foreign_persona = insert_persona(sql, other.company_id, name="Estranho")
    started = api.post(
        "/api/v1/sessions/start",
        headers=alice.headers,
        json={"persona_id": str(persona), "mode": "text"},
    )
    assert started.status_code == 201
    return {
        "alice": alice,
        "bob": bob,
        "boss": boss,
        "other": other,
        "sid": started.json()["session_id"],
        "foreign_persona": foreign_persona,
    }


def test_owner_reads_with_transcript_and_no_hidden_facts(api, world_of_two):
    w = world_of_two
    response = api.get(f"/api/v1/sessions/{w['sid']}", headers=w["alice"].headers)
    assert response.status_code == 200
    body = response.json()
    assert body["transcript"][0]["index"] == 0 and body["transcript"][0]["speaker"] == "persona"
    assert HIDDEN_FACTS[0]["fact"] not in response.text and "persona_snapshot" not in body


def test_visibility_matrix(api, world_of_two):
    w = world_of_two
    path = f"/api/v1/sessions/{w['sid']}"
    assert api.get(path, headers=w["bob"].headers).status_code == 404
    assert api.get(path, headers=w["other"].headers).status_code == 404
    assert api.get(path, headers=w["boss"].headers).status_code == 200
    assert api.get(path).status_code == 401


def test_only_the_owner_types_and_ends(api, sql, world_of_two):
    w = world_of_two
    path = f"/api/v1/sessions/{w['sid']}"
    msg = {"text": "Bom dia!"}
    assert api.post(f"{path}/messages", headers=w["bob"].headers, json=msg).status_code == 404
    assert api.post(f"{path}/messages", headers=w["other"].headers, json=msg).status_code == 404
    assert api.post(f"{path}/messages", headers=w["boss"].headers, json=msg).status_code == 403
    assert api.post(f"{path}/end", headers=w["other"].headers).status_code == 404
    assert api.post(f"{path}/end", headers=w["boss"].headers).status_code == 403
    row = sql.execute(
        "select status, jsonb_array_length(transcript) as n from public.training_sessions"
    ).fetchone()
    assert row["status"] == "active" and row["n"] == 1


def test_ending_twice_is_harmless_and_grades_once(api, sql, world_of_two):
    w = world_of_two
    path = f"/api/v1/sessions/{w['sid']}/end"
    first = api.post(path, headers=w["alice"].headers)
    assert first.status_code == 200 and first.json()["status"] == "ended"
    second = api.post(path, headers=w["alice"].headers)
    assert second.status_code == 200 and second.json()["ended_at"] == first.json()["ended_at"]
    queued = sql.execute("select count(*) as n from net.http_request_queue").fetchone()
    assert queued["n"] == 1
    after = api.post(
        f"/api/v1/sessions/{w['sid']}/messages", headers=w["alice"].headers, json={"text": "oi"}
    )
    assert after.status_code == 409


def test_another_companys_persona_is_404(api, world_of_two):
    w = world_of_two
    response = api.post(
        "/api/v1/sessions/start",
        headers=w["alice"].headers,
        json={"persona_id": str(w["foreign_persona"]), "mode": "text"},
    )
    assert response.status_code == 404


def test_archived_persona_and_no_persona(api, sql, make_user):
    lonely = make_user("Initech", "salesperson")
    none = api.post("/api/v1/sessions/start", headers=lonely.headers, json={"mode": "text"})
    assert none.status_code == 409
    archived = insert_persona(sql, lonely.company_id, status="archived")
    response = api.post(
        "/api/v1/sessions/start",
        headers=lonely.headers,
        json={"persona_id": str(archived), "mode": "text"},
    )
    assert response.status_code in (404, 409)  # salespeople do not see archived personas


def test_lists_mine_and_team(api, world_of_two):
    w = world_of_two
    mine = api.get("/api/v1/sessions", headers=w["alice"].headers).json()
    assert [s["id"] for s in mine["items"]] == [w["sid"]]
    assert "transcript" not in mine["items"][0]
    assert api.get("/api/v1/sessions", headers=w["bob"].headers).json()["items"] == []
    assert api.get("/api/v1/sessions?scope=team", headers=w["bob"].headers).status_code == 403
    team = api.get("/api/v1/sessions?scope=team", headers=w["boss"].headers).json()
    assert [s["id"] for s in team["items"]] == [w["sid"]]
    assert team["items"][0]["user"]["email"] == w["alice"].email
    narrowed = api.get(
        f"/api/v1/sessions?scope=team&user_id={w['bob'].id}", headers=w["boss"].headers
    ).json()
    assert narrowed["items"] == []
    outsider = api.get("/api/v1/sessions?scope=team", headers=w["other"].headers).json()
    assert outsider["items"] == []


@pytest.mark.parametrize("company", ["Acme", "Globex"])
@pytest.mark.parametrize("role", ["salesperson", "manager", "admin"])
def test_isolation_matrix(api, sql, make_user, world_of_two, company, role):
    """Every endpoint, two companies x three roles, against Alice's session."""
    w = world_of_two
    caller = make_user(company, role)
    path = f"/api/v1/sessions/{w['sid']}"
    same = company == "Acme"
    sees = same and role != "salesperson"
    read = api.get(path, headers=caller.headers).status_code
    assert read == (200 if sees else 404)
    write = 403 if sees else 404
    post = api.post(f"{path}/messages", headers=caller.headers, json={"text": "Oi"})
    assert post.status_code == write
    assert api.post(f"{path}/end", headers=caller.headers).status_code == write
    mine = api.get("/api/v1/sessions", headers=caller.headers).json()["items"]
    assert mine == []
    team = api.get("/api/v1/sessions?scope=team", headers=caller.headers)
    if role == "salesperson":
        assert team.status_code == 403
    else:
        assert [s["id"] for s in team.json()["items"]] == ([w["sid"]] if same else [])
    row = sql.execute(
        "select status, jsonb_array_length(transcript) as n from public.training_sessions"
        " where id = %s",
        (w["sid"],),
    ).fetchone()
    assert row["status"] == "active" and row["n"] == 1
