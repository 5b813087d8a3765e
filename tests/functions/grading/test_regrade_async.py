"""Regrade as a job: queued through the hook with the model grader (run once, swept), finished
before the answer with the offline grader; the same 202 contract for both.

A failed regrade clears the request marker (the error is recorded and the scorecard says the
regrade failed, with the previous feedback intact); only a lost delivery is re-dispatched.
"""

from __future__ import annotations

import httpx
import pytest

from dojo_local import dispatcher
from grading import sweeper

BASE = "/api/v1/feedback"
HOOK = "/internal/grading/hook"


@pytest.fixture
def graded(api, openai, make_user, make_session, calls, kit, recorded, sql, db_url):
    """A session graded by the (mocked) model, with a manager's override and a wrong stored
    discovery score that a regrade must replace; the hook queue is empty."""
    manager = make_user("Acme", "manager")
    rep = make_user("Acme", "salesperson")
    call = calls["good_price"]
    session = make_session(
        rep, kit.timed(call["turns"], "voice"), mode="voice", persona=call["persona"]
    )
    openai.return_value = httpx.Response(200, json=kit.completion(recorded("good_price")))
    assert sweeper.sweep()["graded"] == 1
    sql.execute("delete from net.http_request_queue")
    sql.execute(
        "update public.feedback set overall = 1, scores = jsonb_set(scores, '{discovery,score}',"
        " '1') where session_id = %s",
        (session,),
    )
    note = {"scores": {"rapport": 60}, "note": "tom um pouco frio"}
    assert api.patch(f"{BASE}/sessions/{session}", headers=manager.headers, json=note).is_success
    return manager, rep, session


def _discovery(card: dict) -> float:
    return next(c for c in card["categories"] if c["key"] == "discovery")["model_score"]


def _request(api, manager, session):
    return api.post(f"{BASE}/sessions/{session}/regrade", headers=manager.headers)


def _marker(sql, session):
    return sql.execute(
        "select regrade_requested_at, regrade_attempts, grading_error"
        " from public.training_sessions where id = %s",
        (session,),
    ).fetchone()


def test_regrade_is_queued_then_run_by_the_hook(api, graded, openai, db_url, feedback_rows):
    manager, rep, session = graded
    calls_before = openai.call_count
    response = _request(api, manager, session)
    assert response.status_code == 202, response.text
    assert response.json() == {
        "session_id": str(session),
        "status": "regrading",
        "status_url": f"{BASE}/sessions/{session}",
    }
    (queued,) = dispatcher.pending(db_url)
    assert queued["body"] == {
        "type": "session.regrade",
        "session_id": str(session),
        "company_id": str(rep.company_id),
    }
    assert openai.call_count == calls_before  # nothing graded inside the API request
    card = api.get(f"{BASE}/sessions/{session}", headers=rep.headers).json()
    assert card["regrading"] is True and _discovery(card) == 1
    assert dispatcher.drain(db_url) == 1
    card = api.get(f"{BASE}/sessions/{session}", headers=rep.headers).json()
    assert card["regrading"] is False and card["regrade_failed"] is False
    assert _discovery(card) > 1
    assert card["override"]["scores"] == {"rapport": 60}
    (row,) = feedback_rows(session)
    assert float(row["overall"]) > 70


def test_delivered_twice_grades_once(api, graded, openai, db_url, hook_headers, sql):
    manager, _, session = graded
    assert _request(api, manager, session).status_code == 202
    # a second click while the first is pending queues nothing more
    assert _request(api, manager, session).status_code == 202
    (queued,) = dispatcher.pending(db_url)
    calls_before = openai.call_count
    first = api.post(HOOK, json=queued["body"], headers=hook_headers)
    second = api.post(HOOK, json=queued["body"], headers=hook_headers)
    assert first.json()["status"] == "graded"
    assert second.status_code == 200 and second.json()["status"] == "no_request"
    assert openai.call_count == calls_before + 1
    assert _marker(sql, session)["regrade_requested_at"] is None


def test_model_failure_keeps_the_previous_feedback(
    api, graded, openai, db_url, kit, sql, feedback_rows
):
    manager, rep, session = graded
    (before,) = feedback_rows(session)
    assert _request(api, manager, session).status_code == 202
    openai.return_value = None
    openai.side_effect = lambda request: kit.rate_limited()
    assert dispatcher.drain(db_url) == 1
    (after,) = feedback_rows(session)
    assert after["scores"] == before["scores"] and after["overall"] == before["overall"]
    assert after["override_scores"] == {"rapport": 60}
    state = _marker(sql, session)
    assert state["regrade_requested_at"] is None and state["grading_error"]
    card = api.get(f"{BASE}/sessions/{session}", headers=rep.headers).json()
    assert card["regrading"] is False and card["regrade_failed"] is True
    assert card["status"] == "graded" and _discovery(card) == 1
    assert dispatcher.pending(db_url) == []


