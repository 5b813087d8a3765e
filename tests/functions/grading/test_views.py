"""Feedback views through the gateway: content, progress, team, override, regrade, who sees what.

Two companies; in Acme a manager, an admin and two salespeople, in Globex a manager and a
salesperson. Every route is checked for every role and for the other company (404, never 403,
for things the caller cannot see).
"""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta

import pytest

from grading import sweeper

BASE = "/api/v1/feedback"


@pytest.fixture
def org(make_user, make_session, calls, kit):
    people = {
        "manager": make_user("Acme", "manager"),
        "admin": make_user("Acme", "admin"),
        "rep": make_user("Acme", "salesperson"),
        "rep2": make_user("Acme", "salesperson"),
        "other_manager": make_user("Globex", "manager"),
        "other_rep": make_user("Globex", "salesperson"),
    }
    now = datetime.now(UTC)
    sessions = []
    for days, name in ((3, "bad_monologue"), (2, "mediocre_early_pitch"), (1, "good_price")):
        call = calls[name]
        sessions.append(
            make_session(
                people["rep"],
                kit.timed(call["turns"], "voice"),
                mode="voice",
                persona=call["persona"],
                ended_at=(now - timedelta(days=days)).isoformat(),
            )
        )
    call = calls["good_migration"]
    rep2_session = make_session(
        people["rep2"], kit.timed(call["turns"], "voice"), mode="voice", persona=call["persona"]
    )
    other = make_session(people["other_rep"], kit.timed(calls["good_accountant"]["turns"], "text"))
    assert sweeper.sweep()["graded"] == 5
    return {"people": people, "sessions": sessions, "rep2": rep2_session, "other": other}


def test_scorecard_has_scores_metrics_bands_evidence(api, org):
    rep = org["people"]["rep"]
    session = org["sessions"][2]
    response = api.get(f"{BASE}/sessions/{session}", headers=rep.headers)
    assert response.status_code == 200, response.text
    card = response.json()
    assert card["status"] == "graded" and card["overall"] > 70
    assert card["overall_band"] in ("Excelente", "Bom")
    assert card["grader"] == {
        "name": "offline-rules-v1",
        "offline": True,
        "label": "Avaliação offline por regras (sem modelo de linguagem)",
    }
    assert [c["key"] for c in card["categories"]] == [
        "rapport",
        "discovery",
        "objection_handling",
        "closing",
    ]
    assert card["categories"][1]["name"] == "Descoberta"
    assert all(c["score"] == c["model_score"] and not c["overridden"] for c in card["categories"])
    assert card["override"] is None
    items = {m["key"]: m for m in card["metrics"]["items"]}
    talk = items["talk_ratio"]
    assert talk["name"] == "Proporção de fala do vendedor"
    assert talk["band"]["low"] == 0.35 and "Gong" in talk["band"]["source"]
    assert talk["status"] in ("within", "below", "above")
    assert items["patience_seconds"]["value"] == pytest.approx(0.9)
    assert card["metrics"]["questions"]["open"] >= 3
    for item in card["strengths"] + card["improvements"] + card["recommendations"]:
        assert item["quote"] and isinstance(item["turn"], int)
    assert card["recommendations"][0]["try"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("rep", 200),
        ("rep2", 404),
        ("manager", 200),
        ("admin", 200),
        ("other_manager", 404),
        ("other_rep", 404),
    ],
)
def test_who_sees_a_scorecard(api, org, who, status):
    session = org["sessions"][0]
    response = api.get(f"{BASE}/sessions/{session}", headers=org["people"][who].headers)
    assert response.status_code == status
    if status == 404:
        assert response.json()["error"]["code"] == "not_found"


def test_unknown_or_malformed_ids_and_no_token(api, org):
    manager = org["people"]["manager"]
    missing = "00000000-0000-0000-0000-000000000000"
    assert api.get(f"{BASE}/sessions/{missing}", headers=manager.headers).status_code == 404
    assert api.get(f"{BASE}/sessions/not-a-uuid", headers=manager.headers).status_code == 422
    for method, path in (
        ("GET", f"{BASE}/sessions/{org['sessions'][0]}"),
        ("GET", f"{BASE}/me/progress"),
        ("GET", f"{BASE}/team"),
        ("POST", f"{BASE}/sessions/{org['sessions'][0]}/regrade"),
        ("PATCH", f"{BASE}/sessions/{org['sessions'][0]}"),
    ):
        assert api.request(method, path).status_code == 401


