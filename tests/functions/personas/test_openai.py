"""Generation through the OpenAI provider, with OpenAI mocked by respx in its documented shape.

With a real model the API answers 202 and a job runs the generation when its hook is delivered
(`run_job` delivers it over HTTP); the job then reports the set, or why nothing was stored.
"""

from __future__ import annotations

import json

import httpx
import pytest

from .conftest import LLM_BASE, completion, context_ids, persona, run_job, valid_set

CHAT = f"{LLM_BASE}/chat/completions"


@pytest.fixture
def company(make_user, material):
    manager = make_user("Acme", "manager")
    ids = material(manager.company_id)
    return manager, ids


def _stored(sql, company_id):
    return sql.execute(
        "select count(*) as n from public.personas where company_id = %s", (company_id,)
    ).fetchone()["n"]


def _usage(sql, company_id):
    return sql.execute(
        "select provider, model, input_tokens, output_tokens, inputs, ref_id from public.usage"
        " where company_id = %s order by id",
        (company_id,),
    ).fetchall()


def test_valid_response_is_stored(api, db_url, openai_env, mock_http, company, sql):
    manager, _ = company
    seen: list[dict] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return completion(valid_set(context_ids(request)))

    route = mock_http.post(CHAT).mock(side_effect=answer)
    job = run_job(api, db_url, manager, body={"count": 6})
    assert job["status"] == "done", job
    body = job["result"]
    assert route.call_count == 1
    assert body["generator"] == "openai" and body["offline"] is False and body["notice"] is None
    assert body["model"] == "gpt-4o-2024-08-06"
    assert [p["generator"] for p in body["personas"]] == ["openai"] * 6
    request = seen[0]
    assert request["model"] == "gpt-4o"
    assert request["temperature"] == 0.9
    assert request["response_format"]["type"] == "json_schema"
    prompt = request["messages"][1]["content"]
    assert "pt-BR" in prompt and "easy=1, medium=3, hard=2" in prompt
    assert _stored(sql, manager.company_id) == 6
    usage = _usage(sql, manager.company_id)
    assert [(u["provider"], u["input_tokens"], u["output_tokens"]) for u in usage] == [
        ("openai", 3000, 2500)
    ]
    assert str(usage[0]["ref_id"]) == body["generation_id"] == job["generation_id"]