def test_sweeper_redispatches_a_lost_request_then_gives_up(
    api, graded, openai, db_url, sql, monkeypatch
):
    manager, _, session = graded
    monkeypatch.setenv("DOJO_GRADING_MAX_ATTEMPTS", "2")
    from dojo.settings import get_settings

    get_settings.cache_clear()
    assert _request(api, manager, session).status_code == 202
    assert sweeper.sweep() == {"swept": 0}  # too recent to be lost
    lose = (
        "update public.training_sessions set regrade_requested_at = now() - interval '10 minutes'"
        " where id = %s"
    )
    sql.execute("delete from net.http_request_queue")
    sql.execute(lose, (session,))
    assert sweeper.sweep() == {"swept": 1, "regrade_redispatched": 1}
    (queued,) = dispatcher.pending(db_url)
    assert queued["body"]["type"] == "session.regrade"
    assert _marker(sql, session)["regrade_attempts"] == 2
    sql.execute("delete from net.http_request_queue")
    sql.execute(lose, (session,))
    assert sweeper.sweep() == {"swept": 1, "regrade_abandoned": 1}
    assert _marker(sql, session)["regrade_requested_at"] is None
    assert dispatcher.pending(db_url) == []


@pytest.mark.parametrize(("who", "status"), [("rep", 403), ("other_manager", 404)])
def test_who_may_request_a_regrade(api, graded, make_user, db_url, sql, who, status):
    _, rep, session = graded
    caller = rep if who == "rep" else make_user("Globex", "manager")
    assert _request(api, caller, session).status_code == status
    assert dispatcher.pending(db_url) == []
    assert _marker(sql, session)["regrade_requested_at"] is None


def test_unknown_or_running_session_is_refused(api, graded, make_session, calls, kit, db_url, sql):
    manager, rep, _ = graded
    unknown = "00000000-0000-4000-8000-000000000000"
    assert _request(api, manager, unknown).status_code == 404
    active = make_session(rep, kit.timed(calls["good_price"]["turns"], "text"), status="active")
    assert _request(api, manager, active).status_code == 409
    assert dispatcher.pending(db_url) == []
    assert _marker(sql, active)["regrade_requested_at"] is None


def test_offline_regrade_is_the_same_job_finished_before_the_answer(
    api, make_user, make_session, calls, kit, db_url, sql
):
    manager = make_user("Acme", "manager")
    rep = make_user("Acme", "salesperson")
    call = calls["good_price"]
    session = make_session(rep, kit.timed(call["turns"], "text"), persona=call["persona"])
    assert sweeper.sweep()["graded"] == 1
    sql.execute("delete from net.http_request_queue")
    response = _request(api, manager, session)
    assert response.status_code == 202, response.text
    assert response.json() == {
        "session_id": str(session),
        "status": "graded",
        "status_url": f"{BASE}/sessions/{session}",
    }
    assert response.headers["location"] == f"{BASE}/sessions/{session}"
    assert dispatcher.pending(db_url) == []  # nothing queued: the job ran inside the request
    assert _marker(sql, session)["regrade_requested_at"] is None
    card = api.get(f"{BASE}/sessions/{session}", headers=rep.headers).json()
    assert card["regrading"] is False and card["status"] == "graded"
    assert _marker(sql, session)["grading_error"] is None


def test_offline_regrade_that_fails_says_so_and_keeps_the_feedback(
    api, make_user, make_session, calls, kit, sql, feedback_rows
):
    manager = make_user("Acme", "manager")
    rep = make_user("Acme", "salesperson")
    call = calls["good_price"]
    session = make_session(rep, kit.timed(call["turns"], "text"), persona=call["persona"])
    assert sweeper.sweep()["graded"] == 1
    (before,) = feedback_rows(session)
    sql.execute(
        "update public.training_sessions set rubric_version = '1999-01-v9' where id = %s",
        (session,),
    )
    response = _request(api, manager, session)
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "failed"
    (after,) = feedback_rows(session)
    assert after["scores"] == before["scores"] and after["overall"] == before["overall"]
    card = api.get(f"{BASE}/sessions/{session}", headers=rep.headers).json()
    assert card["regrading"] is False and card["regrade_failed"] is True