def test_progress_series_moving_average_and_change(api, org):
    rep = org["people"]["rep"]
    body = api.get(f"{BASE}/me/progress", headers=rep.headers).json()
    assert body["sessions"] == 3 and body["window"] == 3
    overall = body["overall"]
    scores = [p["score"] for p in overall["series"]]
    assert scores == sorted(scores)  # bad, then mediocre, then good
    assert [p["session_id"] for p in overall["series"]] == [str(s) for s in org["sessions"]]
    assert overall["change_since_last"] == pytest.approx(scores[2] - scores[1], abs=0.01)
    assert overall["moving_average"] == pytest.approx(statistics.fmean(scores), abs=0.01)
    assert overall["series"][0]["moving_average"] == pytest.approx(scores[0])
    discovery = next(c for c in body["categories"] if c["key"] == "discovery")
    assert discovery["name"] == "Descoberta" and len(discovery["series"]) == 3
    two = api.get(f"{BASE}/me/progress?window=2", headers=rep.headers).json()
    assert two["overall"]["moving_average"] == pytest.approx(statistics.fmean(scores[1:]), abs=0.01)
    # another salesperson's progress is theirs only; a manager without sessions has none
    rep2 = api.get(f"{BASE}/me/progress", headers=org["people"]["rep2"].headers).json()
    assert rep2["sessions"] == 1 and rep2["overall"]["change_since_last"] is None
    mine = api.get(f"{BASE}/me/progress", headers=org["people"]["manager"].headers).json()
    assert mine["sessions"] == 0 and mine["overall"]["latest"] is None
    assert api.get(f"{BASE}/me/progress?window=0", headers=rep.headers).status_code == 422


def test_progress_compares_with_the_team_average_without_exposing_rows(api, org):
    rep = org["people"]["rep"]
    progress = api.get(f"{BASE}/me/progress", headers=rep.headers).json()
    team = api.get(f"{BASE}/team", headers=org["people"]["manager"].headers).json()
    assert progress["team_average"] == team["team_average"]
    assert progress["team_average"]["people"] == 2  # Acme only: Globex's session is not counted
    assert str(org["rep2"]) not in str(progress)  # averages only, no other person's session


def test_team_view_averages_per_person_then_team(api, org):
    manager = org["people"]["manager"]
    body = api.get(f"{BASE}/team", headers=manager.headers).json()
    members = {m["user_id"]: m for m in body["members"]}
    rep, rep2 = org["people"]["rep"], org["people"]["rep2"]
    assert set(members) == {str(rep.id), str(rep2.id)}
    assert members[str(rep.id)]["sessions"] == 3 and members[str(rep2.id)]["sessions"] == 1
    assert members[str(rep.id)]["last_activity"] is not None
    progress = api.get(f"{BASE}/me/progress", headers=rep.headers).json()
    rep_avg = statistics.fmean(p["score"] for p in progress["overall"]["series"])
    assert members[str(rep.id)]["overall"] == pytest.approx(rep_avg, abs=0.01)
    # the team average is the mean of the people's averages, not of all sessions pooled
    expected = statistics.fmean([members[str(rep.id)]["overall"], members[str(rep2.id)]["overall"]])
    assert body["team_average"]["overall"] == pytest.approx(expected, abs=0.01)
    assert body["team_average"]["people"] == 2
    for key in ("rapport", "discovery", "objection_handling", "closing"):
        mine = members[str(rep.id)]["categories"][key]
        team = body["team_average"]["categories"][key]
        assert members[str(rep.id)]["vs_team"][key] == pytest.approx(mine - team, abs=0.02)
    assert body["team_average"]["metrics"]["talk_ratio"] is not None
    admin = api.get(f"{BASE}/team", headers=org["people"]["admin"].headers)
    assert admin.status_code == 200
    recent = api.get(f"{BASE}/team?days=1", headers=manager.headers).json()
    recent_members = {m["user_id"]: m for m in recent["members"]}
    assert recent_members[str(rep.id)]["sessions"] == 0  # all three ended 1-3 days ago


def test_team_view_is_for_managers_of_that_company(api, org):
    assert api.get(f"{BASE}/team", headers=org["people"]["rep"].headers).status_code == 403
    other = api.get(f"{BASE}/team", headers=org["people"]["other_manager"].headers).json()
    assert [m["user_id"] for m in other["members"]] == [str(org["people"]["other_rep"].id)]


