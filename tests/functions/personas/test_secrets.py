"""Persona secrets are for managers: through our API, through the Data API's view of the table
(role `authenticated` with a salesperson's claims, as PostgREST runs it), and the sessions function
still gets the whole persona for the salesperson's own session."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import jwt
import psycopg
import pytest
from psycopg.rows import dict_row

BASE = "/api/v1/personas"
# every key that gives the exercise away, at any depth of a salesperson's answer
SECRET_KEYS = (
    "hidden_facts",
    "reveal_when",
    "objections",
    "end_conditions",
    "traits",
    "goals",
    "pains",
    "speaking_style",
    "current_solution",
    "budget",
    "decision_process",
    "chunk_ids",
)
CARD_KEYS = {
    "id",
    "name",
    "role",
    "seniority",
    "company_profile",
    "difficulty",
    "locale",
    "status",
    "generator",
    "offline",
    "created_at",
    "updated_at",
}


class Denied(Exception):
    """The database refused the statement (missing privilege)."""


def _secrets(persona: dict[str, Any]) -> set[str]:
    """The texts a persona hides, as a manager reads them."""
    texts = {f["fact"] for f in persona["hidden_facts"]}
    texts |= {f["reveal_when"] for f in persona["hidden_facts"]}
    texts |= {o["text"] for o in persona["objections"]}
    texts |= {*persona["end_conditions"], *persona["goals"], *persona["pains"]}
    texts |= {*persona["traits"], persona["speaking_style"]}
    profile = persona["company_profile"]
    texts |= {str(profile[k]) for k in ("current_solution", "budget", "decision_process")}
    return {t for t in texts if t}


def _assert_no_secrets(text: str, personas: list[dict[str, Any]]) -> None:
    for key in SECRET_KEYS:
        assert not re.search(rf'"{key}"\s*:', text), f"{key} reached a salesperson"
    for persona in personas:
        for secret in _secrets(persona):
            assert secret not in text, f"{persona['name']}: {secret!r} reached a salesperson"


@pytest.fixture
def team(api, make_user, material) -> dict[str, Any]:
    """A company with a generated set (one persona archived), its manager and a salesperson."""
    manager = make_user("Acme", "manager")
    seller = make_user("Acme", "salesperson")
    material(manager.company_id)
    generated = api.post(f"{BASE}/generate", headers=manager.headers, json={"count": 5})
    assert generated.status_code in (201, 202), generated.text
    personas = api.get(BASE, headers=manager.headers).json()
    assert len(personas) == 5 and all(p["hidden_facts"] and p["objections"] for p in personas)
    archived = personas[0]["id"]
    assert api.post(f"{BASE}/{archived}/archive", headers=manager.headers).status_code == 200
    return {
        "manager": manager,
        "seller": seller,
        "personas": api.get(BASE, headers=manager.headers).json(),
        "archived": archived,
    }


def test_salesperson_lists_and_reads_cards_only(api, team):
    seller, personas = team["seller"], team["personas"]
    for query in ({}, {"status": "active"}, {"status": "all"}, {"status": "archived"}):
        response = api.get(BASE, headers=seller.headers, params=query)
        assert response.status_code == 200
        _assert_no_secrets(response.text, personas)
        for card in response.json():
            assert set(card) == CARD_KEYS
            assert set(card["company_profile"]) <= {"segment", "size", "region"}
            assert card["status"] == "active"
    cards = api.get(BASE, headers=seller.headers).json()
    assert {c["id"] for c in cards} == {p["id"] for p in personas if p["id"] != team["archived"]}
    first = next(p for p in personas if p["id"] != team["archived"])
    card = next(c for c in cards if c["id"] == first["id"])
    # what a caller knows before the call is all there
    assert (card["name"], card["role"], card["difficulty"]) == (
        first["name"],
        first["role"],
        first["difficulty"],
    )
    assert card["company_profile"]["segment"] == first["company_profile"]["segment"]
    one = api.get(f"{BASE}/{first['id']}", headers=seller.headers)
    assert one.status_code == 200 and set(one.json()) == CARD_KEYS
    _assert_no_secrets(one.text, personas)
    assert api.get(f"{BASE}/{team['archived']}", headers=seller.headers).status_code == 404


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_admins_still_read_everything(api, make_user, team, role):
    reader = team["manager"] if role == "manager" else make_user("Acme", "admin")
    listed = api.get(BASE, headers=reader.headers).json()
    assert len(listed) == 5
    for persona in listed:
        assert persona["hidden_facts"][0]["reveal_when"] and persona["end_conditions"]
        one = api.get(f"{BASE}/{persona['id']}", headers=reader.headers).json()
        assert one["hidden_facts"] == persona["hidden_facts"]
        assert one["objections"] == persona["objections"]


def test_what_else_a_salesperson_can_reach_carries_no_secret(api, team, sql):
    seller, personas = team["seller"], team["personas"]
    job = sql.execute(
        "select id from public.persona_generations where company_id = %s limit 1",
        (seller.company_id,),
    ).fetchone()
    generation = job["id"] if job else uuid.uuid4()
    pid = personas[1]["id"]
    answers = [
        api.post(f"{BASE}/generate", headers=seller.headers, json={"count": 5}),
        api.post(f"{BASE}/regenerate", headers=seller.headers),
        api.get(f"{BASE}/generations/{generation}", headers=seller.headers),
        api.patch(f"{BASE}/{pid}", headers=seller.headers, json={"name": "X"}),
        api.post(f"{BASE}/{pid}/archive", headers=seller.headers),
        api.post(f"{BASE}/{pid}/unarchive", headers=seller.headers),
    ]
    for answer in answers:
        assert answer.status_code == 403, answer.text
        _assert_no_secrets(answer.text, personas)
    # starting a session shows who is on the line, never what they hide
    started = api.post(
        "/api/v1/sessions/start", headers=seller.headers, json={"persona_id": pid, "mode": "text"}
    )
    assert started.status_code == 201, started.text
    _assert_no_secrets(started.text, personas)


def _claims(user: Any) -> dict[str, Any]:
    """The claims of the user's own access token (what PostgREST puts in request.jwt.claims)."""
    return dict(jwt.decode(user.token, options={"verify_signature": False}))


