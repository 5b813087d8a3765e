"""`POST /api/v1/webhooks/vapi`: authentication, tool calls, status updates, end-of-call reports."""

from __future__ import annotations

import threading
import time

import pytest

from tests.functions.sessions.data import (
    MATERIAL,
    insert_material,
    insert_persona,
    insert_voice_session,
    vapi_env,
)
from tests.functions.webhooks.payloads import (
    URL,
    end_of_call_report,
    signed,
    status_update,
    tool_calls,
)

UNKNOWN = "this call is not bound to a training session"
OTHER = [
    "A Globex vende turbinas industriais por 9 milhões de reais cada uma, com contrato e migração."
]


@pytest.fixture
def voice(api, make_user, sql, monkeypatch):
    vapi_env(monkeypatch, mode="hmac", credential="cred-1")
    user = make_user("Nuvem Fiscal", "salesperson")
    other = make_user("Globex", "salesperson")
    insert_material(sql, user.company_id)
    insert_material(sql, other.company_id, OTHER)
    persona = insert_persona(sql, user.company_id)
    other_persona = insert_persona(sql, other.company_id, name="Gerente Globex")
    sid = insert_voice_session(sql, user.id, user.company_id, persona, "call-A")
    other_sid = insert_voice_session(sql, other.id, other.company_id, other_persona, "call-B")
    return {"user": user, "other": other, "sid": sid, "other_sid": other_sid}


def _post(api, payload, **kwargs):
    body, headers = signed(payload, **kwargs)
    return api.post(URL, content=body, headers=headers)


def _session(sql, sid):
    return sql.execute("select * from public.training_sessions where id = %s", (sid,)).fetchone()


def _grading_requests(sql, sid):
    return sql.execute(
        "select count(*) as n from net.http_request_queue where convert_from(body, 'UTF8') like %s",
        (f"%{sid}%",),
    ).fetchone()["n"]


# --- authentication -----------------------------------------------------------------------------


def test_signatures_bad_stale_missing_are_401_and_change_nothing(api, sql, voice):
    payload = end_of_call_report("call-A")
    body, headers = signed(payload)
    cases = [
        {**headers, "x-signature": "0" * 64},
        {k: v for k, v in headers.items() if k != "x-signature"},
        {k: v for k, v in headers.items() if k != "x-timestamp"},
        signed(payload, at=time.time() - 3600)[1],
        signed(payload, secret="not-the-secret")[1],
        {"content-type": "application/json"},
    ]
    for bad in cases:
        response = api.post(URL, content=body, headers=bad)
        assert response.status_code == 401, bad
    tampered = body.replace(b"customer-ended-call", b"assistant-ended-call")
    assert api.post(URL, content=tampered, headers=headers).status_code == 401
    row = _session(sql, voice["sid"])
    assert row["status"] == "active" and row["transcript"] == [] and row["call_report_at"] is None
    assert _grading_requests(sql, voice["sid"]) == 0


def test_unauthenticated_malformed_body_is_401_not_400(api):
    assert api.post(URL, content=b"not json").status_code == 401


def test_bearer_mode(api, sql, voice, monkeypatch):
    vapi_env(monkeypatch, mode="bearer")
    payload = status_update("call-A", "in-progress")
    from tests.functions.sessions.data import WEBHOOK_SECRET

    ok = api.post(URL, json=payload, headers={"authorization": f"Bearer {WEBHOOK_SECRET}"})
    assert ok.status_code == 200
    bad = api.post(URL, json=payload, headers={"authorization": "Bearer nope"})
    assert bad.status_code == 401
    assert api.post(URL, json=payload).status_code == 401


# --- malformed and unknown ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[]",
        b'{"message": {}}',
        b'{"message": {"type": "tool-calls"}}',
        b'{"message": {"type": "end-of-call-report", "call": {}}}',
    ],
)
def test_malformed_bodies_are_400(api, sql, voice, payload):
    response = _post(api, payload)
    assert response.status_code == 400, response.text
    assert _session(sql, voice["sid"])["status"] == "active"


