"""Text sessions with the language model: same prompt as voice, knowledge-base tool, usage."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from dojo.settings import get_settings
from tests.functions.sessions.data import HIDDEN_FACTS, insert_material, insert_persona
from tests.openai_mock import point_llm_at

LLM = "https://llm.test/v1"


@pytest.fixture
def online(api, monkeypatch) -> Iterator[None]:
    point_llm_at(monkeypatch, LLM)
    yield
    get_settings.cache_clear()


def completion(
    content: str | None = None, calls: list[tuple[str, str, str]] = ()
) -> dict[str, Any]:
    """A chat completion in OpenAI's shape, with optional tool calls (id, name, arguments)."""
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if calls:
        message["tool_calls"] = [
            {"id": cid, "type": "function", "function": {"name": name, "arguments": args}}
            for cid, name, args in calls
        ]
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-4o",
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": "tool_calls" if calls else "stop",
            }
        ],
        "usage": {"prompt_tokens": 120, "completion_tokens": 12, "total_tokens": 132},
    }


@pytest.fixture
def session(api, make_user, sql, online):
    user = make_user("Nuvem Fiscal", "salesperson")
    insert_material(sql, user.company_id)
    persona = insert_persona(sql, user.company_id)
    started = api.post(
        "/api/v1/sessions/start",
        headers=user.headers,
        json={"persona_id": str(persona), "mode": "text"},
    )
    assert started.status_code == 201
    return user, started.json()["session_id"]


def _say(api, user, sid, text):
    return api.post(f"/api/v1/sessions/{sid}/messages", headers=user.headers, json={"text": text})


def test_the_model_plays_the_persona_with_the_knowledge_base(api, sql, session, mock_http):
    user, sid = session
    route = mock_http.post(f"{LLM}/chat/completions").mock(
        side_effect=[
            httpx.Response(
                200,
                json=completion(
                    calls=[("call_1", "search_knowledge_base", '{"query": "preço do plano Pro"}')]
                ),
            ),
            httpx.Response(200, json=completion("Vi que o Pro custa R$ 2.000. É caro para nós.")),
        ]
    )
    response = _say(api, user, sid, "Nosso plano Pro resolve a emissão de notas.")
    assert response.status_code == 200, response.text
    assert response.json()["turns"][1]["text"] == "Vi que o Pro custa R$ 2.000. É caro para nós."

    first = json.loads(route.calls[0].request.content)
    system = first["messages"][0]
    assert system["role"] == "system" and "Carla Menezes" in system["content"]
    assert HIDDEN_FACTS[0]["fact"] in system["content"]
    assert "nunca faça o papel do vendedor" in system["content"]
    assert [m["role"] for m in first["messages"][1:]] == ["assistant", "user"]
    assert {t["function"]["name"] for t in first["tools"]} == {"search_knowledge_base", "end_call"}
    second = json.loads(route.calls[1].request.content)
    tool_message = second["messages"][-1]
    assert tool_message["role"] == "tool" and tool_message["tool_call_id"] == "call_1"
    assert "R$ 2.000" in tool_message["content"]  # the company's own material, not invented

    usage = sql.execute(
        "select kind, provider, input_tokens, ref_id::text from public.usage order by id"
    ).fetchall()
    assert [(u["kind"], u["provider"], u["input_tokens"], u["ref_id"]) for u in usage] == [
        ("llm", "openai", 120, sid),
        ("llm", "openai", 120, sid),
    ]


def test_the_model_may_end_the_call(api, sql, session, mock_http):
    user, sid = session
    mock_http.post(f"{LLM}/chat/completions").mock(
        return_value=httpx.Response(
            200,
            json=completion("Não tenho interesse. Até logo.", [("c1", "end_call", "{}")]),
        )
    )
    body = _say(api, user, sid, "Assina logo, é o melhor.").json()
    assert body["ended"] and body["ended_reason"] == "persona-ended-call"
    assert _say(api, user, sid, "Espera!").status_code == 409


def test_a_model_failure_stores_nothing(api, sql, session, mock_http):
    user, sid = session
    mock_http.post(f"{LLM}/chat/completions").mock(return_value=httpx.Response(500, json={}))
    response = _say(api, user, sid, "Bom dia!")
    assert response.status_code == 502
    row = sql.execute(
        "select jsonb_array_length(transcript) as n, status from public.training_sessions"
    ).fetchone()
    assert row["n"] == 1 and row["status"] == "active"
    assert sql.execute("select count(*) as n from public.usage").fetchone()["n"] == 0


