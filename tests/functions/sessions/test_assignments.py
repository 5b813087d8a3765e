"""Assignments through the real gateway: create, read by role, attempts graded by the offline
grader, state decided by the database, bad input answered with clear 4xx."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from sessions import sweeper
from tests.functions.sessions.data import insert_material, insert_persona
from tests.functions.sessions.programme import (
    ASSIGNMENTS,
    BAD_CALL,
    GOOD_CALL,
    START,
    assign,
    assignee_row,
    attempt,
    due,
    graded_session,
    mine,
)


@pytest.fixture
def team(make_user, sql) -> Any:
    manager = make_user("Nuvem Fiscal", "manager")
    s1 = make_user("Nuvem Fiscal", "salesperson")
    s2 = make_user("Nuvem Fiscal", "salesperson")
    insert_material(sql, manager.company_id)
    persona = insert_persona(sql, manager.company_id)
    return manager, s1, s2, persona


def _error(response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return dict(response.json()["error"])


def test_manager_assigns_and_each_side_sees_its_view(api, team):
    manager, s1, s2, persona = team
    created = assign(
        api,
        manager,
        title="Objeções de preço",
        persona_id=str(persona),
        assignee_ids=[str(s1.id)],
        category_minimums={"objection_handling": 60},
        max_attempts=2,
    )
    assert created["persona"]["name"] == "Carla Menezes"
    assert created["counts"]["assigned"] == 1
    assert [a["user_id"] for a in created["assignees"]] == [str(s1.id)]

    listed = api.get(ASSIGNMENTS, params={"scope": "mine"}, headers=s1.headers).json()
    (item,) = listed["items"]
    assert item["id"] == created["id"]
    assert (item["status"], item["attempts"], item["attempts_left"]) == ("assigned", 0, 2)
    assert item["assignees"] is None  # a salesperson never sees the others' state
    assert item["persona"]["name"] == "Carla Menezes"
    assert "hidden_facts" not in str(item)

    # s2 was not assigned: nothing in their list, and the assignment is a 404 to them
    assert api.get(ASSIGNMENTS, headers=s2.headers).json()["items"] == []
    _error(api.get(f"{ASSIGNMENTS}/{created['id']}", headers=s2.headers), 404)
    # the team view is for managers
    _error(api.get(ASSIGNMENTS, params={"scope": "team"}, headers=s1.headers), 403)
    board = api.get(ASSIGNMENTS, params={"scope": "team"}, headers=manager.headers).json()
    assert board["items"][0]["assignees"][0]["status"] == "assigned"


def test_a_good_attempt_passes_and_a_bad_one_fails_an_exam(api, db_url, sql, team):
    manager, s1, s2, persona = team
    exam = assign(
        api,
        manager,
        persona_id=str(persona),
        assignee_ids=[str(s1.id), str(s2.id)],
        max_attempts=1,
    )
    good = attempt(api, db_url, s1, exam["id"], GOOD_CALL)
    bad = attempt(api, db_url, s2, exam["id"], BAD_CALL)
    assert good["scorecard"]["overall"] >= 70, good["scorecard"]["overall"]
    assert (bad["scorecard"].get("overall") or 0) < 70

    passed = mine(api, s1, exam["id"])
    assert (passed["status"], passed["attempts"], passed["attempts_left"]) == ("passed", 1, 0)
    assert passed["session_id"] == good["session_id"]
    assert passed["score"] == good["scorecard"]["overall"]
    failed = mine(api, s2, exam["id"])
    assert (failed["status"], failed["attempts"]) == ("failed", 1)

    # the attempt is used: a second start is a 409 with the reason, and no session is made
    again = api.post(START, headers=s2.headers, json={"assignment_id": exam["id"]})
    error = _error(again, 409)
    assert error["code"] == "attempts_exhausted" and "1 attempts" in error["message"]
    count = sql.execute(
        "select count(*) as n from public.training_sessions where user_id = %s", (s2.id,)
    ).fetchone()
    assert count["n"] == 1

    transitions = sql.execute(
        "select from_status, to_status from public.assignment_transitions"
        " where user_id = %s order by id",
        (s2.id,),
    ).fetchall()
    assert [(t["from_status"], t["to_status"]) for t in transitions] == [
        (None, "assigned"),
        ("assigned", "in_progress"),
        ("in_progress", "failed"),
    ]


def test_a_managers_override_re_decides(api, db_url, sql, team):
    manager, s1, _, persona = team
    work = assign(api, manager, persona_id=str(persona), assignee_ids=[str(s1.id)])
    bad = attempt(api, db_url, s1, work["id"], BAD_CALL)
    assert mine(api, s1, work["id"])["status"] == "in_progress"
    if bad["scorecard"]["status"] != "graded":
        pytest.skip("the bad call was too short to grade")
    override = api.patch(
        f"/api/v1/feedback/sessions/{bad['session_id']}",
        headers=manager.headers,
        json={
            "scores": {"rapport": 90, "discovery": 90, "objection_handling": 90, "closing": 90},
            "note": "Revisado com o gestor",
        },
    )
    assert override.status_code == 200, override.text
    state = mine(api, s1, work["id"])
    assert state["status"] == "passed" and state["score"] == 90
    cleared = api.patch(
        f"/api/v1/feedback/sessions/{bad['session_id']}",
        headers=manager.headers,
        json={"clear": True},
    )
    assert cleared.status_code == 200
    assert mine(api, s1, work["id"])["status"] == "in_progress"


def test_any_persona_of_a_difficulty(api, db_url, sql, team):
    manager, s1, _, persona = team
    hard = insert_persona(sql, manager.company_id, name="Otávio Prado", difficulty="hard")
    work = assign(api, manager, difficulty="hard", assignee_ids=[str(s1.id)])
    assert work["persona"] is None and work["difficulty"] == "hard"
    started = api.post(START, headers=s1.headers, json={"assignment_id": work["id"]})
    assert started.status_code == 201, started.text
    assert started.json()["persona"]["id"] == str(hard)
    assert started.json()["session"]["assignment_id"] == work["id"]
    assert mine(api, s1, work["id"])["status"] == "in_progress"
    # a text request for a voice assignment is refused, with the reason
    voice = assign(api, manager, persona_id=str(persona), mode="voice", assignee_ids=[str(s1.id)])
    mismatch = api.post(
        START, headers=s1.headers, json={"assignment_id": voice["id"], "mode": "text"}
    )
    assert _error(mismatch, 409)["code"] == "mode_mismatch"


def test_whole_team_and_patch_and_delete(api, db_url, sql, team):
    manager, s1, s2, persona = team
    work = assign(api, manager, persona_id=str(persona), whole_team=True)
    assert {a["user_id"] for a in work["assignees"]} == {str(s1.id), str(s2.id)}
    graded_session(sql, s1, work["id"], 65)
    assert assignee_row(sql, work["id"], s1)["status"] == "in_progress"
    # lowering the pass mark re-decides everyone
    patched = api.patch(
        f"{ASSIGNMENTS}/{work['id']}", headers=manager.headers, json={"pass_mark": 60}
    )
    assert patched.status_code == 200, patched.text
    states = {a["user_id"]: a["status"] for a in patched.json()["assignees"]}
    assert states == {str(s1.id): "passed", str(s2.id): "assigned"}
    # salespeople cannot change or delete it
    _error(api.patch(f"{ASSIGNMENTS}/{work['id']}", headers=s1.headers, json={"pass_mark": 1}), 403)
    _error(api.delete(f"{ASSIGNMENTS}/{work['id']}", headers=s1.headers), 403)
    assert api.delete(f"{ASSIGNMENTS}/{work['id']}", headers=manager.headers).status_code == 204
    _error(api.get(f"{ASSIGNMENTS}/{work['id']}", headers=manager.headers), 404)
    # the attempt stays, unlinked
    kept = sql.execute(
        "select assignment_id from public.training_sessions where user_id = %s", (s1.id,)
    ).fetchone()
    assert kept == {"assignment_id": None}


def test_bad_input_is_a_clear_4xx(api, make_user, sql, team):
    manager, s1, _, persona = team
    outsider = make_user("Concorrente", "manager")
    their_seller = make_user("Concorrente", "salesperson")
    their_persona = insert_persona(sql, outsider.company_id)
    base = {"persona_id": str(persona), "assignee_ids": [str(s1.id)]}

    past = assign(api, manager, 422, **{**base, "due_at": due(-1)})
    assert past["error"]["code"] == "due_date_in_past"
    for mark in (-1, 101):
        low = assign(api, manager, 422, **{**base, "pass_mark": mark})
        assert low["error"]["code"] == "validation_error"
    # another company's persona answers exactly like a persona that does not exist
    theirs = assign(api, manager, 404, **{**base, "persona_id": str(their_persona)})
    nobody = assign(api, manager, 404, **{**base, "persona_id": str(uuid.uuid4())})
    assert theirs["error"]["code"] == nobody["error"]["code"] == "persona_not_found"
    assert theirs["error"]["message"] == nobody["error"]["message"]
    outside = assign(api, manager, 422, **{**base, "assignee_ids": [str(their_seller.id)]})
    assert outside["error"]["code"] == "unknown_assignees"
    both = assign(api, manager, 422, **{**base, "difficulty": "hard"})
    assert both["error"]["code"] == "validation_error"
    unknown_category = assign(api, manager, 422, **{**base, "category_minimums": {"charm": 50}})
    assert unknown_category["error"]["code"] == "validation_error"
    # a salesperson cannot assign; an assignment of another company is a 404
    assign(api, s1, 403, **base)
    theirs_assignment = assign(
        api, outsider, persona_id=str(their_persona), assignee_ids=[str(their_seller.id)]
    )
    _error(api.get(f"{ASSIGNMENTS}/{theirs_assignment['id']}", headers=manager.headers), 404)
    gone = api.post(START, headers=s1.headers, json={"assignment_id": theirs_assignment["id"]})
    assert _error(gone, 404)["code"] == "not_found"
    patch_past = api.patch(
        f"{ASSIGNMENTS}/{theirs_assignment['id']}",
        headers=outsider.headers,
        json={"due_at": due(-2)},
    )
    assert _error(patch_past, 422)["code"] == "due_date_in_past"


def test_the_sweeper_makes_due_assignees_overdue(api, db_url, sql, team):
    manager, s1, s2, persona = team
    work = assign(api, manager, persona_id=str(persona), assignee_ids=[str(s1.id), str(s2.id)])
    graded_session(sql, s2, work["id"], 95)
    sql.execute(
        "update public.assignments set due_at = now() - interval '1 hour' where id = %s",
        (work["id"],),
    )
    # the update itself re-decides (a manager's change does); put s1 back to test the sweeper
    assert assignee_row(sql, work["id"], s1)["status"] == "overdue"
    sql.execute(
        "update public.assignment_assignees set status = 'assigned' where user_id = %s", (s1.id,)
    )
    result = sweeper.sweep()
    assert result["overdue"] == 1
    assert assignee_row(sql, work["id"], s1)["status"] == "overdue"
    assert assignee_row(sql, work["id"], s2)["status"] == "passed"
    assert sweeper.sweep()["overdue"] == 0
    # overdue is not failed: a late attempt can still pass
    graded_session(sql, s1, work["id"], 80)
    assert assignee_row(sql, work["id"], s1)["status"] == "passed"
