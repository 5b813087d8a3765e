"""`GET /api/v1/sessions/operations`: the admins' daily figures of calls and model use."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from tests.functions.sessions.data import insert_persona, insert_voice_session, vapi_env
from tests.functions.webhooks.payloads import URL, signed

OPS = "/api/v1/sessions/operations"
FIXTURE = Path(__file__).parents[1] / "webhooks/fixtures/end_of_call_report_recorded.json"


def _report(api, call_id: str, cost: float) -> None:
    payload = json.loads(FIXTURE.read_text())
    payload["message"]["call"]["id"] = call_id
    payload["message"]["cost"] = cost
    body, headers = signed(payload)
    assert api.post(URL, content=body, headers=headers).json()["applied"] is True


def test_admins_see_calls_completion_cost_latency_and_model_use(api, sql, make_user, monkeypatch):
    vapi_env(monkeypatch, mode="hmac", credential="cred-1")
    admin = make_user("Nuvem Fiscal", "admin")
    seller = make_user("Nuvem Fiscal", "salesperson")
    stranger = make_user("Globex", "admin")
    persona = insert_persona(sql, seller.company_id)
    for call in ("call-1", "call-2", "call-3"):
        insert_voice_session(sql, seller.id, seller.company_id, persona, call)
    _report(api, "call-1", 0.20)
    _report(api, "call-2", 0.30)  # call-3 never reached its report
    for company, tokens_in, tokens_out, cost in (
        (seller.company_id, 1200, 300, 0.006),
        (stranger.company_id, 999, 9, 9),
    ):
        sql.execute(
            "insert into public.usage (company_id, kind, provider, model, operation, input_tokens,"
            " output_tokens, inputs, cost_usd) values (%s, 'llm', 'openai', 'gpt-4o', 'grading',"
            " %s, %s, 1, %s)",
            (company, tokens_in, tokens_out, cost),
        )

    response = api.get(OPS, params={"days": 7}, headers=admin.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["days"] == 7 and len(body["items"]) == 7
    today = body["items"][-1]
    assert today["day"] == datetime.now(UTC).date().isoformat()
    assert today["calls_started"] == 3 and today["calls_reported"] == 2
    assert today["completion_rate"] == 0.667 and body["completion_rate"] == 0.667
    assert today["avg_duration_seconds"] == 75.62
    assert round(today["cost_per_call_usd"], 4) == 0.25
    # p95 over both calls' 14 responses (the same 7 delays twice): rank 12.35 of 0..13 is 2050
    assert today["latency_p95_ms"] == 2050
    assert today["model_input_tokens"] == 1200 and today["model_output_tokens"] == 300
    assert today["model_cost_usd"] == 0.006
    assert all(d["calls_started"] == 0 for d in body["items"][:-1])

    other = api.get(OPS, headers=stranger.headers).json()
    assert other["calls_started"] == 0 and other["model_cost_usd"] == 9


def test_only_admins(api, make_user):
    for role in ("salesperson", "manager"):
        user = make_user("Nuvem Fiscal", role)
        response = api.get(OPS, headers=user.headers)
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    admin = make_user("Nuvem Fiscal", "admin")
    assert api.get(OPS, params={"days": 0}, headers=admin.headers).status_code == 422
    assert api.get(OPS, params={"days": 91}, headers=admin.headers).status_code == 422
    assert api.get(OPS, headers={}).status_code == 401
