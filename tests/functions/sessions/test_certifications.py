"""Certifications: passing every assignment of the set certifies (with the proving scorecards),
expiry asks for renewal, and a change of the set or a revoked pass re-decides."""

from __future__ import annotations

from typing import Any

import pytest

from tests.functions.sessions.data import insert_persona
from tests.functions.sessions.programme import CERTIFICATIONS, assign, graded_session


@pytest.fixture
def programme(api, make_user, sql) -> Any:
    manager = make_user("Nuvem Fiscal", "manager")
    s1 = make_user("Nuvem Fiscal", "salesperson")
    s2 = make_user("Nuvem Fiscal", "salesperson")
    persona = insert_persona(sql, manager.company_id)
    people = [str(s1.id), str(s2.id)]
    first = assign(api, manager, title="Preço", persona_id=str(persona), assignee_ids=people)
    second = assign(api, manager, title="Prazo", persona_id=str(persona), assignee_ids=people)
    return manager, s1, s2, first["id"], second["id"]


def _certify(api, manager, *assignments, status=201, **extra) -> dict[str, Any]:
    body = {"name": "Objeções de preço — nível 2", "assignment_ids": list(assignments), **extra}
    response = api.post(CERTIFICATIONS, headers=manager.headers, json=body)
    assert response.status_code == status, response.text
    return dict(response.json())


def test_passing_every_assignment_certifies_with_the_proof(api, sql, programme):
    manager, s1, s2, first, second = programme
    cert = _certify(api, manager, first, second, validity_days=90)
    assert cert["holders"] == [] and [a["title"] for a in cert["assignments"]] == ["Preço", "Prazo"]
    one = graded_session(sql, s1, first, 80)
    mine = api.get(CERTIFICATIONS, headers=s1.headers).json()["items"][0]
    assert mine["status"] == "not_certified"
    two = graded_session(sql, s1, second, 91)
    graded_session(sql, s2, first, 95)  # s2 passed only one of the two

    mine = api.get(f"{CERTIFICATIONS}/{cert['id']}", headers=s1.headers).json()
    assert mine["status"] == "certified" and mine["holders"] is None
    assert {(p["session_id"], p["score"]) for p in mine["evidence"]} == {
        (str(one), 80.0),
        (str(two), 91.0),
    }
    held = sql.execute(
        "select certified_at, expires_at - certified_at as validity"
        " from public.certification_holders where user_id = %s",
        (s1.id,),
    ).fetchone()
    assert held["validity"].days == 90
    assert api.get(CERTIFICATIONS, headers=s2.headers).json()["items"][0]["status"] == (
        "not_certified"
    )
    team = api.get(CERTIFICATIONS, params={"scope": "team"}, headers=manager.headers).json()
    assert [h["user_id"] for h in team["items"][0]["holders"]] == [str(s1.id)]
    # a salesperson has no team view, and cannot define certifications
    assert api.get(CERTIFICATIONS, params={"scope": "team"}, headers=s1.headers).status_code == 403
    _certify(api, s1, first, status=403)


def test_expired_needs_renewal_and_changes_re_decide(api, sql, programme):
    manager, s1, _, first, second = programme
    graded_session(sql, s1, first, 80)
    cert = _certify(api, manager, first, validity_days=30)
    assert cert["status"] == "not_certified"  # the manager holds nothing
    team = api.get(f"{CERTIFICATIONS}/{cert['id']}", headers=manager.headers).json()
    assert team["holders"][0]["status"] == "certified"  # passed before: certified at once
    sql.execute(
        "update public.certification_holders set certified_at = now() - interval '40 days',"
        " expires_at = now() - interval '10 days'"
    )
    mine = api.get(CERTIFICATIONS, headers=s1.headers).json()["items"][0]
    assert mine["status"] == "expired"
    # renewal: the set now also asks for the second assignment; not held until it is passed
    patched = api.patch(
        f"{CERTIFICATIONS}/{cert['id']}",
        headers=manager.headers,
        json={"assignment_ids": [first, second], "no_expiry": True},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["holders"] == []
    graded_session(sql, s1, second, 75)
    mine = api.get(CERTIFICATIONS, headers=s1.headers).json()["items"][0]
    assert (mine["status"], mine["expires_at"]) == ("certified", None)
    # a manager's override below the pass mark takes the certification back
    sql.execute(
        "update public.feedback set override_overall = 40 where overall = 75 and user_id = %s",
        (s1.id,),
    )
    assert api.get(CERTIFICATIONS, headers=s1.headers).json()["items"][0]["status"] == (
        "not_certified"
    )


def test_bad_certifications_are_refused(api, make_user, sql, programme):
    manager, _, _, first, _ = programme
    outsider = make_user("Concorrente", "manager")
    theirs = assign(
        api,
        outsider,
        persona_id=str(insert_persona(sql, outsider.company_id)),
        assignee_ids=[str(outsider.id)],
    )
    refused = _certify(api, manager, first, theirs["id"], status=422)
    assert refused["error"]["code"] == "unknown_assignments"
    assert _certify(api, manager, status=422)["error"]["code"] == "validation_error"
    cert = _certify(api, manager, first)
    assert api.get(f"{CERTIFICATIONS}/{cert['id']}", headers=outsider.headers).status_code == 404
    gone = api.delete(f"{CERTIFICATIONS}/{cert['id']}", headers=outsider.headers)
    assert gone.status_code == 404
    assert api.delete(f"{CERTIFICATIONS}/{cert['id']}", headers=manager.headers).status_code == 204
