"""Voice sessions: the assistant Vapi receives, the web call, failures, what the browser sees."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.functions.sessions.data import (
    HIDDEN_FACTS,
    OBJECTIONS,
    PRIVATE_KEY,
    PUBLIC_KEY,
    VAPI,
    WEBHOOK_SECRET,
    insert_persona,
    vapi_env,
)

START = "/api/v1/sessions/start"
CALL = {"id": "call-123", "webCallUrl": "https://vapi.daily.co/room-123", "status": "queued"}


@pytest.fixture
def seller(api, make_user, sql, monkeypatch):
    vapi_env(monkeypatch, mode="bearer")
    user = make_user("Nuvem Fiscal", "salesperson")
    return user, insert_persona(sql, user.company_id)


def _start(api, user, persona):
    return api.post(START, headers=user.headers, json={"persona_id": str(persona), "mode": "voice"})


def test_voice_start_builds_the_assistant_and_binds_the_call(api, sql, seller, mock_http):
    user, persona = seller
    route = mock_http.post(f"{VAPI}/call/web").mock(return_value=httpx.Response(201, json=CALL))
    response = _start(api, user, persona)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["call"] == {
        "id": "call-123",
        "web_call_url": "https://vapi.daily.co/room-123",
        "public_key": PUBLIC_KEY,
    }
    row = sql.execute(
        "select status, vapi_call_id, mode, rubric_version from public.training_sessions"
        " where id = %s",
        (body["session_id"],),
    ).fetchone()
    assert row["vapi_call_id"] == "call-123" and row["status"] == "created"

    request = route.calls.last.request
    assert request.headers["authorization"] == f"Bearer {PRIVATE_KEY}"
    sent = json.loads(request.content)["assistant"]
    assert sent["firstMessage"] == "Alô, aqui é a Carla. Quem fala?"
    assert sent["model"]["provider"] == "openai" and sent["model"]["model"] == "gpt-4o"
    assert sent["model"]["messages"][0]["role"] == "system"
    prompt = sent["model"]["messages"][0]["content"]
    assert "Carla Menezes" in prompt and HIDDEN_FACTS[0]["fact"] in prompt
    tool = sent["model"]["tools"][0]
    assert tool["function"]["name"] == "search_knowledge_base"
    assert tool["server"]["url"].endswith("/api/v1/webhooks/vapi")
    assert tool["server"]["headers"] == {"authorization": f"Bearer {WEBHOOK_SECRET}"}
    assert sent["model"]["tools"][1] == {"type": "endCall"}
    assert sent["voice"] == {
        "provider": "11labs",
        "voiceId": "EXAVITQu4vr4xnSDxMaL",
        "model": "eleven_multilingual_v2",
    }
    assert sent["transcriber"] == {"provider": "deepgram", "model": "nova-2", "language": "pt-BR"}
    assert sent["maxDurationSeconds"] == 600
    assert sent["artifactPlan"]["recordingEnabled"] is True
    assert set(sent["serverMessages"]) == {"end-of-call-report", "status-update", "tool-calls"}
    assert sent["server"]["url"].endswith("/api/v1/webhooks/vapi")
    assert sent["metadata"] == {
        "session_id": body["session_id"],
        "company_id": str(user.company_id),
    }

    # the browser gets what it needs to join, and no secret
    text = response.text
    for secret in (
        PRIVATE_KEY,
        WEBHOOK_SECRET,
        prompt[:60],
        HIDDEN_FACTS[0]["fact"],
        HIDDEN_FACTS[1]["fact"],
        *OBJECTIONS,
    ):
        assert secret not in text


def test_credential_id_keeps_the_secret_out_of_the_assistant(api, seller, mock_http, monkeypatch):
    user, persona = seller
    vapi_env(monkeypatch, mode="hmac", credential="cred-789")
    route = mock_http.post(f"{VAPI}/call/web").mock(return_value=httpx.Response(201, json=CALL))
    assert _start(api, user, persona).status_code == 201
    raw = route.calls.last.request.content.decode()
    assert WEBHOOK_SECRET not in raw
    sent = json.loads(raw)["assistant"]
    assert sent["server"] == {
        "url": sent["server"]["url"],
        "timeoutSeconds": 20,
        "credentialId": "cred-789",
    }


def test_vapi_validation_error_is_502_and_the_session_failed(api, sql, seller, mock_http):
    user, persona = seller
    mock_http.post(f"{VAPI}/call/web").mock(
        return_value=httpx.Response(
            400,
            json={
                "message": ["assistant.property foo should not exist"],
                "error": "Bad Request",
                "statusCode": 400,
            },
        )
    )
    response = _start(api, user, persona)
    assert response.status_code == 502
    error = response.json()["error"]
    assert error["details"]["messages"] == ["assistant.property foo should not exist"]
    row = sql.execute("select status, vapi_call_id, ended_reason from public.training_sessions")
    rows = row.fetchall()
    assert len(rows) == 1 and rows[0]["status"] == "failed" and rows[0]["vapi_call_id"] is None
    assert PRIVATE_KEY not in response.text


def test_rate_limited_then_ok_is_retried(api, seller, mock_http):
    user, persona = seller
    route = mock_http.post(f"{VAPI}/call/web").mock(
        side_effect=[httpx.Response(429), httpx.Response(201, json=CALL)]
    )
    assert _start(api, user, persona).status_code == 201
    assert route.call_count == 2


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        (httpx.Response(429, json={"message": "Rate limit exceeded"}), 503),
        (httpx.Response(500, json={"message": "boom"}), 502),
        (httpx.ConnectTimeout("slow"), 503),
    ],
)
def test_retries_are_bounded_and_mapped(api, sql, seller, mock_http, outcome, status):
    user, persona = seller
    route = mock_http.post(f"{VAPI}/call/web").mock(side_effect=lambda request: _raise(outcome))
    response = _start(api, user, persona)
    assert response.status_code == status, response.text
    assert route.call_count == 3  # one try and two retries (DOJO_VAPI_MAX_RETRIES=2)
    row = sql.execute("select status from public.training_sessions").fetchone()
    assert row["status"] == "failed"


def _raise(outcome):
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def test_voice_without_configuration_is_503_and_writes_nothing(api, sql, seller, monkeypatch):
    user, persona = seller
    monkeypatch.setenv("DOJO_VAPI_PRIVATE_KEY", "")
    from dojo.settings import get_settings

    get_settings.cache_clear()
    response = _start(api, user, persona)
    assert response.status_code == 503
    assert sql.execute("select count(*) as n from public.training_sessions").fetchone()["n"] == 0


def test_end_live_voice_call_asks_vapi_and_waits_for_the_report(api, sql, seller, mock_http):
    user, persona = seller
    mock_http.post(f"{VAPI}/call/web").mock(return_value=httpx.Response(201, json=CALL))
    sid = _start(api, user, persona).json()["session_id"]
    sql.execute("update public.training_sessions set status = 'active' where id = %s", (sid,))
    mock_http.get(f"{VAPI}/call/call-123").mock(
        return_value=httpx.Response(
            200,
            json={
                "id": "call-123",
                "status": "in-progress",
                "monitor": {"controlUrl": "https://control.vapi.test/call-123/control"},
            },
        )
    )
    control = mock_http.post("https://control.vapi.test/call-123/control").mock(
        return_value=httpx.Response(200, json={})
    )
    response = api.post(f"/api/v1/sessions/{sid}/end", headers=user.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["call_end"] == "requested" and body["awaiting_call_report"] is True
    assert json.loads(control.calls.last.request.content) == {"type": "end-call"}
    row = sql.execute(
        "select status, ended_reason from public.training_sessions where id = %s", (sid,)
    ).fetchone()
    assert row["status"] == "active" and row["ended_reason"] == "salesperson-ended-call"
    # grading waits for the transcript: nothing queued yet
    assert sql.execute("select count(*) as n from net.http_request_queue").fetchone()["n"] == 0


def test_end_before_the_call_went_live_waits_for_the_report(api, sql, seller, mock_http):
    user, persona = seller
    mock_http.post(f"{VAPI}/call/web").mock(return_value=httpx.Response(201, json=CALL))
    sid = _start(api, user, persona).json()["session_id"]
    mock_http.get(f"{VAPI}/call/call-123").mock(
        return_value=httpx.Response(200, json={"id": "call-123", "status": "ended"})
    )
    first = api.post(f"/api/v1/sessions/{sid}/end", headers=user.headers)
    assert first.status_code == 200
    body = first.json()
    assert body["call_end"] == "already_ended" and body["awaiting_call_report"] is True
    assert body["status"] == "created" and body["ended_reason"] == "salesperson-ended-call"
    again = api.post(f"/api/v1/sessions/{sid}/end", headers=user.headers)
    assert again.status_code == 200 and again.json()["ended_at"] == body["ended_at"]
    assert sql.execute("select count(*) as n from net.http_request_queue").fetchone()["n"] == 0


def test_end_when_vapi_is_down_still_records_the_end(api, sql, seller, mock_http):
    user, persona = seller
    mock_http.post(f"{VAPI}/call/web").mock(return_value=httpx.Response(201, json=CALL))
    sid = _start(api, user, persona).json()["session_id"]
    mock_http.get(f"{VAPI}/call/call-123").mock(return_value=httpx.Response(503))
    response = api.post(f"/api/v1/sessions/{sid}/end", headers=user.headers)
    assert response.status_code == 200 and response.json()["call_end"] == "failed"
    row = sql.execute("select ended_at from public.training_sessions where id = %s", (sid,))
    assert row.fetchone()["ended_at"] is not None
