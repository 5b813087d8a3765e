"""The grading sweeper: ended sessions without feedback get graded, with bounded attempts."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest

from grading import sweeper


def test_sweeper_grades_what_the_trigger_missed(
    make_user, make_session, calls, kit, feedback_rows, sql, monkeypatch
):
    rep = make_user("Acme", "salesperson")
    good = make_session(rep, kit.timed(calls["good_price"]["turns"], "text"))
    empty = make_session(rep, [])
    active = make_session(rep, kit.timed(calls["good_price"]["turns"], "text"), status="active")
    exhausted = make_session(rep, kit.timed(calls["bad_lazy"]["turns"], "text"))
    sql.execute(
        "update public.training_sessions set grading_attempts = 5, grading_error = 'x'"
        " where id = %s",
        (exhausted,),
    )
    result = sweeper.sweep()
    assert result == {"swept": 2, "graded": 1, "insufficient": 1}
    assert len(feedback_rows(good)) == 1 and len(feedback_rows(empty)) == 1
    assert feedback_rows(active) == [] and feedback_rows(exhausted) == []
    # a second sweep has nothing left to do
    assert sweeper.sweep() == {"swept": 0}


def test_one_failure_does_not_stop_the_sweep(
    make_user, make_session, calls, kit, feedback_rows, sql, monkeypatch
):
    rep = make_user("Acme", "salesperson")
    broken = make_session(rep, kit.timed(calls["good_price"]["turns"], "text"))
    sql.execute(
        "update public.training_sessions set rubric_version = '1999-01-v9' where id = %s",
        (broken,),
    )
    fine = make_session(rep, kit.timed(calls["good_price"]["turns"], "text"))
    assert sweeper.sweep() == {"swept": 2, "failed": 1, "graded": 1}
    state = sql.execute(
        "select grading_attempts, grading_error from public.training_sessions where id = %s",
        (broken,),
    ).fetchone()
    assert state["grading_attempts"] == 1 and "unknown rubric" in state["grading_error"]
    assert len(feedback_rows(fine)) == 1
    # bounded: after the configured attempts the sweeper stops trying this one
    monkeypatch.setenv("DOJO_GRADING_MAX_ATTEMPTS", "2")
    from dojo.settings import get_settings

    get_settings.cache_clear()
    assert sweeper.sweep() == {"swept": 1, "failed": 1}
    assert sweeper.sweep() == {"swept": 0}
    monkeypatch.undo()
    get_settings.cache_clear()


def test_scheduled_event_runs_the_sweeper(make_user, make_session, calls, kit, feedback_rows):
    from grading.handler import lambda_handler

    rep = make_user("Acme", "salesperson")
    session = make_session(rep, kit.timed(calls["good_migration"]["turns"], "text"))
    context = SimpleNamespace(
        function_name="grading",
        memory_limit_in_mb=1024,
        invoked_function_arn="arn:aws:lambda:sa-east-1:123456789012:function:grading",
        aws_request_id="req-1",
    )
    event = {"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}}
    assert lambda_handler(event, context) == {"swept": 1, "graded": 1}
    assert len(feedback_rows(session)) == 1


@pytest.mark.parametrize(
    ("locale", "retrying", "failed", "missing"),
    [
        (
            "pt-BR",
            "A avaliação não deu certo desta vez e será refeita automaticamente em instantes.",
            "Não foi possível avaliar esta sessão. Um gestor pode pedir uma nova avaliação.",
            "Sessão não encontrada.",
        ),
        (
            "en-US",
            "Grading did not work this time; it will be retried automatically shortly.",
            "This session could not be graded. A manager can ask for it to be graded again.",
            "no such session",
        ),
    ],
)
def test_a_failed_grading_is_explained_without_the_raw_error(
    api, make_user, make_session, calls, kit, sql, locale, retrying, failed, missing
):
    rep = make_user("Acme", "salesperson")
    sql.execute("update public.companies set locale = %s where id = %s", (locale, rep.company_id))
    session = make_session(rep, kit.timed(calls["good_price"]["turns"], "text"))
    sql.execute(
        "update public.training_sessions set grading_attempts = 1,"
        " grading_error = 'KeyError: objections' where id = %s",
        (session,),
    )
    url = f"/api/v1/feedback/sessions/{session}"
    view = api.get(url, headers=rep.headers).json()
    assert (view["status"], view["message"]) == ("pending", retrying)
    sql.execute(
        "update public.training_sessions set grading_attempts = 5 where id = %s", (session,)
    )
    view = api.get(url, headers=rep.headers).json()
    assert (view["status"], view["message"]) == ("failed", failed)
    assert "KeyError" not in str(view)
    gone = api.get(f"/api/v1/feedback/sessions/{uuid.uuid4()}", headers=rep.headers)
    assert gone.status_code == 404 and gone.json()["error"]["message"] == missing
