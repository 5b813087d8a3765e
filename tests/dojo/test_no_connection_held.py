"""Knowledge-base searches hold no connection while the query is embedded (a pool of one).

Retrieval embeds the question with the embeddings provider, an outside call: every caller embeds
first and only then opens its transaction. Here the provider (OpenAI's REST shape, mocked by
respx) blocks on an Event with one connection in the pool, for a Vapi tool call and for the
manager's search box: the pool lends nothing out, no backend sits in a transaction, and another
request is answered meanwhile.
"""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from dojo.settings import get_settings
from tests.functions.sessions.data import (
    insert_material,
    insert_persona,
    insert_voice_session,
    vapi_env,
)
from tests.functions.webhooks.payloads import URL, signed, tool_calls
from tests.pool_probe import WAIT, Background, Gate, checked_out, open_transactions, pool_of_one

EMBEDDINGS = "https://embeddings.test/v1"


def _vectors(request: httpx.Request) -> httpx.Response:
    count = len(json.loads(request.content)["input"])
    data = [{"index": i, "embedding": [1.0] + [0.0] * 1535} for i in range(count)]
    return httpx.Response(200, json={"data": data, "usage": {"prompt_tokens": 3}})


@pytest.fixture
def gate(monkeypatch, mock_http):
    """The embeddings provider, blocked on its first request until the test opens the gate."""
    monkeypatch.setenv("DOJO_EMBEDDINGS_PROVIDER", "openai")
    monkeypatch.setenv("DOJO_OPENAI_API_KEY", "sk-test-embeddings")
    monkeypatch.setenv("DOJO_OPENAI_BASE_URL", EMBEDDINGS)
    monkeypatch.setenv("DOJO_OPENAI_MAX_RETRIES", "0")
    get_settings.cache_clear()
    blocked = Gate(_vectors)
    mock_http.post(f"{EMBEDDINGS}/embeddings").mock(side_effect=blocked)
    yield blocked
    blocked.open()
    monkeypatch.undo()
    get_settings.cache_clear()


def _question() -> str:
    # a question never asked before: query embeddings are cached per process
    return f"qual é o preço do plano {uuid.uuid4().hex[:8]}?"


def test_a_vapi_tool_call_holds_no_connection_while_embedding(
    api, make_user, sql, monkeypatch, gate
):
    vapi_env(monkeypatch, mode="hmac", credential="cred-1")
    rep = make_user("Nuvem Fiscal", "salesperson")
    insert_material(sql, rep.company_id)
    persona = insert_persona(sql, rep.company_id)
    insert_voice_session(sql, rep.id, rep.company_id, persona, "call-A")
    body, headers = signed(tool_calls("call-A", ("tc-1", {"query": _question()})))
    with pool_of_one():
        call = Background(lambda: api.post(URL, content=body, headers=headers))
        assert gate.entered.wait(WAIT), "the embeddings provider was never called"
        assert checked_out() == 0
        assert open_transactions(sql) == []
        me = api.get("/api/v1/auth/me", headers=rep.headers)
        assert me.status_code == 200, me.text
        gate.open()
        answered = call.join()
    assert answered.status_code == 200, answered.text
    (result,) = answered.json()["results"]
    assert result["toolCallId"] == "tc-1" and "error" not in result, result


def test_the_search_box_holds_no_connection_while_embedding(api, make_user, sql, gate):
    manager = make_user("Nuvem Fiscal", "manager")
    insert_material(sql, manager.company_id)
    question = _question()
    with pool_of_one():
        search = Background(
            lambda: api.get(
                "/api/v1/onboarding/search", params={"q": question}, headers=manager.headers
            )
        )
        assert gate.entered.wait(WAIT), "the embeddings provider was never called"
        assert checked_out() == 0
        assert open_transactions(sql) == []
        documents = api.get("/api/v1/onboarding/documents", headers=manager.headers)
        assert documents.status_code == 200, documents.text
        gate.open()
        found = search.join()
    assert found.status_code == 200, found.text
    assert isinstance(found.json(), list)
