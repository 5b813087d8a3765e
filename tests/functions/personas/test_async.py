"""Generation as a job (real model): 202, the trigger, the hook, the sweeper and the status route.

OpenAI is mocked by respx; the trigger's request is delivered over real HTTP by the local pg_net
(`dojo_local.dispatcher`), exactly as pg_net calls the function URL in production.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid

import httpx
import pytest

from dojo.settings import get_settings
from dojo_local import dispatcher
from personas import sweeper

from .conftest import LLM_BASE, completion, context_ids, run_job, valid_set

BASE = "/api/v1/personas"
CHAT = f"{LLM_BASE}/chat/completions"
HOOK = "/internal/personas/hook"


@pytest.fixture
def company(make_user, material):
    manager = make_user("Acme", "manager")
    material(manager.company_id)
    return manager


@pytest.fixture
def model(mock_http):
    """A model that answers a valid set (after `delay` seconds, to make deliveries overlap)."""
    state = {"delay": 0.0}

    def answer(request: httpx.Request) -> httpx.Response:
        time.sleep(state["delay"])
        prompt = json.loads(request.content)["messages"][1]["content"]
        mix = {k: int(v) for k, v in re.findall(r"(easy|medium|hard)=(\d+)", prompt)[:3]}
        return completion(valid_set(context_ids(request), mix))

    route = mock_http.post(CHAT).mock(side_effect=answer)
    route.state = state
    return route


@pytest.fixture
def hook_headers(world):
    return {"X-Dojo-Hook-Secret": world.env.hook_secret}


def _job(sql, generation_id):
    return sql.execute(
        "select * from public.persona_generations where id = %s", (generation_id,)
    ).fetchone()


def _personas(sql, company_id, status=None):
    where = "" if status is None else f" and status = '{status}'"
    return sql.execute(
        f"select id, generation_id, status from public.personas where company_id = %s{where}",
        (company_id,),
    ).fetchall()


def _accept(api, user, kind="generate", body=None):
    response = api.post(f"{BASE}/{kind}", headers=user.headers, json=body)
    assert response.status_code == 202, response.text
    return response.json()


def test_accepted_then_the_trigger_runs_the_job(api, db_url, openai_env, model, company, sql):
    response = api.post(f"{BASE}/generate", headers=company.headers, json={"count": 7})
    assert response.status_code == 202, response.text
    accepted = response.json()
    generation_id = accepted["generation_id"]
    assert (accepted["status"], accepted["status_url"]) == (
        "pending",
        f"{BASE}/generations/{generation_id}",
    )
    assert accepted["result"] is None and accepted["attempts"] == 0
    assert response.headers["location"] == accepted["status_url"]
    assert model.call_count == 0, "the request never waits on the model"

    queued = dispatcher.pending(db_url)
    assert len(queued) == 1
    assert queued[0]["url"].endswith(HOOK)
    assert queued[0]["body"] == {
        "type": "personas.requested",
        "generation_id": generation_id,
        "company_id": str(company.company_id),
    }
    job = _job(sql, generation_id)
    assert (job["status"], job["kind"], job["attempts"]) == ("pending", "generate", 0)
    assert job["requested_by"] == company.id and job["request"]["count"] == 7

    status = api.get(accepted["status_url"], headers=company.headers).json()
    assert status["status"] == "pending" and status["result"] is None

    assert dispatcher.drain(db_url) == 1
    status = api.get(accepted["status_url"], headers=company.headers).json()
    assert status["status"] == "done", status
    assert status["persona_count"] == 7 and status["attempts"] == 1 and status["error"] is None
    assert status["started_at"] and status["finished_at"]
    assert len(status["result"]["personas"]) == 7
    stored = _personas(sql, company.company_id)
    assert len(stored) == 7 and {str(p["generation_id"]) for p in stored} == {generation_id}
    assert model.call_count == 1


def test_regenerate_job_archives_the_old_set_with_the_new_one(
    api, db_url, openai_env, model, company, sql
):
    first = run_job(api, db_url, company)
    job = run_job(api, db_url, company, "regenerate", {"count": 5})
    assert job["status"] == "done" and job["kind"] == "regenerate"
    assert job["result"]["archived"] == 6
    active = _personas(sql, company.company_id, "active")
    assert len(active) == 5 and {str(p["generation_id"]) for p in active} == {job["generation_id"]}
    archived = _personas(sql, company.company_id, "archived")
    assert {str(p["generation_id"]) for p in archived} == {first["generation_id"]}


def test_offline_provider_finishes_its_job_before_answering(api, db_url, company, sql, monkeypatch):
    response = api.post(f"{BASE}/generate", headers=company.headers)
    assert response.status_code == 202
    job = response.json()
    assert job["status"] == "done" and job["finished_at"] is not None
    assert job["result"]["offline"] is True and len(job["result"]["personas"]) == 6
    stored = _job(sql, job["generation_id"])
    assert (stored["status"], stored["attempts"], stored["persona_count"]) == ("done", 1, 6)
    # the request ran it: no hook was dispatched, and a stray delivery finds nothing to claim
    assert dispatcher.pending(db_url) == []
    monkeypatch.setenv("DOJO_PERSONAS_PENDING_SECONDS", "0")
    get_settings.cache_clear()
    assert sweeper.sweep() == {
        "sweeper": "personas",
        "found": 0,
        "failed": 0,
        "redispatched": 0,
        "done": 0,
        "skipped": 0,
    }


def test_offline_failure_is_a_failed_job_with_nothing_stored(api, make_user, material, sql):
    manager = make_user("Scant", "manager")
    material(manager.company_id, {"vazio.txt": ["ok"]})
    response = api.post(f"{BASE}/generate", headers=manager.headers)
    assert response.status_code == 202, response.text
    job = response.json()
    assert (job["status"], job["error_code"], job["result"]) == (
        "failed",
        "insufficient_material",
        None,
    )
    assert "too little text" in job["error"]
    assert _personas(sql, manager.company_id) == []
    # a failed job is finished: the next request may start another
    assert api.post(f"{BASE}/generate", headers=manager.headers).status_code == 202


def test_request_is_validated_before_any_job(api, db_url, openai_env, model, make_user, sql):
    manager = make_user("Vazia", "manager")
    rep = make_user("Vazia", "salesperson")
    response = api.post(f"{BASE}/generate", headers=manager.headers)
    assert response.status_code == 409
    assert "upload documents first" in response.json()["error"]["message"]
    assert (
        api.post(f"{BASE}/generate", headers=manager.headers, json={"count": 3}).status_code == 422
    )
    assert api.post(f"{BASE}/regenerate", headers=rep.headers).status_code == 403
    assert sql.execute("select count(*) as n from public.persona_generations").fetchone()["n"] == 0
    assert dispatcher.pending(db_url) == []


def test_one_generation_at_a_time_per_company(api, db_url, openai_env, model, company):
    accepted = _accept(api, company)
    again = api.post(f"{BASE}/regenerate", headers=company.headers)
    assert again.status_code == 409
    error = again.json()["error"]
    assert error["code"] == "generation_in_progress"
    assert error["details"]["status_url"] == accepted["status_url"]
    assert len(dispatcher.pending(db_url)) == 1
    dispatcher.drain(db_url)
    assert _accept(api, company, "regenerate")["generation_id"] != accepted["generation_id"]


def test_hook_delivered_twice_stores_one_set(
    api, db_url, openai_env, model, company, sql, hook_headers
):
    accepted = _accept(api, company)
    event = dispatcher.pending(db_url)[0]["body"]
    dispatcher.drain(db_url)
    again = api.post(HOOK, json=event, headers=hook_headers)
    assert again.status_code == 200 and again.json()["status"] == "skipped"
    assert len(_personas(sql, company.company_id)) == 6
    assert model.call_count == 1
    assert _job(sql, accepted["generation_id"])["attempts"] == 1


def test_concurrent_deliveries_store_one_set(
    api, db_url, openai_env, model, company, sql, hook_headers
):
    model.state["delay"] = 0.3
    accepted = _accept(api, company)
    event = dispatcher.pending(db_url)[0]["body"]
    start = threading.Barrier(3)
    statuses: list[str] = []

    def deliver() -> None:
        start.wait()
        statuses.append(api.post(HOOK, json=event, headers=hook_headers).json()["status"])

    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == ["done", "skipped", "skipped"]
    assert len(_personas(sql, company.company_id)) == 6
    assert model.call_count == 1
    assert _job(sql, accepted["generation_id"])["status"] == "done"


@pytest.mark.parametrize("headers", [{}, {"X-Dojo-Hook-Secret": "wrong"}], ids=["missing", "wrong"])
def test_hook_refuses_without_the_secret(api, db_url, openai_env, model, company, sql, headers):
    accepted = _accept(api, company)
    event = dispatcher.pending(db_url)[0]["body"]
    response = api.post(HOOK, json=event, headers=headers)
    assert response.status_code == 401
    # no secret and a broken body: still 401, nothing about the body leaks
    assert api.post(HOOK, content=b"{", headers=headers).status_code == 401
    job = _job(sql, accepted["generation_id"])
    assert (job["status"], job["attempts"]) == ("pending", 0)
    assert _personas(sql, company.company_id) == [] and model.call_count == 0


def test_hook_for_another_company_runs_nothing(
    api, db_url, openai_env, model, company, make_user, sql, hook_headers
):
    accepted = _accept(api, company)
    other = make_user("Rival", "manager")
    event = {
        "type": "personas.requested",
        "generation_id": accepted["generation_id"],
        "company_id": str(other.company_id),
    }
    assert api.post(HOOK, json=event, headers=hook_headers).json()["status"] == "skipped"
    assert _job(sql, accepted["generation_id"])["status"] == "pending"
    assert model.call_count == 0


def test_model_failure_fails_the_job_with_nothing_stored(
    api, db_url, openai_env, mock_http, company, sql
):
    mock_http.post(CHAT).mock(side_effect=httpx.TimeoutException("read timed out"))
    job = run_job(api, db_url, company)
    assert job["status"] == "failed"
    assert job["error"] == "the language model did not answer in time"
    assert job["finished_at"] and job["result"] is None and job["persona_count"] is None
    assert _personas(sql, company.company_id) == []
    # a failed job does not block the next request
    assert _accept(api, company)["status"] == "pending"


def test_a_worker_that_lost_its_claim_rolls_its_set_back(
    api, db_url, openai_env, mock_http, company, sql
):
    """While the model writes, the job is taken over (a stale claim): the late set is not kept."""
    accepted = _accept(api, company)

    def answer(request: httpx.Request) -> httpx.Response:
        sql.execute(
            "update public.persona_generations set attempts = attempts + 1 where id = %s",
            (accepted["generation_id"],),
        )
        return completion(valid_set(context_ids(request)))

    mock_http.post(CHAT).mock(side_effect=answer)
    dispatcher.drain(db_url)
    assert _personas(sql, company.company_id) == []
    assert sql.execute("select count(*) as n from public.usage").fetchone()["n"] == 0
    assert _job(sql, accepted["generation_id"])["status"] == "running"


def _age(sql, generation_id, seconds, status=None, attempts=None):
    """Make a job look old (the updated_at trigger is bypassed, as if time had passed)."""
    sql.execute("set session_replication_role = replica")
    sql.execute(
        "update public.persona_generations set updated_at = now() - make_interval(secs => %s),"
        " started_at = case when status = 'running' or %s = 'running'"
        "   then now() - make_interval(secs => %s) end,"
        " status = coalesce(%s, status), attempts = coalesce(%s, attempts) where id = %s",
        (seconds, status, seconds, status, attempts, generation_id),
    )
    sql.execute("set session_replication_role = default")


def test_sweeper_redispatches_a_lost_hook(api, db_url, openai_env, model, company, sql):
    accepted = _accept(api, company)
    sql.execute("delete from net.http_request_queue")  # pg_net lost it
    assert sweeper.sweep()["redispatched"] == 0, "too recent: the hook may still arrive"
    _age(sql, accepted["generation_id"], 600)
    summary = sweeper.sweep()
    assert summary["redispatched"] == 1 and summary["failed"] == 0
    assert [r["body"]["generation_id"] for r in dispatcher.pending(db_url)] == [
        accepted["generation_id"]
    ]
    dispatcher.drain(db_url)
    assert _job(sql, accepted["generation_id"])["status"] == "done"
    assert len(_personas(sql, company.company_id)) == 6


def test_sweeper_runs_the_job_itself_when_the_hook_is_not_configured(
    api, db_url, openai_env, model, company, sql
):
    accepted = _accept(api, company)
    sql.execute("delete from net.http_request_queue")
    _age(sql, accepted["generation_id"], 600)
    saved = sql.execute(
        "select secret from vault.secrets where name = 'personas_hook_url'"
    ).fetchone()
    sql.execute("delete from vault.secrets where name = 'personas_hook_url'")
    try:
        summary = sweeper.sweep()
    finally:
        sql.execute(
            "insert into vault.secrets (name, secret) values ('personas_hook_url', %s)",
            (saved["secret"],),
        )
    assert summary["redispatched"] == 1 and summary["done"] == 1
    assert _job(sql, accepted["generation_id"])["status"] == "done"
    assert len(_personas(sql, company.company_id)) == 6


def test_sweeper_retries_a_dead_worker_then_gives_up(api, db_url, openai_env, model, company, sql):
    accepted = _accept(api, company)
    sql.execute("delete from net.http_request_queue")
    # a worker died mid-generation (attempt 1 of 3): dispatched again, and the hook re-claims it
    _age(sql, accepted["generation_id"], 3600, status="running", attempts=1)
    assert sweeper.sweep()["redispatched"] == 1
    dispatcher.drain(db_url)
    job = _job(sql, accepted["generation_id"])
    assert (job["status"], job["attempts"]) == ("done", 2)

    second = _accept(api, company, "regenerate")
    sql.execute("delete from net.http_request_queue")
    _age(sql, second["generation_id"], 3600, status="running", attempts=3)
    summary = sweeper.sweep()
    assert summary["failed"] == 1 and summary["redispatched"] == 0
    status = api.get(second["status_url"], headers=company.headers).json()
    assert status["status"] == "failed" and status["error_code"] == "generation_abandoned"
    assert "did not finish after 3 attempts" in status["error"]
    assert len(_personas(sql, company.company_id, "active")) == 6, "the old set stays active"


def test_status_route_roles_and_tenants(api, db_url, openai_env, model, company, make_user):
    accepted = _accept(api, company)
    url = accepted["status_url"]
    admin = make_user("Acme", "admin")
    rep = make_user("Acme", "salesperson")
    rival = make_user("Rival", "manager")
    assert api.get(url, headers=admin.headers).status_code == 200
    assert api.get(url, headers=rep.headers).status_code == 403
    assert api.get(url).status_code == 401
    response = api.get(url, headers=rival.headers)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert api.get(f"{BASE}/generations/{uuid.uuid4()}", headers=company.headers).status_code == 404
    assert api.get(f"{BASE}/generations/nope", headers=company.headers).status_code == 422


@pytest.mark.parametrize("change", ["demote", "remove"])
def test_a_requester_demoted_or_removed_before_the_job_runs_saves_nothing(
    api, db_url, openai_env, model, company, sql, change
):
    accepted = _accept(api, company)
    if change == "demote":
        sql.execute("update profiles set role = 'salesperson' where id = %s", (company.id,))
    else:
        sql.execute("delete from profiles where id = %s", (company.id,))
    assert dispatcher.drain(db_url) == 1
    job = _job(sql, accepted["generation_id"])
    assert (job["status"], job["error_code"]) == ("failed", "requester_gone")
    assert _personas(sql, company.company_id) == [] and model.call_count == 0
