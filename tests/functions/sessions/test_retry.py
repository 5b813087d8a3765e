"""Retry this moment: a new session that opens at a persona turn of a finished call."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from dojo_local import dispatcher
from tests.functions.sessions.data import (
    OBJECTIONS,
    VAPI,
    insert_material,
    insert_persona,
    vapi_env,
)

START = "/api/v1/sessions/start"
PITCH = "Nossa plataforma automatiza a emissão de notas e o plano custa 2 mil reais por mês."
HANDLED = (
    "Entendo a preocupação com o preço. Por exemplo, clientes do varejo do seu porte reduzem"
    " 30% do custo com notas no primeiro ano, e o contrato não tem multa."
)


@pytest.fixture
def seller(make_user, sql):
    user = make_user("Nuvem Fiscal", "salesperson")
    insert_material(sql, user.company_id)
    return user, insert_persona(sql, user.company_id)


def _say(api, user, sid, text) -> dict[str, Any]:
    response = api.post(
        f"/api/v1/sessions/{sid}/messages", headers=user.headers, json={"text": text}
    )
    assert response.status_code == 200, response.text
    return response.json()


def _finished_call(api, user, persona) -> tuple[str, list[dict[str, Any]]]:
    """A short text call where the persona raised its price objection, then ended."""
    started = api.post(START, headers=user.headers, json={"persona_id": str(persona)})
    sid = started.json()["session_id"]
    _say(api, user, sid, "Bom dia, Carla! Aqui é o Pedro, da Nuvem Fiscal. Tudo bem?")
    _say(api, user, sid, PITCH)
    _say(api, user, sid, "Pode confiar, é o melhor.")
    ended = api.post(f"/api/v1/sessions/{sid}/end", headers=user.headers)
    assert ended.status_code == 200, ended.text
    return sid, ended.json()["transcript"]


def _objection_turn(transcript: list[dict[str, Any]]) -> int:
    return next(
        t["index"] for t in transcript if t["speaker"] == "persona" and OBJECTIONS[0] in t["text"]
    )


def test_retry_opens_at_the_moment_is_linked_and_graded(api, sql, db_url, seller):
    user, persona = seller
    original, transcript = _finished_call(api, user, persona)
    moment = _objection_turn(transcript)
    response = api.post(
        START, headers=user.headers, json={"retry_of": original, "from_turn": moment}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["first_message"] == transcript[moment]["text"]
    assert body["session"]["retry_of"] == original and body["session"]["from_turn"] == moment
    retry = body["session_id"]
    row = sql.execute(
        "select retry_of, from_turn, transcript, persona_id, persona_snapshot"
        " from public.training_sessions where id = %s",
        (retry,),
    ).fetchone()
    assert str(row["retry_of"]) == original and row["from_turn"] == moment
    assert row["transcript"][0]["speaker"] == "persona"
    assert row["transcript"][0]["text"] == transcript[moment]["text"]
    assert row["persona_id"] == persona
    # the persona knows the situation so far: the objection it raised, what was said before
    situation = row["persona_snapshot"]["retry"]["situation"]
    assert OBJECTIONS[0] in situation and "Aqui é o Pedro" in situation

    # it stands where it stood: the price objection is still open, a weak answer is resisted
    weak = _say(api, user, retry, "Confia em mim, vale a pena.")
    assert OBJECTIONS[0] in weak["turns"][1]["text"]
    # a concrete answer handles it and the persona moves on to its next concern
    handled = _say(api, user, retry, HANDLED)
    assert OBJECTIONS[1] in handled["turns"][1]["text"]
    api.post(f"/api/v1/sessions/{retry}/end", headers=user.headers)

    dispatcher.drain(db_url)  # the session-ended trigger grades both calls
    graded = api.get(f"/api/v1/feedback/sessions/{retry}", headers=user.headers)
    assert graded.status_code == 200, graded.text
    assert graded.json()["status"] == "graded"
    listed = api.get(f"/api/v1/sessions/{original}/retries", headers=user.headers)
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert [(i["session_id"], i["from_turn"], i["status"]) for i in items] == [
        (retry, moment, "ended")
    ]
    assert items[0]["overall"] == pytest.approx(graded.json()["overall"])
    detail = api.get(f"/api/v1/sessions/{retry}", headers=user.headers).json()
    assert detail["retry_of"] == original and detail["from_turn"] == moment


def _code(response, status: int) -> str:
    assert response.status_code == status, response.text
    return str(response.json()["error"]["code"])


def test_bad_retries_are_refused_clearly(api, make_user, seller):
    user, persona = seller
    original, transcript = _finished_call(api, user, persona)
    moment = _objection_turn(transcript)

    def start(who, **body) -> httpx.Response:
        return api.post(START, headers=who.headers, json=body)

    unknown = "00000000-0000-4000-8000-000000000000"
    assert _code(start(user, retry_of=unknown, from_turn=0), 404) == "not_found"
    teammate = make_user("Nuvem Fiscal", "salesperson")
    manager = make_user("Nuvem Fiscal", "manager")
    stranger = make_user("Outra Empresa", "salesperson")
    for other in (teammate, manager, stranger):
        assert _code(start(other, retry_of=original, from_turn=moment), 404) == "not_found"
    seller_turn = next(t["index"] for t in transcript if t["speaker"] == "salesperson")
    assert _code(start(user, retry_of=original, from_turn=seller_turn), 422) == (
        "not_a_persona_turn"
    )
    out = start(user, retry_of=original, from_turn=len(transcript))
    assert _code(out, 422) == "turn_out_of_range"
    assert "0 to" in out.json()["error"]["message"]
    assert _code(start(user, retry_of=original), 422) == "validation_error"
    assert _code(start(user, from_turn=1), 422) == "validation_error"
    both = start(user, retry_of=original, from_turn=moment, persona_id=str(persona))
    assert _code(both, 422) == "validation_error"
    unfinished = api.post(START, headers=user.headers, json={"persona_id": str(persona)})
    sid = unfinished.json()["session_id"]
    out = start(user, retry_of=sid, from_turn=0)
    assert _code(out, 422) == "session_not_finished"
    # nothing was created by any of these
    mine = api.get("/api/v1/sessions", headers=user.headers).json()["items"]
    assert not [s for s in mine if s["retry_of"]]


def test_voice_retry_carries_the_moment_into_the_assistant(api, seller, mock_http, monkeypatch):
    user, persona = seller
    original, transcript = _finished_call(api, user, persona)
    moment = _objection_turn(transcript)
    vapi_env(monkeypatch, mode="bearer")
    call = {"id": "call-retry", "webCallUrl": "https://vapi.daily.co/r", "status": "queued"}
    route = mock_http.post(f"{VAPI}/call/web").mock(return_value=httpx.Response(201, json=call))
    response = api.post(
        START,
        headers=user.headers,
        json={"retry_of": original, "from_turn": moment, "mode": "voice"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["session"]["retry_of"] == original
    sent = json.loads(route.calls.last.request.content)["assistant"]
    assert sent["firstMessage"] == transcript[moment]["text"]
    prompt = sent["model"]["messages"][0]["content"]
    assert "O momento que você retoma" in prompt
    assert OBJECTIONS[0] in prompt and "Aqui é o Pedro" in prompt
    # the browser still learns nothing the persona hides
    assert "situation" not in response.text and OBJECTIONS[1] not in response.text