def run_as(db_url: str, user: Any | None, query: str, *params: Any) -> list[dict[str, Any]]:
    """One statement as role `authenticated` with the user's claims (anon without a user),
    rolled back."""
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        try:
            with conn.transaction(force_rollback=True):
                claims = _claims(user) if user else {"role": "anon"}
                conn.execute(
                    "select set_config('role', %s, true),"
                    " set_config('request.jwt.claims', %s, true)",
                    ("authenticated" if user else "anon", json.dumps(claims)),
                )
                cur = conn.execute(query, params)
                return cur.fetchall() if cur.description else []
        except psycopg.errors.InsufficientPrivilege as exc:
            raise Denied(str(exc)) from exc


def test_data_api_salesperson_reads_cards_never_the_secrets(db_url, team):
    seller, manager, personas = team["seller"], team["manager"], team["personas"]
    assert run_as(db_url, seller, "select * from public.personas") == []
    assert run_as(db_url, seller, "select hidden_facts, objections from public.personas") == []
    pid = personas[1]["id"]
    changed = run_as(
        db_url,
        seller,
        "update public.personas set name = name where id = %s returning hidden_facts",
        pid,
    )
    assert changed == []
    cards = run_as(db_url, seller, "select * from public.persona_cards")
    assert {str(c["id"]) for c in cards} == {
        p["id"] for p in personas if p["id"] != team["archived"]
    }
    assert set(cards[0]) == CARD_KEYS | {"company_id"}
    _assert_no_secrets(json.dumps(cards, default=str), personas)
    # the private helpers behind the view are no way around it
    direct = run_as(db_url, seller, "select * from private.persona_cards()")
    _assert_no_secrets(json.dumps(direct, default=str), personas)
    # a manager still reads the whole table, secrets included
    full = run_as(db_url, manager, "select id, hidden_facts, end_conditions from public.personas")
    assert len(full) == 5
    by_id = {str(r["id"]): r for r in full}
    for persona in personas:
        assert by_id[persona["id"]]["hidden_facts"] == persona["hidden_facts"]
        assert by_id[persona["id"]]["end_conditions"] == persona["end_conditions"]
    assert len(run_as(db_url, manager, "select * from public.persona_cards")) == 5


