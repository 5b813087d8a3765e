"""The sessions sweeper: abandoned text sessions, voice sessions whose report never came."""

from __future__ import annotations

import httpx
import pytest

from sessions.sweeper import sweep
from tests.functions.sessions.data import VAPI, insert_persona, insert_voice_session, vapi_env
from tests.functions.webhooks.payloads import end_of_call_report


@pytest.fixture
def people(api, make_user, sql, monkeypatch):
    vapi_env(monkeypatch)
    user = make_user("Nuvem Fiscal", "salesperson")
    return user, insert_persona(sql, user.company_id)


def _age(sql, sid, **columns: str) -> None:
    """Move a session's timestamps into the past (triggers off: updated_at is kept as set)."""
    sets = ", ".join(f"{name} = now() - interval '{ago}'" for name, ago in columns.items())
    sql.execute("set session_replication_role = replica")
    sql.execute(f"update public.training_sessions set {sets} where id = %s", (sid,))
    sql.execute("set session_replication_role = origin")


def _row(sql, sid):
    return sql.execute("select * from public.training_sessions where id = %s", (sid,)).fetchone()


def _queued(sql):
    return sql.execute("select count(*) as n from net.http_request_queue").fetchone()["n"]


def test_abandoned_text_session_is_ended_and_graded(api, sql, people):
    user, persona = people
    sid = api.post(
        "/api/v1/sessions/start",
        headers=user.headers,
        json={"persona_id": str(persona), "mode": "text"},
    ).json()["session_id"]
    fresh = api.post(
        "/api/v1/sessions/start",
        headers=user.headers,
        json={"persona_id": str(persona), "mode": "text"},
    ).json()["session_id"]
    _age(sql, sid, updated_at="2 hours", created_at="2 hours")
    result = sweep()
    assert result["abandoned"] == 1
    assert _row(sql, sid)["status"] == "ended" and _row(sql, sid)["ended_reason"] == "abandoned"
    assert _row(sql, fresh)["status"] == "active"
    assert _queued(sql) == 1
    assert sweep()["swept"] == 0


def test_missing_report_is_recovered_from_vapi_once(sql, people, mock_http):
    user, persona = people
    sid = insert_voice_session(sql, user.id, user.company_id, persona, "call-A")
    _age(sql, sid, ended_at="30 minutes")
    call = end_of_call_report("call-A")["message"]
    del call["type"]
    route = mock_http.get(f"{VAPI}/call/call-A").mock(
        return_value=httpx.Response(200, json={**call, "id": "call-A", "status": "ended"})
    )
    assert sweep()["recovered"] == 1
    row = _row(sql, sid)
    assert row["status"] == "ended" and len(row["transcript"]) == 3
    assert row["recording_url"] == "https://storage.vapi.ai/rec-1.wav"
    assert _queued(sql) == 1
    assert sweep()["swept"] == 0 and route.call_count == 1


def test_live_or_unknown_calls_wait_then_close(sql, people, mock_http):
    user, persona = people
    sid = insert_voice_session(sql, user.id, user.company_id, persona, "call-A")
    _age(sql, sid, ended_at="30 minutes")
    mock_http.get(f"{VAPI}/call/call-A").mock(return_value=httpx.Response(500))
    assert sweep()["pending"] == 1
    assert _row(sql, sid)["status"] == "active"
    _age(sql, sid, created_at="5 hours")
    assert sweep()["closed"] == 1
    row = _row(sql, sid)
    assert row["status"] == "ended" and row["ended_reason"] == "no-call-report"


def test_voice_start_that_never_bound_a_call_fails(sql, people):
    user, persona = people
    row = sql.execute(
        "insert into public.training_sessions (company_id, user_id, persona_id, mode, status,"
        " rubric_version) values (%s, %s, %s, 'voice', 'created', 'v') returning id",
        (user.company_id, user.id, persona),
    ).fetchone()
    _age(sql, row["id"], created_at="1 hour")
    assert sweep()["failed"] == 1
    assert _row(sql, row["id"])["status"] == "failed"
    assert _queued(sql) == 0


def test_scheduled_event_runs_the_sweeper(sql, people):
    from sessions.handler import lambda_handler

    class Context:
        function_name = "sessions"
        memory_limit_in_mb = 512
        invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:sessions"
        aws_request_id = "req-1"

    result = lambda_handler({"source": "aws.events", "detail-type": "Scheduled Event"}, Context())
    assert result["swept"] == 0