def test_unknown_types_are_acknowledged(api, voice):
    response = _post(
        api, {"message": {"type": "speech-update", "status": "started", "role": "user"}}
    )
    assert response.status_code == 200 and response.json()["ignored"] is True


# --- tool calls ---------------------------------------------------------------------------------


def test_one_tool_call_answers_from_the_company_material(api, voice):
    response = _post(api, tool_calls("call-A", ("tc-1", '{"query": "quanto custa o plano Pro?"}')))
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 1
    assert results[0]["toolCallId"] == "tc-1" and results[0]["name"] == "search_knowledge_base"
    assert "R$ 2.000" in results[0]["result"] and "\n" not in results[0]["result"]
    assert "error" not in results[0]


def test_several_tool_calls_keep_order_and_fail_one_by_one(api, voice):
    response = _post(
        api,
        tool_calls(
            "call-A",
            ("tc-1", {"query": "migração dos dados"}),  # arguments as an object
            ("tc-2", '{"query": ""}'),
            ("tc-3", '{"query": "horário do suporte"}'),
        ),
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["toolCallId"] for r in results] == ["tc-1", "tc-2", "tc-3"]
    assert "migração" in results[0]["result"]
    assert "error" in results[1] and "result" not in results[1]
    assert "suporte" in results[2]["result"]


def test_tool_with_tool_call_list_only(api, voice):
    payload = tool_calls("call-A", ("tc-9", '{"query": "suporte"}'))
    del payload["message"]["toolCallList"]
    results = _post(api, payload).json()["results"]
    assert results[0]["toolCallId"] == "tc-9" and "suporte" in results[0]["result"]


def test_metadata_of_another_company_has_no_effect(api, sql, voice):
    smuggled = {"company_id": str(voice["other"].company_id), "session_id": str(voice["other_sid"])}
    response = _post(
        api,
        tool_calls(
            "call-A", ("tc-1", '{"query": "turbinas industriais Globex"}'), metadata=smuggled
        ),
    )
    result = response.json()["results"][0].get("result", "")
    assert "turbinas" not in result
    report = _post(api, end_of_call_report("call-A", metadata=smuggled))
    assert report.status_code == 200
    assert _session(sql, voice["other_sid"])["status"] == "active"
    assert _session(sql, voice["other_sid"])["transcript"] == []
    assert _session(sql, voice["sid"])["status"] == "ended"


def test_unknown_call_gets_errors_and_changes_nothing(api, sql, voice):
    response = _post(
        api, tool_calls("call-unknown", ("tc-1", '{"query": "preço"}'), ("tc-2", "{}"))
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["toolCallId"] for r in results] == ["tc-1", "tc-2"]
    assert all("error" in r and "result" not in r for r in results)
    assert _post(api, end_of_call_report("call-unknown")).json()["applied"] is False
    assert _post(api, status_update("call-unknown", "ended", "x")).status_code == 200
    assert (
        sql.execute(
            "select count(*) as n from public.training_sessions where status = 'ended'"
        ).fetchone()["n"]
        == 0
    )
    assert sql.execute("select count(*) as n from net.http_request_queue").fetchone()["n"] == 0


def test_tool_call_failure_is_a_result_error_not_a_500(api, voice, monkeypatch):
    from dojo.errors import ServiceUnavailable
    from webhooks import tools

    def broken(*_args, **_kwargs):
        raise ServiceUnavailable("embeddings down")

    monkeypatch.setattr(tools, "search", broken)
    response = _post(
        api, tool_calls("call-A", ("tc-1", '{"query": "preço"}'), ("tc-2", '{"query": "x"}'))
    )
    assert response.status_code == 200
    assert [r["error"] for r in response.json()["results"]] == [
        "the knowledge base search failed"
    ] * 2


# --- status and the end-of-call report ----------------------------------------------------------