def test_data_api_other_companies_and_anon_see_no_card(db_url, make_user, team):
    rival = make_user("Rival", "salesperson")
    rival_manager = make_user("Rival", "manager")
    for user in (rival, rival_manager):
        assert run_as(db_url, user, "select * from public.persona_cards") == []
        assert run_as(db_url, user, "select * from public.personas") == []
        pid = team["personas"][1]["id"]
        assert run_as(db_url, user, "select * from private.persona_for_session(%s)", pid) == []
        assert run_as(db_url, user, "select * from private.persona_for_session(null)") == []
    with pytest.raises(Denied):
        run_as(db_url, None, "select * from public.persona_cards")
    with pytest.raises(Denied):
        run_as(db_url, None, "select * from private.persona_for_session(null)")


def test_persona_for_session_serves_the_callers_active_persona_whole(db_url, team):
    seller, manager = team["seller"], team["manager"]
    personas = {p["id"]: p for p in team["personas"]}
    pid = next(i for i in personas if i != team["archived"])
    (row,) = run_as(db_url, seller, "select * from private.persona_for_session(%s)", pid)
    assert row["hidden_facts"] == personas[pid]["hidden_facts"]
    assert row["objections"] == personas[pid]["objections"]
    assert row["status"] == "active"
    (picked,) = run_as(db_url, seller, "select * from private.persona_for_session(null)")
    assert str(picked["id"]) != team["archived"] and picked["status"] == "active"
    archived = team["archived"]
    assert run_as(db_url, seller, "select * from private.persona_for_session(%s)", archived) == []
    # a manager is told the persona is archived (the sessions function answers 409, not 404)
    (seen,) = run_as(db_url, manager, "select * from private.persona_for_session(%s)", archived)
    assert seen["status"] == "archived"


@pytest.mark.parametrize("chosen", [True, False], ids=["chosen", "random"])
def test_salespersons_session_still_plays_the_whole_persona(api, sql, team, chosen):
    seller, personas = team["seller"], team["personas"]
    active = [p for p in personas if p["id"] != team["archived"]]
    body = {"persona_id": active[2]["id"] if chosen else None, "mode": "text"}
    started = api.post("/api/v1/sessions/start", headers=seller.headers, json=body)
    assert started.status_code == 201, started.text
    row = sql.execute(
        "select persona_id, persona_snapshot from public.training_sessions where id = %s",
        (started.json()["session_id"],),
    ).fetchone()
    persona = next(p for p in active if p["id"] == str(row["persona_id"]))
    snapshot = row["persona_snapshot"]
    # the prompt is built from the snapshot: it carries what the persona hides
    assert [f["fact"] for f in snapshot["hidden_facts"]] == [
        f["fact"] for f in persona["hidden_facts"]
    ]
    assert [o["text"] for o in snapshot["objections"]] == [o["text"] for o in persona["objections"]]
    assert snapshot["end_conditions"] == persona["end_conditions"]


def test_data_api_salesperson_never_reads_the_sessions_persona_snapshot(api, db_url, team):
    seller = team["seller"]
    started = api.post("/api/v1/sessions/start", headers=seller.headers, json={"mode": "text"})
    assert started.status_code == 201, started.text
    session_id = started.json()["session_id"]
    with pytest.raises(Denied, match="permission denied"):
        run_as(db_url, seller, "select persona_snapshot from public.training_sessions")
    (own,) = run_as(
        db_url, seller, "select id, persona_name, persona_difficulty from public.training_sessions"
    )
    assert str(own["id"]) == session_id and own["persona_name"]
    # the sessions function reads the snapshot of the caller's own session, and nobody else's
    (mine,) = run_as(db_url, seller, "select private.session_persona(%s) as p", session_id)
    assert mine["p"]["hidden_facts"]
    (theirs,) = run_as(
        db_url, team["manager"], "select private.session_persona(%s) as p", session_id
    )
    assert theirs["p"] is None
    # and the text roleplay still plays the whole persona
    said = api.post(
        f"/api/v1/sessions/{session_id}/messages",
        headers=seller.headers,
        json={"text": "Bom dia! Como funciona hoje o processo de vocês?"},
    )
    assert said.status_code == 200, said.text