def test_manager_override_is_shown_with_model_scores_beside_it(api, org, sql):
    manager = org["people"]["manager"]
    session = org["sessions"][1]
    before = api.get(f"{BASE}/sessions/{session}", headers=manager.headers).json()
    body = {"scores": {"closing": 80}, "note": "Ela propôs um próximo passo; o robô não viu."}
    response = api.patch(f"{BASE}/sessions/{session}", headers=manager.headers, json=body)
    assert response.status_code == 200, response.text
    card = response.json()
    closing = next(c for c in card["categories"] if c["key"] == "closing")
    assert closing["score"] == 80 and closing["overridden"]
    assert closing["model_score"] == next(
        c["model_score"] for c in before["categories"] if c["key"] == "closing"
    )
    assert card["model_overall"] == before["overall"]
    expected = before["overall"] + 0.2 * (80 - closing["model_score"])
    assert card["overall"] == pytest.approx(expected, abs=0.01)
    assert card["override"]["note"] == body["note"]
    assert card["override"]["by"] == str(manager.id)
    # the salesperson sees the override too
    rep_view = api.get(f"{BASE}/sessions/{session}", headers=org["people"]["rep"].headers).json()
    assert rep_view["overall"] == card["overall"]
    # progress uses the overridden score
    progress = api.get(f"{BASE}/me/progress", headers=org["people"]["rep"].headers).json()
    assert progress["overall"]["series"][1]["score"] == pytest.approx(card["overall"])
    row = sql.execute(
        "select scores -> 'closing' ->> 'score' as model from public.feedback"
        " where session_id = %s",
        (session,),
    ).fetchone()
    assert float(row["model"]) == closing["model_score"]
    cleared = api.patch(f"{BASE}/sessions/{session}", headers=manager.headers, json={"clear": True})
    assert cleared.json()["override"] is None
    assert cleared.json()["overall"] == before["overall"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"scores": {"closing": 80}}, 422),
        ({"scores": {"closing": 180}, "note": "x"}, 422),
        ({"scores": {}, "note": "x"}, 422),
        ({"scores": {"charisma": 80}, "note": "x"}, 400),
        ({"note": "x" * 2001, "scores": {"closing": 1}}, 422),
    ],
)
def test_override_input_is_checked(api, org, body, status):
    manager = org["people"]["manager"]
    response = api.patch(
        f"{BASE}/sessions/{org['sessions'][1]}", headers=manager.headers, json=body
    )
    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("rep", 403), ("rep2", 403), ("manager", 200), ("admin", 200), ("other_manager", 404)],
)
def test_who_may_override(api, org, who, status):
    body = {"scores": {"rapport": 50}, "note": "revisado"}
    path = f"{BASE}/sessions/{org['sessions'][0]}"
    assert api.patch(path, headers=org["people"][who].headers, json=body).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("rep", 403), ("rep2", 403), ("manager", 202), ("admin", 202), ("other_manager", 404)],
)
def test_who_may_regrade(api, org, who, status, feedback_rows):
    session = org["sessions"][2]
    response = api.post(f"{BASE}/sessions/{session}/regrade", headers=org["people"][who].headers)
    assert response.status_code == status
    assert len(feedback_rows(session)) == 1


def test_regrade_replaces_model_scores_and_keeps_the_override(api, org, sql, feedback_rows):
    manager = org["people"]["manager"]
    session = org["sessions"][2]
    sql.execute(
        "update public.feedback set overall = 1, scores = jsonb_set(scores, '{discovery,score}',"
        " '1') where session_id = %s",
        (session,),
    )
    # the override is set while the stored model score for discovery is a wrong 1
    note = {"scores": {"rapport": 60}, "note": "tom um pouco frio"}
    api.patch(f"{BASE}/sessions/{session}", headers=manager.headers, json=note)
    response = api.post(f"{BASE}/sessions/{session}/regrade", headers=manager.headers)
    # the offline grader finishes the job before answering: the 202 already says it is graded
    assert response.status_code == 202, response.text
    assert response.json() == {
        "session_id": str(session),
        "status": "graded",
        "status_url": f"{BASE}/sessions/{session}",
    }
    assert response.headers["location"] == f"{BASE}/sessions/{session}"
    card = api.get(response.json()["status_url"], headers=manager.headers).json()
    assert card["regrading"] is False and card["regrade_failed"] is False
    discovery = next(c for c in card["categories"] if c["key"] == "discovery")
    assert discovery["model_score"] > 1
    assert card["override"]["scores"] == {"rapport": 60}
    (row,) = feedback_rows(session)
    assert float(row["overall"]) > 70
    # the overridden overall follows the new model scores for the categories not overridden
    model = {c["key"]: c["model_score"] for c in card["categories"]}
    expected = 0.2 * 60 + 0.3 * model["discovery"] + 0.3 * model["objection_handling"]
    expected += 0.2 * model["closing"]
    assert card["overall"] == pytest.approx(expected, abs=0.01)


def test_regrade_of_a_session_still_running_is_a_conflict(api, org, make_session, kit, calls):
    rep = org["people"]["rep"]
    active = make_session(rep, kit.timed(calls["good_price"]["turns"], "text"), status="active")
    response = api.post(
        f"{BASE}/sessions/{active}/regrade", headers=org["people"]["manager"].headers
    )
    assert response.status_code == 409
    pending = api.get(f"{BASE}/sessions/{active}", headers=rep.headers).json()
    assert pending["status"] == "pending"
