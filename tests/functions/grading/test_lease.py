"""Grading under a lease: no connection or row lock is held while the model grades.

The model grader is blocked at the HTTP boundary (a mocked OpenAI that waits on an Event) with a
pool of ONE connection: while it waits, the pool lends nothing out, no backend sits in a
transaction, the session row can be locked by anyone, and other requests through the gateway are
answered. A second delivery of the same event grades nothing; a run whose lease was taken over
writes nothing; a run that died holding the lease is finished by the sweeper.
"""

from __future__ import annotations

import httpx
import pytest

from grading import sweeper
from grading.grade import grade_session
from grading.store import feedback as store
from tests.pool_probe import WAIT, Background, Gate, checked_out, open_transactions, pool_of_one

HOOK = "/internal/grading/hook"


@pytest.fixture
def ended(make_user, make_session, calls, kit):
    """An ended text session of the good price call, its salesperson and their manager."""
    rep = make_user("Acme", "salesperson")
    manager = make_user("Acme", "manager")
    call = calls["good_price"]
    session = make_session(rep, kit.timed(call["turns"], "text"), persona=call["persona"])
    return rep, manager, session


@pytest.fixture
def gate(openai, recorded, kit):
    """The model, blocked on its first call until the test opens the gate."""
    answer = Gate(lambda _request: httpx.Response(200, json=kit.completion(recorded("good_price"))))
    openai.side_effect = answer
    yield answer
    answer.open()  # never leave a thread waiting


def _event(rep, session):
    return {"type": "session.ended", "session_id": str(session), "company_id": str(rep.company_id)}


def _lease(sql, session):
    return sql.execute(
        "select grading_attempts, grading_claimed_at, grading_error"
        " from public.training_sessions where id = %s",
        (session,),
    ).fetchone()


def test_no_connection_is_held_while_the_model_grades(
    api, ended, gate, hook_headers, feedback_rows, sql
):
    rep, manager, session = ended
    with pool_of_one():
        grading = Background(
            lambda: api.post(HOOK, json=_event(rep, session), headers=hook_headers)
        )
        assert gate.entered.wait(WAIT), "the model was never called"
        # the grader is waiting on the model: nothing is lent out, nothing is locked
        assert checked_out() == 0
        assert open_transactions(sql) == []
        locked = sql.execute(
            "select id from public.training_sessions where id = %s for update nowait", (session,)
        ).fetchone()
        assert locked is not None
        # other requests proceed through the one connection
        seen = api.get(f"/api/v1/feedback/sessions/{session}", headers=rep.headers)
        assert seen.status_code == 200, seen.text
        assert seen.json()["status"] == "pending"
        progress = api.get("/api/v1/feedback/me/progress", headers=rep.headers)
        assert progress.status_code == 200, progress.text
        team = api.get("/api/v1/feedback/team", headers=manager.headers)
        assert team.status_code == 200, team.text
        gate.open()
        response = grading.join()
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "graded"
    (row,) = feedback_rows(session)
    assert row["grader"] == "openai:gpt-4o"
    lease = _lease(sql, session)
    assert lease["grading_claimed_at"] is None and lease["grading_attempts"] == 1


def test_a_duplicate_end_event_grades_once(api, ended, gate, hook_headers, feedback_rows, sql):
    rep, _, session = ended
    first = Background(lambda: api.post(HOOK, json=_event(rep, session), headers=hook_headers))
    assert gate.entered.wait(WAIT)
    # the same event again while the first delivery is grading: it finds the lease held
    again = api.post(HOOK, json=_event(rep, session), headers=hook_headers)
    assert again.status_code == 200 and again.json()["status"] == "in_progress"
    gate.open()
    assert first.join().json()["status"] == "graded"
    # and once more after the feedback exists
    late = api.post(HOOK, json=_event(rep, session), headers=hook_headers)
    assert late.json()["status"] == "already_graded"
    assert gate.calls == 1
    assert len(feedback_rows(session)) == 1
    assert _lease(sql, session)["grading_attempts"] == 1


def _usage(sql, session):
    return sql.execute(
        "select count(*) as n from public.usage where ref_id = %s", (session,)
    ).fetchone()["n"]


def test_a_run_whose_lease_was_taken_over_writes_nothing(
    ended, gate, feedback_rows, sql, make_user
):
    rep, _, session = ended
    slow = Background(lambda: grade_session(session, rep.company_id))
    assert gate.entered.wait(WAIT)
    # the slow run looks dead (its lease is past the stale timeout): the sweeper takes it over
    sql.execute(
        "update public.training_sessions set grading_claimed_at = now() - interval '1 day'"
        " where id = %s",
        (session,),
    )
    assert sweeper.sweep() == {"swept": 1, "graded": 1}
    (taken_over,) = feedback_rows(session)
    assert _lease(sql, session)["grading_attempts"] == 2
    assert _usage(sql, session) == 1
    # the slow run finally hears from the model: its late write loses cleanly
    gate.open()
    assert slow.join().status == "in_progress"
    (after,) = feedback_rows(session)
    assert after["updated_at"] == taken_over["updated_at"]
    assert _usage(sql, session) == 1  # the late run recorded nothing either
    lease = _lease(sql, session)
    assert lease["grading_claimed_at"] is None and lease["grading_error"] is None


def test_a_run_that_died_holding_the_lease_is_finished_by_the_sweeper(
    make_user, make_session, calls, kit, feedback_rows, sql
):
    rep = make_user("Acme", "salesperson")
    session = make_session(rep, kit.timed(calls["good_price"]["turns"], "text"))
    # a worker claims the session and dies before it writes anything
    from dojo.db import service_transaction

    with service_transaction() as conn:
        assert store.claim(conn, session, rep.company_id, 600) is not None
    # a live lease is left alone, by the sweeper and by another delivery
    assert sweeper.sweep() == {"swept": 0}
    assert grade_session(session, rep.company_id).status == "in_progress"
    sql.execute(
        "update public.training_sessions set grading_claimed_at = now() - interval '1 hour'"
        " where id = %s",
        (session,),
    )
    assert sweeper.sweep() == {"swept": 1, "graded": 1}
    assert len(feedback_rows(session)) == 1
    lease = _lease(sql, session)
    assert lease["grading_claimed_at"] is None and lease["grading_attempts"] == 2


def test_a_failed_run_gives_the_lease_back_with_its_error(
    api, ended, openai, kit, hook_headers, sql
):
    rep, _, session = ended
    openai.side_effect = lambda _request: kit.rate_limited()
    response = api.post(HOOK, json=_event(rep, session), headers=hook_headers)
    assert response.status_code == 503
    lease = _lease(sql, session)
    assert lease["grading_claimed_at"] is None
    assert lease["grading_attempts"] == 1 and "rate limited" in lease["grading_error"]
    # released at once: the next sweep retries it without waiting for the lease to go stale
    assert [s for s, _ in sweeper.pending()] == [session]