def test_a_turn_that_outlives_its_budget_is_503_and_stores_nothing(
    api, sql, session, mock_http, monkeypatch
):
    user, sid = session
    monkeypatch.setenv("DOJO_SESSION_TURN_BUDGET_SECONDS", "2")
    get_settings.cache_clear()
    looked_up = httpx.Response(
        200, json=completion(calls=[("c1", "search_knowledge_base", '{"query": "preço"}')])
    )

    def slow(request):
        time.sleep(1.2)
        return looked_up

    route = mock_http.post(f"{LLM}/chat/completions").mock(side_effect=slow)
    response = _say(api, user, sid, "Quanto custa?")
    assert response.status_code == 503
    assert route.call_count == 1  # no second model call once the budget is spent
    sent = json.loads(route.calls[0].request.content)
    assert sent["messages"][-1]["content"] == "Quanto custa?"
    row = sql.execute(
        "select jsonb_array_length(transcript) as n from training_sessions"
    ).fetchone()
    assert row["n"] == 1


def test_no_transaction_stays_open_while_the_model_answers(api, sql, session, mock_http):
    user, sid = session
    seen: list[tuple[int, int]] = []
    answers = iter(
        [
            completion(calls=[("c1", "search_knowledge_base", '{"query": "preço do plano Pro"}')]),
            completion("Caro demais para nós."),
        ]
    )

    def model(request):
        free = sql.execute(
            "select id from public.training_sessions where id = %s for update skip locked", (sid,)
        ).fetchall()
        open_transactions = sql.execute(
            "select count(*) as n from pg_stat_activity"
            " where state like 'idle in transaction%' and pid <> pg_backend_pid()"
        ).fetchone()["n"]
        seen.append((len(free), open_transactions))
        return httpx.Response(200, json=next(answers))

    mock_http.post(f"{LLM}/chat/completions").mock(side_effect=model)
    response = _say(api, user, sid, "O plano Pro resolve isso.")
    assert response.status_code == 200, response.text
    # both model calls (before and after the knowledge-base lookup) ran with the row unlocked
    # and no transaction of the app left open
    assert seen == [(1, 0), (1, 0)]


def test_a_turn_that_lands_while_the_model_answers_is_answered_again(api, sql, session, mock_http):
    user, sid = session
    landed = [
        {"speaker": "salesperson", "text": "Bom dia!", "start": 1.0, "end": 2.0, "words": 2},
        {"speaker": "persona", "text": "Pois não?", "start": 2.0, "end": 3.0, "words": 2},
    ]
    calls = 0

    def model(request):
        nonlocal calls
        calls += 1
        if calls == 1:  # another message is stored while this one is being answered
            sql.execute("set lock_timeout = '5s'")  # a row held across the call fails, not hangs
            sql.execute(
                "update public.training_sessions set transcript = transcript || %s::jsonb"
                " where id = %s",
                (json.dumps(landed), sid),
            )
            return httpx.Response(200, json=completion("Resposta ao que não sabia."))
        return httpx.Response(200, json=completion("Resposta com tudo o que foi dito."))

    route = mock_http.post(f"{LLM}/chat/completions").mock(side_effect=model)
    response = _say(api, user, sid, "Quanto custa?")
    assert response.status_code == 200, response.text
    turns = response.json()["turns"]
    assert [t["index"] for t in turns] == [3, 4]
    assert turns[1]["text"] == "Resposta com tudo o que foi dito."
    again = json.loads(route.calls[1].request.content)["messages"]
    assert [m["content"] for m in again[-3:]] == ["Bom dia!", "Pois não?", "Quanto custa?"]
    transcript = sql.execute(
        "select transcript from public.training_sessions where id = %s", (sid,)
    ).fetchone()["transcript"]
    assert [t["text"] for t in transcript[1:]] == [
        "Bom dia!",
        "Pois não?",
        "Quanto custa?",
        "Resposta com tudo o que foi dito.",
    ]
    # both model calls were paid for, so both are recorded
    assert sql.execute("select count(*) as n from public.usage").fetchone()["n"] == 2