def test_model_and_temperature_are_configurable(
    api, db_url, openai_env, mock_http, company, monkeypatch
):
    from dojo.settings import get_settings

    monkeypatch.setenv("DOJO_PERSONAS_MODEL", "gpt-4.1-mini")
    monkeypatch.setenv("DOJO_PERSONAS_TEMPERATURE", "0.4")
    get_settings.cache_clear()
    manager, _ = company
    bodies: list[dict] = []

    def answer(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return completion(valid_set(context_ids(request)))

    mock_http.post(CHAT).mock(side_effect=answer)
    assert run_job(api, db_url, manager)["status"] == "done"
    assert (bodies[0]["model"], bodies[0]["temperature"]) == ("gpt-4.1-mini", 0.4)


@pytest.mark.parametrize(
    "bad",
    ["this is not json", json.dumps({"personas": [{"name": "Só o nome"}]})],
    ids=["invalid-json", "schema-mismatch"],
)
def test_malformed_twice_fails_cleanly(api, db_url, openai_env, mock_http, company, sql, bad):
    manager, _ = company
    route = mock_http.post(CHAT).mock(return_value=completion(bad))
    job = run_job(api, db_url, manager)
    assert job["status"] == "failed"
    assert job["error_code"] == "llm_output_invalid"
    assert "nothing was saved" in job["error"]
    assert job["result"] is None
    assert route.call_count == 2, "one retry, then give up"
    assert _stored(sql, manager.company_id) == 0


def test_malformed_then_valid_is_stored(api, db_url, openai_env, mock_http, company, sql):
    manager, _ = company
    answers = iter(["{not json", None])

    def answer(request: httpx.Request) -> httpx.Response:
        bad = next(answers)
        return completion(bad if bad else valid_set(context_ids(request)))

    route = mock_http.post(CHAT).mock(side_effect=answer)
    job = run_job(api, db_url, manager)
    assert job["status"] == "done", job
    assert route.call_count == 2
    assert job["result"]["attempts"] == 2
    assert _stored(sql, manager.company_id) == 6


def test_rule_breaking_set_is_regenerated_once_with_reasons(
    api, db_url, openai_env, mock_http, company, sql
):
    manager, _ = company
    bodies: list[dict] = []

    def answer(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        ids = context_ids(request)
        answer_set = valid_set(ids)
        if len(bodies) == 1:  # same name twice and the wrong difficulty mix
            answer_set["personas"][1]["name"] = answer_set["personas"][0]["name"]
            answer_set["personas"][5]["difficulty"] = "easy"
        return completion(answer_set)

    route = mock_http.post(CHAT).mock(side_effect=answer)
    job = run_job(api, db_url, manager)
    assert job["status"] == "done", job
    assert route.call_count == 2
    feedback = bodies[1]["messages"][-1]["content"]
    assert "names must be distinct" in feedback and "difficulty mix" in feedback
    assert len({p["name"] for p in job["result"]["personas"]}) == 6
    # both calls are on the bill
    assert len(_usage(sql, manager.company_id)) == 2


def test_rule_breaking_twice_fails_with_nothing_stored(
    api, db_url, openai_env, mock_http, company, sql
):
    manager, _ = company

    def answer(request: httpx.Request) -> httpx.Response:
        answer_set = valid_set(context_ids(request))
        answer_set["personas"] = answer_set["personas"][:4]  # asked for 6
        return completion(answer_set)

    route = mock_http.post(CHAT).mock(side_effect=answer)
    job = run_job(api, db_url, manager)
    assert job["status"] == "failed"
    assert job["error_code"] == "llm_output_invalid"
    assert any("expected exactly 6" in r for r in job["error_details"]["reasons"])
    assert route.call_count == 2
    assert _stored(sql, manager.company_id) == 0
    usage = _usage(sql, manager.company_id)
    assert len(usage) == 2 and all(u["ref_id"] is None for u in usage)


def test_foreign_chunk_citations_are_dropped(
    api, db_url, openai_env, mock_http, make_user, material, sql
):
    manager = make_user("Acme", "manager")
    rival = make_user("Rival", "manager")
    material(manager.company_id)
    rival_chunk = material(rival.company_id, {"r.md": ["Plano Rival R$ 10,00/mês."]})["r.md"][0]

    def answer(request: httpx.Request) -> httpx.Response:
        ids = context_ids(request)
        answer_set = valid_set(ids)
        for p in answer_set["personas"]:
            p["objections"].append({"text": "Do concorrente", "chunk_ids": [ids[0], rival_chunk]})
            p["objections"].append({"text": "Inventado", "chunk_ids": [999_999]})
        return completion(answer_set)

    route = mock_http.post(CHAT).mock(side_effect=answer)
    job = run_job(api, db_url, manager)
    assert job["status"] == "done", job
    assert route.call_count == 1
    assert job["result"]["dropped_objections"] == 12
    cited = sql.execute(
        "select o from public.personas p, jsonb_array_elements(p.objections) o"
        " where p.company_id = %s",
        (manager.company_id,),
    ).fetchall()
    texts = [row["o"]["text"] for row in cited]
    assert len(texts) == 6 and "Do concorrente" not in texts and "Inventado" not in texts
    mine = {
        r["id"]
        for r in sql.execute(
            "select id from public.knowledge_base where company_id = %s", (manager.company_id,)
        ).fetchall()
    }
    assert all(set(row["o"]["chunk_ids"]) <= mine for row in cited)


def test_persona_left_without_grounded_objection_triggers_regeneration(
    api, db_url, openai_env, mock_http, company, sql
):
    manager, _ = company
    calls = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        ids = context_ids(request)
        answer_set = valid_set(ids)
        if len(calls) == 1:
            answer_set["personas"][0] = persona(
                "Renata Alves", "Diretora Financeira", "easy", [max(ids) + 1000]
            )
        return completion(answer_set)

    mock_http.post(CHAT).mock(side_effect=answer)
    job = run_job(api, db_url, manager)
    assert job["status"] == "done", job
    assert len(calls) == 2
    assert _stored(sql, manager.company_id) == 6


def test_rate_limited_then_success(api, db_url, openai_env, mock_http, company, sql, monkeypatch):
    from dojo.settings import get_settings

    monkeypatch.setenv("DOJO_OPENAI_MAX_RETRIES", "2")
    get_settings.cache_clear()
    manager, _ = company
    limited = httpx.Response(
        429,
        headers={"retry-after-ms": "1"},
        json={"error": {"message": "Rate limit reached", "type": "requests", "code": None}},
    )
    calls = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return limited if len(calls) == 1 else completion(valid_set(context_ids(request)))

    mock_http.post(CHAT).mock(side_effect=answer)
    job = run_job(api, db_url, manager)
    assert job["status"] == "done", job
    assert len(calls) == 2
    assert _stored(sql, manager.company_id) == 6


def test_rate_limited_throughout_fails_the_job(api, db_url, openai_env, mock_http, company, sql):
    manager, _ = company
    mock_http.post(CHAT).mock(
        return_value=httpx.Response(429, headers={"retry-after-ms": "1"}, json={"error": {}})
    )
    job = run_job(api, db_url, manager)
    assert job["status"] == "failed" and job["error"]
    assert _stored(sql, manager.company_id) == 0


def test_timeout_fails_the_job_and_nothing_is_stored(
    api, db_url, openai_env, mock_http, company, sql
):
    manager, _ = company
    route = mock_http.post(CHAT).mock(side_effect=httpx.TimeoutException("read timed out"))
    job = run_job(api, db_url, manager)
    assert job["status"] == "failed"
    assert "did not answer in time" in job["error"]
    assert route.call_count == 1
    assert _stored(sql, manager.company_id) == 0
    assert _usage(sql, manager.company_id) == []


def test_regenerate_failure_keeps_the_active_set(api, db_url, openai_env, mock_http, company, sql):
    manager, _ = company
    route = mock_http.post(CHAT)
    route.mock(side_effect=lambda request: completion(valid_set(context_ids(request))))
    assert run_job(api, db_url, manager)["status"] == "done"
    route.mock(side_effect=httpx.TimeoutException("read timed out"))
    assert run_job(api, db_url, manager, "regenerate")["status"] == "failed"
    active = sql.execute(
        "select count(*) as n from public.personas where company_id = %s and status = 'active'",
        (manager.company_id,),
    ).fetchone()["n"]
    assert active == 6


def test_regeneration_timeout_still_bills_the_first_call(
    api, db_url, openai_env, mock_http, company, sql
):
    manager, _ = company
    calls = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 2:
            raise httpx.TimeoutException("read timed out")
        answer_set = valid_set(context_ids(request))
        answer_set["personas"][0]["end_conditions"] = []  # broken: regeneration needed
        return completion(answer_set)

    mock_http.post(CHAT).mock(side_effect=answer)
    job = run_job(api, db_url, manager)
    assert job["status"] == "failed"
    assert len(calls) == 2
    assert _stored(sql, manager.company_id) == 0
    assert [u["input_tokens"] for u in _usage(sql, manager.company_id)] == [3000]
