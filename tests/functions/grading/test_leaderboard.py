"""The leaderboard: off by default (403 `leaderboard_disabled`), switched on by a manager; graded
sessions only, by period and category, the override counting, ties sharing a rank, and people
with too few sessions listed as such."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from psycopg.types.json import Jsonb

from grading.leaderboard import ranked

BOARD = "/api/v1/feedback/leaderboard"
SETTINGS = "/api/v1/auth/company/settings"


@pytest.fixture
def company(make_user) -> Any:
    manager = make_user("Acme", "manager")
    people = [make_user("Acme", "salesperson") for _ in range(4)]
    return manager, people


def _graded(sql, user, overall, *, days_ago=1, status="graded", closing=None, override=None):
    sid = sql.execute(
        "insert into public.training_sessions (company_id, user_id, mode, status, rubric_version,"
        " ended_at) values (%s, %s, 'text', 'ended', '2026-11-v1',"
        " now() - make_interval(days => %s)) returning id",
        (user.company_id, user.id, days_ago),
    ).fetchone()["id"]
    scores = {"closing": {"score": closing if closing is not None else overall}}
    sql.execute(
        "insert into public.feedback (session_id, company_id, user_id, status, overall, scores,"
        " override_overall, grader, rubric_version)"
        " values (%s, %s, %s, %s, %s, %s, %s, 'test', '2026-11-v1')",
        (sid, user.company_id, user.id, status, overall, Jsonb(scores), override),
    )


def _switch(api, who, on: bool):
    return api.patch(SETTINGS, headers=who.headers, json={"leaderboard_enabled": on})


def test_off_by_default_and_only_managers_switch_it(api, company):
    manager, people = company
    for who in (manager, people[0]):
        response = api.get(BOARD, headers=who.headers)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "leaderboard_disabled"
    assert api.get(SETTINGS, headers=people[0].headers).json() == _settings(False)
    refused = _switch(api, people[0], True)
    assert refused.status_code == 403
    switched = _switch(api, manager, True)
    assert switched.status_code == 200 and switched.json() == _settings(True)
    assert api.get(BOARD, headers=people[0].headers).status_code == 200
    assert _switch(api, manager, False).json() == _settings(False)
    assert api.get(BOARD, headers=people[0].headers).status_code == 403
    bad = api.patch(SETTINGS, headers=manager.headers, json={"leaderboard": True})
    assert bad.status_code == 422


def test_ranks_graded_sessions_with_ties_and_too_few(api, sql, make_user, company):
    manager, (a, b, c, d) = company
    _switch(api, manager, True)
    for score in (80, 90):
        _graded(sql, a, score)  # mean 85
    for score in (85, 85):
        _graded(sql, b, score)  # mean 85: tied with a
    _graded(sql, c, 70)
    _graded(sql, c, 60, override=95)  # the override counts: mean 82.5
    _graded(sql, d, 99)  # one session only
    _graded(sql, d, 10, status="insufficient")  # not graded: does not count
    _graded(sql, d, 100, days_ago=20)  # outside the week
    stranger = make_user("Other", "salesperson")
    _graded(sql, stranger, 100)

    board = api.get(BOARD, params={"min_sessions": 2}, headers=d.headers).json()
    rows = {e["user_id"]: e for e in board["entries"]}
    assert str(stranger.id) not in rows
    assert [(rows[str(u.id)]["rank"], rows[str(u.id)]["tied"]) for u in (a, b, c)] == [
        (1, True),
        (1, True),
        (3, False),
    ]
    assert rows[str(c.id)]["score"] == 82.5
    assert rows[str(d.id)] | {"user_id": None} == {
        "user_id": None,
        "name": d.email,
        "rank": None,
        "tied": False,
        "score": 99.0,
        "sessions": 1,
        "status": "not_enough_sessions",
        "is_me": True,
    }
    assert board["entries"][-1]["user_id"] == str(d.id)

    month = api.get(BOARD, params={"period": "month", "min_sessions": 2}, headers=d.headers)
    assert {e["user_id"]: e["rank"] for e in month.json()["entries"]}[str(d.id)] == 1  # 99.5
    closing = api.get(
        BOARD, params={"category": "closing", "min_sessions": 2}, headers=manager.headers
    ).json()
    # the category uses the category scores; c's override was of the overall only
    assert {e["user_id"]: e["score"] for e in closing["entries"]}[str(c.id)] == 65.0
    bad = api.get(BOARD, params={"category": "charm"}, headers=manager.headers)
    assert bad.status_code == 422


def test_ranking_rules_without_the_database():
    rows = [
        {"user_id": uuid.uuid4(), "full_name": n, "sessions": s, "score": v}
        for n, s, v in [
            ("Ana", 3, 90),
            ("Bia", 3, 90),
            ("Caio", 3, 70),
            ("Duda", 1, 99),
            ("Eva", 0, None),
        ]
    ]
    out = ranked(rows, 3)
    assert [(e.name, e.rank, e.status) for e in out] == [
        ("Ana", 1, "ranked"),
        ("Bia", 1, "ranked"),
        ("Caio", 3, "ranked"),
        ("Duda", None, "not_enough_sessions"),
        ("Eva", None, "not_enough_sessions"),
    ]


def _settings(leaderboard: bool) -> dict[str, object]:
    """The company's settings as the API answers them (retention left at the default)."""
    return {"leaderboard_enabled": leaderboard, "recording_retention_days": None}