def test_status_updates(api, sql, voice):
    sql.execute(
        "update public.training_sessions set status = 'created' where id = %s", (voice["sid"],)
    )
    assert _post(api, status_update("call-A", "in-progress")).json()["session_status"] == "active"
    assert _session(sql, voice["sid"])["status"] == "active"
    _post(api, status_update("call-A", "ended", "customer-ended-call"))
    row = _session(sql, voice["sid"])
    # the transcript is still to come: the report ends the session (and triggers grading)
    assert row["status"] == "active" and row["ended_reason"] == "customer-ended-call"
    assert row["ended_at"] is not None
    assert _grading_requests(sql, voice["sid"]) == 0


def test_end_of_call_report_saves_the_conversation(api, sql, voice):
    response = _post(api, end_of_call_report("call-A"))
    assert response.status_code == 200 and response.json()["applied"] is True
    row = _session(sql, voice["sid"])
    assert row["status"] == "ended"
    assert row["ended_reason"] == "customer-ended-call"
    assert row["recording_url"] == "https://storage.vapi.ai/rec-1.wav"
    assert float(row["cost"]) == 0.42 and float(row["duration_seconds"]) == 62.5
    assert row["transcript"] == [
        {
            "speaker": "persona",
            "text": "Alô, aqui é a Carla.",
            "start": 1.0,
            "end": 2.5,
            "words": 5,
        },
        {
            "speaker": "salesperson",
            "text": "Bom dia, Carla! Como funciona o contrato atual de vocês?",
            "start": 3.0,
            "end": 6.2,
            "words": 10,
        },
        {"speaker": "persona", "text": "Vence em março.", "start": 7.0, "end": 8.0, "words": 3},
    ]
    assert _grading_requests(sql, voice["sid"]) == 1
    usage = sql.execute("select kind, cost_usd, ref_id from public.usage").fetchall()
    assert [(u["kind"], float(u["cost_usd"]), u["ref_id"]) for u in usage] == [
        ("vapi", 0.42, voice["sid"])
    ]


def test_same_report_five_times_applies_once(api, sql, voice):
    applied = [_post(api, end_of_call_report("call-A")).json()["applied"] for _ in range(5)]
    assert applied == [True, False, False, False, False]
    assert len(_session(sql, voice["sid"])["transcript"]) == 3
    assert _grading_requests(sql, voice["sid"]) == 1
    assert sql.execute("select count(*) as n from public.usage").fetchone()["n"] == 1


def test_two_reports_at_once_apply_once(api, sql, voice):
    payload = end_of_call_report("call-A")
    outcomes: list[bool] = []
    barrier = threading.Barrier(2)

    def deliver():
        barrier.wait()
        outcomes.append(_post(api, payload).json()["applied"])

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [False, True]
    assert _grading_requests(sql, voice["sid"]) == 1


def test_report_after_status_ended_grades_once(api, sql, voice):
    _post(api, status_update("call-A", "ended", "customer-ended-call"))
    _post(api, end_of_call_report("call-A"))
    assert _session(sql, voice["sid"])["status"] == "ended"
    assert _grading_requests(sql, voice["sid"]) == 1


def test_tool_calls_after_the_end_are_refused(api, voice):
    _post(api, end_of_call_report("call-A"))
    result = _post(api, tool_calls("call-A", ("tc-1", '{"query": "preço"}'))).json()["results"][0]
    assert "error" in result
    assert MATERIAL[0] not in str(result)


def test_reply_shapes_per_message_type(api, voice):
    assert _post(api, status_update("call-unknown", "in-progress")).json() == {
        "received": "status-update",
        "session_status": None,
    }
    assert _post(api, end_of_call_report("call-unknown")).json() == {
        "received": "end-of-call-report",
        "applied": False,
    }
    assert _post(api, {"message": {"type": "hang", "call": {"id": "x"}}}).json() == {
        "received": "hang",
        "ignored": True,
    }
    reply = _post(api, tool_calls("call-unknown", ("tc-1", "{}"))).json()
    assert reply == {
        "results": [{"toolCallId": "tc-1", "name": "search_knowledge_base", "error": UNKNOWN}]
    }
