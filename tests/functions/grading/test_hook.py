"""The grading hook: shared secret, idempotency (twice, concurrently), trigger end to end."""

from __future__ import annotations

import threading

from psycopg.types.json import Jsonb

from dojo_local import dispatcher

HOOK = "/internal/grading/hook"


def _event(session_id, company_id) -> dict:
    return {"type": "session.ended", "session_id": str(session_id), "company_id": str(company_id)}


def test_hook_refuses_without_the_secret(api, make_user, make_session, calls, kit, feedback_rows):
    rep = make_user("Acme", "salesperson")
    call = calls["good_price"]
    session = make_session(rep, kit.timed(call["turns"], "voice"), mode="voice")
    body = _event(session, rep.company_id)
    assert api.post(HOOK, json=body).status_code == 401
    wrong = api.post(HOOK, json=body, headers={"X-Dojo-Hook-Secret": "nope"})
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "unauthorized"
    # no secret and a broken body: still 401, nothing about the body leaks
    assert api.post(HOOK, json={"junk": 1}).status_code == 401
    assert feedback_rows(session) == []


def test_delivering_twice_grades_once(
    api, make_user, make_session, calls, kit, feedback_rows, hook_headers, sql
):
    rep = make_user("Acme", "salesperson")
    call = calls["good_price"]
    session = make_session(
        rep, kit.timed(call["turns"], "voice"), mode="voice", persona=call["persona"]
    )
    first = api.post(HOOK, json=_event(session, rep.company_id), headers=hook_headers)
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "graded"
    second = api.post(HOOK, json=_event(session, rep.company_id), headers=hook_headers)
    assert second.json()["status"] == "already_graded"
    assert second.json()["overall"] == first.json()["overall"]
    rows = feedback_rows(session)
    assert len(rows) == 1
    assert rows[0]["grader"] == "offline-rules-v1" and rows[0]["rubric_version"] == "2026-11-v1"
    assert float(rows[0]["overall"]) > 70
    attempts = sql.execute(
        "select grading_attempts, grading_error from public.training_sessions where id = %s",
        (session,),
    ).fetchone()
    assert attempts == {"grading_attempts": 1, "grading_error": None}
    usage = sql.execute(
        "select provider, operation, ref_id from public.usage where company_id = %s",
        (rep.company_id,),
    ).fetchall()
    assert usage == [{"provider": "offline", "operation": "grading", "ref_id": session}]


def test_concurrent_deliveries_leave_one_row(
    api, make_user, make_session, calls, kit, feedback_rows, hook_headers
):
    rep = make_user("Acme", "salesperson")
    call = calls["mediocre_early_pitch"]
    session = make_session(rep, kit.timed(call["turns"], "voice"), mode="voice")
    start = threading.Barrier(4)
    statuses: list[str] = []

    def deliver() -> None:
        start.wait()
        response = api.post(HOOK, json=_event(session, rep.company_id), headers=hook_headers)
        statuses.append(response.json()["status"])

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(feedback_rows(session)) == 1
    assert statuses.count("graded") == 1
    assert set(statuses) <= {"graded", "already_graded", "in_progress"}


def test_wrong_company_in_the_event_is_not_found(
    api, make_user, make_session, calls, kit, feedback_rows, hook_headers
):
    rep = make_user("Acme", "salesperson")
    other = make_user("Globex", "salesperson")
    session = make_session(rep, kit.timed(calls["good_price"]["turns"], "text"))
    response = api.post(HOOK, json=_event(session, other.company_id), headers=hook_headers)
    assert response.status_code == 404
    assert feedback_rows(session) == []


def test_session_not_ended_is_not_graded(
    api, make_user, make_session, calls, kit, feedback_rows, hook_headers
):
    rep = make_user("Acme", "salesperson")
    session = make_session(rep, kit.timed(calls["good_price"]["turns"], "text"), status="active")
    response = api.post(HOOK, json=_event(session, rep.company_id), headers=hook_headers)
    assert response.json()["status"] == "not_ended"
    assert feedback_rows(session) == []


def test_empty_and_one_sided_transcripts_are_insufficient(
    api, make_user, make_session, feedback_rows, hook_headers, kit
):
    rep = make_user("Acme", "salesperson")
    empty = make_session(rep, [])
    monologue = make_session(
        rep,
        kit.timed(
            [["salesperson", "Alô? Alô? Tem alguém aí? Vou ligar mais tarde então."]], "voice"
        ),
        mode="voice",
    )
    for session in (empty, monologue):
        response = api.post(HOOK, json=_event(session, rep.company_id), headers=hook_headers)
        assert response.json()["status"] == "insufficient"
        (row,) = feedback_rows(session)
        assert row["status"] == "insufficient"
        assert row["overall"] is None and row["scores"] == {}
        assert "insuficiente" in row["metrics"]["grading"]["reason"]
    view = api.get(f"/api/v1/feedback/sessions/{empty}", headers=rep.headers).json()
    assert view["status"] == "insufficient" and view["overall"] is None
    assert "insuficiente" in view["message"]


def test_the_session_end_trigger_reaches_the_hook(
    db_url, make_user, make_session, calls, kit, feedback_rows, sql
):
    rep = make_user("Acme", "salesperson")
    call = calls["good_migration"]
    session = make_session(rep, kit.timed(call["turns"], "voice"), mode="voice", status="active")
    sql.execute("update public.training_sessions set status = 'ended' where id = %s", (session,))
    queued = dispatcher.pending(db_url)
    assert [q["body"]["session_id"] for q in queued] == [str(session)]
    assert dispatcher.drain(db_url) == 1
    (row,) = feedback_rows(session)
    assert row["status"] == "graded"
    response = sql.execute("select status_code from net._http_response").fetchone()
    assert response["status_code"] == 200


def test_transcript_arriving_after_an_insufficient_grade_is_graded(
    api, make_user, make_session, calls, kit, feedback_rows, hook_headers, sql
):
    """A voice call ended before its report: graded empty first, then for real when it lands."""
    rep = make_user("Acme", "salesperson")
    session = make_session(rep, [], mode="voice")
    event = _event(session, rep.company_id)
    assert api.post(HOOK, json=event, headers=hook_headers).json()["status"] == "insufficient"
    # a replay with nothing new changes nothing
    assert api.post(HOOK, json=event, headers=hook_headers).json()["status"] == "already_graded"
    call = calls["good_migration"]
    sql.execute(
        "update public.training_sessions set transcript = %s where id = %s",
        (Jsonb(kit.timed(call["turns"], "voice")), session),
    )
    assert api.post(HOOK, json=event, headers=hook_headers).json()["status"] == "graded"
    (row,) = feedback_rows(session)
    assert row["status"] == "graded" and float(row["overall"]) > 70
