"""A persona generation job holds no connection while the model writes (a pool of one proves it).

The model is blocked at the HTTP boundary (a mocked OpenAI waiting on an Event) with one
connection in the pool: the pool lends nothing out, no backend sits in a transaction, and the
manager can follow the job (and read the personas list) while the model is busy.
"""

from __future__ import annotations

import uuid

from personas import jobs
from tests.pool_probe import WAIT, Background, Gate, checked_out, open_transactions, pool_of_one

from .conftest import LLM_BASE, completion, context_ids, valid_set


def test_no_connection_is_held_while_the_model_writes(
    api, openai_env, mock_http, make_user, material, sql
):
    manager = make_user("Acme", "manager")
    material(manager.company_id)
    model = Gate(lambda request: completion(valid_set(context_ids(request))))
    mock_http.post(f"{LLM_BASE}/chat/completions").mock(side_effect=model)
    asked = api.post("/api/v1/personas/generate", headers=manager.headers, json={"count": 6})
    assert asked.status_code == 202, asked.text
    job_id = uuid.UUID(asked.json()["generation_id"])
    try:
        with pool_of_one():
            running = Background(lambda: jobs.process(job_id, manager.company_id))
            assert model.entered.wait(WAIT), "the model was never called"
            assert checked_out() == 0
            assert open_transactions(sql) == []
            followed = api.get(asked.json()["status_url"], headers=manager.headers)
            assert followed.status_code == 200, followed.text
            assert followed.json()["status"] == "running"
            listed = api.get("/api/v1/personas", headers=manager.headers)
            assert listed.status_code == 200, listed.text
            model.open()
            outcome = running.join()
    finally:
        model.open()
    assert outcome.status == "done" and outcome.persona_count == 6
    done = api.get(asked.json()["status_url"], headers=manager.headers).json()
    assert done["status"] == "done" and len(done["result"]["personas"]) == 6
