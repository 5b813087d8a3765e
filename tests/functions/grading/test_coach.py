"""The coach on real Postgres through the gateway: the next drill, the plan, better lines grounded
in the company's own chunks, and asking the coach (offline, and a mocked model).

Two companies with their own material: whatever the coach cites must exist and belong to the
caller's company; another company's session is 404 whatever is asked.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

import httpx
import pytest

from dojo_local.offline.embeddings import offline_vector
from grading import rubric, sweeper

BASE = "/api/v1/feedback"
MODEL = "offline-ngram-1536"
MATERIAL = [
    "Planos e preços. O plano Essencial custa R$ 149 por mês e cobre até 100 notas. "
    "O plano Profissional custa R$ 349 por mês, com até 1.000 notas e suporte por telefone.",
    "Pagamento anual tem 15% de desconto sobre a mensalidade.",
    "Migração assistida: importamos os XMLs dos últimos cinco anos em até 10 dias úteis, e o "
    "sistema antigo só é desligado depois da conferência.",
    "Teste grátis de 14 dias, sem cartão de crédito. A demonstração guiada dura 20 minutos.",
]
OTHER_MATERIAL = ["A Globex vende caminhões. O modelo X custa R$ 900.000 à vista."]
RULES = rubric.load("2026-11-v1")


def _material(sql: Any, company_id: uuid.UUID, chunks: list[str]) -> list[int]:
    doc = sql.execute(
        "insert into public.documents (company_id, storage_path, filename, mime, status,"
        " chunk_count) values (%s, %s, 'kit.txt', 'text/plain', 'ready', %s) returning id",
        (company_id, f"{company_id}/{uuid.uuid4()}/kit.txt", len(chunks)),
    ).fetchone()
    ids = []
    for index, content in enumerate(chunks):
        vector = "[" + ",".join(f"{v:.7g}" for v in offline_vector(content)) + "]"
        row = sql.execute(
            "insert into public.knowledge_base (company_id, document_id, chunk_index, content,"
            " metadata, content_hash, embedding, embedding_model) values (%s, %s, %s, %s, '{}',"
            " %s, %s::extensions.vector, %s) returning id",
            (
                company_id,
                doc["id"],
                index,
                content,
                hashlib.sha256(content.encode()).hexdigest(),
                vector,
                MODEL,
            ),
        ).fetchone()
        ids.append(int(row["id"]))
    return ids


def _persona(sql: Any, company_id: uuid.UUID, name: str, difficulty: str, **counts: int) -> str:
    lists = {
        key: json.dumps([{"text": f"{key} {i}"} for i in range(counts.get(key, 0))])
        for key in ("objections", "hidden_facts", "end_conditions", "pains")
    }
    row = sql.execute(
        "insert into public.personas (company_id, name, role, difficulty, objections,"
        " hidden_facts, end_conditions, pains) values (%s, %s, 'Diretor', %s, %s, %s, %s, %s)"
        " returning id",
        (company_id, name, difficulty, *lists.values()),
    ).fetchone()
    return str(row["id"])


def _company_chunks(sql: Any, company_id: uuid.UUID) -> dict[int, str]:
    rows = sql.execute(
        "select id, content from public.knowledge_base where company_id = %s", (company_id,)
    ).fetchall()
    return {int(r["id"]): r["content"] for r in rows}


@pytest.fixture
def coached(make_user, make_session, calls, kit, sql):
    """Acme (material, personas, a manager, two salespeople) and Globex (its own material); the
    mediocre and good calls of Acme's salesperson graded offline."""
    rep = make_user("Acme", "salesperson")
    people = {
        "rep": rep,
        "rep2": make_user("Acme", "salesperson"),
        "manager": make_user("Acme", "manager"),
        "other": make_user("Globex", "salesperson"),
        "other_manager": make_user("Globex", "manager"),
    }
    _material(sql, rep.company_id, MATERIAL)
    _material(sql, people["other"].company_id, OTHER_MATERIAL)
    personas = {
        "objector": _persona(sql, rep.company_id, "Otávio Duro", "hard", objections=4, pains=1),
        "secretive": _persona(sql, rep.company_id, "Sara Reservada", "medium", hidden_facts=5),
        "hurried": _persona(sql, rep.company_id, "Hugo Apressado", "easy", end_conditions=3),
    }
    sessions = {}
    for name in ("mediocre_no_close", "good_price"):
        call = calls[name]
        turns = kit.timed(call["turns"], "voice")
        sessions[name] = make_session(rep, turns, mode="voice", persona=call["persona"])
    other_call = calls["good_accountant"]
    sessions["other"] = make_session(people["other"], kit.timed(other_call["turns"], "text"))
    assert sweeper.sweep()["graded"] == 3
    return {"people": people, "personas": personas, "sessions": sessions}


def _card(api, user, session) -> dict[str, Any]:
    response = api.get(f"{BASE}/sessions/{session}", headers=user.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


# --- better lines -------------------------------------------------------------------------------


def test_better_lines_cite_chunks_of_the_company(api, coached, sql):
    rep = coached["people"]["rep"]
    own = _company_chunks(sql, rep.company_id)
    cited = 0
    for name in ("mediocre_no_close", "good_price"):
        card = _card(api, rep, coached["sessions"][name])
        assert card["improvements"], name
        for item in card["improvements"]:
            line = item["better_line"]
            assert line and line["text"], item
            assert line["text"] != item["quote"]
            for chunk_id in line["chunk_ids"]:
                # a chunk of this company, whose words the line quotes
                assert chunk_id in own, (chunk_id, item)
                assert any(
                    s.strip() and s.strip() in line["text"] for s in own[chunk_id].split(". ")
                )
                cited += 1
    assert cited >= 1


def test_a_closing_line_proposes_a_dated_step_with_the_materials_offer(api, coached):
    rep = coached["people"]["rep"]
    card = _card(api, rep, coached["sessions"]["mediocre_no_close"])
    closing = [i for i in card["improvements"] if i["category"] == "closing"]
    assert closing, card["improvements"]
    text = closing[0]["better_line"]["text"]
    assert "quinta às 10h" in text
    assert "14 dias" in text or "20 minutos" in text  # the material's trial or demo, cited
    assert closing[0]["better_line"]["chunk_ids"]


# --- the next drill and the plan ----------------------------------------------------------------


def _weakest(card: dict[str, Any]) -> str:
    scores = {c["key"]: c["score"] for c in card["categories"]}
    return min(RULES.keys, key=lambda k: (scores[k], -RULES.category(k).weight))


def test_next_drill_is_the_weakest_category_with_a_persona_that_exercises_it(api, coached):
    rep = coached["people"]["rep"]
    card = _card(api, rep, coached["sessions"]["mediocre_no_close"])
    drill = card["next_drill"]
    assert drill["category"] == _weakest(card)
    expected = {
        "objection_handling": "objector",
        "discovery": "secretive",
        "closing": "hurried",
        "rapport": "objector",
    }[drill["category"]]
    assert drill["persona_id"] == coached["personas"][expected]
    assert f"({drill['score']:.0f})" in drill["why"]
    # the why quotes this call's salesperson
    spoken = " ".join(t["text"] for t in card_transcript(api, rep, card["session_id"]))
    quoted = drill["why"].split("“", 1)[1].rsplit("”", 1)[0].rstrip(" …")
    assert quoted in spoken


def card_transcript(api, user, session_id) -> list[dict[str, Any]]:
    response = api.get(f"/api/v1/sessions/{session_id}", headers=user.headers)
    assert response.status_code == 200, response.text
    return [t for t in response.json()["transcript"] if t["speaker"] == "salesperson"]


def test_an_override_refreshes_the_next_drill(api, coached):
    rep, manager = coached["people"]["rep"], coached["people"]["manager"]
    session = coached["sessions"]["mediocre_no_close"]
    before = _card(api, rep, session)["next_drill"]["category"]
    body = {"scores": {before: 100}, "note": "Revisado na gravação."}
    patched = api.patch(f"{BASE}/sessions/{session}", json=body, headers=manager.headers)
    assert patched.status_code == 200, patched.text
    after = _card(api, rep, session)
    assert after["next_drill"]["category"] != before
    assert after["next_drill"]["category"] == _weakest(after)


def test_the_plan_is_the_three_weakest_recent_categories(api, coached):
    rep = coached["people"]["rep"]
    progress = api.get(f"{BASE}/me/progress", headers=rep.headers).json()
    plan = progress["plan"]
    assert len(plan) == 3
    averages = {c["key"]: c["moving_average"] for c in progress["categories"]}
    assert [d["category"] for d in plan] == sorted(
        averages, key=lambda k: (averages[k], -RULES.category(k).weight)
    )[:3]
    assert all(d["persona_id"] in coached["personas"].values() for d in plan)
    # refreshed as scores change: the weakest raised to 100 on both calls leaves the plan
    manager = coached["people"]["manager"]
    for session in (coached["sessions"]["mediocre_no_close"], coached["sessions"]["good_price"]):
        body = {"scores": {plan[0]["category"]: 100}, "note": "Ajuste."}
        api.patch(f"{BASE}/sessions/{session}", json=body, headers=manager.headers)
    again = api.get(f"{BASE}/me/progress", headers=rep.headers).json()["plan"]
    assert plan[0]["category"] not in [d["category"] for d in again]


# --- ask the coach ------------------------------------------------------------------------------

QUESTION = "Como eu devia ter respondido à objeção de preço?"


def test_ask_offline_cites_real_turns_criteria_and_chunks(api, coached, sql):
    rep = coached["people"]["rep"]
    session = coached["sessions"]["good_price"]
    response = api.post(
        f"{BASE}/sessions/{session}/ask", json={"question": QUESTION}, headers=rep.headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["coach"]["offline"] is True
    assert body["answer"].startswith("Coach offline")
    transcript = sql.execute(
        "select transcript from public.training_sessions where id = %s", (session,)
    ).fetchone()["transcript"]
    kinds = {c["kind"] for c in body["citations"]}
    assert kinds == {"turn", "criterion", "chunk"}
    own = _company_chunks(sql, rep.company_id)
    for citation in body["citations"]:
        if citation["kind"] == "turn":
            assert transcript[citation["turn"]]["text"] == citation["text"]
        elif citation["kind"] == "criterion":
            criteria = RULES.category(citation["category"]).criteria_in("pt-BR")
            assert criteria[citation["criterion"]] == citation["text"]
        else:
            assert citation["chunk_id"] in own
    # the price objection is the moment discussed: "R$ 349 por mês é caro"
    turns = [c["turn"] for c in body["citations"] if c["kind"] == "turn"]
    assert "caro" in transcript[turns[0]]["text"]
    used = sql.execute(
        "select provider, operation, ref_id from public.usage where company_id = %s"
        " and operation = 'coach'",
        (rep.company_id,),
    ).fetchall()
    assert used == [{"provider": "offline", "operation": "coach", "ref_id": session}]


def test_ask_has_the_scorecards_access(api, coached):
    people, sessions = coached["people"], coached["sessions"]
    session = sessions["good_price"]
    url = f"{BASE}/sessions/{session}/ask"
    body = {"question": QUESTION}
    assert api.post(url, json=body, headers=people["manager"].headers).status_code == 200
    for who in ("rep2", "other", "other_manager"):
        refused = api.post(url, json=body, headers=people[who].headers)
        assert refused.status_code == 404, who
        assert set(refused.json()["error"]) == {"code", "message", "request_id"}
    missing = api.post(
        f"{BASE}/sessions/{uuid.uuid4()}/ask", json=body, headers=people["rep"].headers
    )
    assert missing.status_code == 404
    # another company's session, asked by its own manager's neighbour: same 404
    foreign = api.post(
        f"{BASE}/sessions/{sessions['other']}/ask", json=body, headers=people["manager"].headers
    )
    assert foreign.status_code == 404


@pytest.mark.parametrize("question", ["", "   ", "a" * 501])
def test_ask_refuses_an_empty_or_overlong_question(api, coached, question):
    rep = coached["people"]["rep"]
    url = f"{BASE}/sessions/{coached['sessions']['good_price']}/ask"
    response = api.post(url, json={"question": question}, headers=rep.headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_ask_about_an_ungraded_session_is_a_conflict(api, coached, make_session, kit):
    rep = coached["people"]["rep"]
    active = make_session(rep, kit.timed([["persona", "Alô?"]], "text"), status="active")
    response = api.post(
        f"{BASE}/sessions/{active}/ask", json={"question": QUESTION}, headers=rep.headers
    )
    assert response.status_code == 409


def test_ask_with_the_model_keeps_only_real_citations_and_holds_no_connection(
    api, coached, openai, kit, sql
):
    rep = coached["people"]["rep"]
    session = coached["sessions"]["good_price"]
    own = sorted(_company_chunks(sql, rep.company_id))
    foreign = sorted(_company_chunks(sql, coached["people"]["other"].company_id))
    seen: list[dict[str, Any]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        # while the model answers, no transaction of the app is open
        open_tx = sql.execute(
            "select count(*) as n from pg_stat_activity where state like 'idle in transaction%%'"
            " and pid <> pg_backend_pid()"
        ).fetchone()["n"]
        cites = [
            {"kind": "turn", "turn": 10, "category": None, "criterion": None, "chunk_id": None},
            {"kind": "turn", "turn": 99, "category": None, "criterion": None, "chunk_id": None},
            {
                "kind": "criterion",
                "turn": None,
                "category": "objection_handling",
                "criterion": 0,
                "chunk_id": None,
            },
            {
                "kind": "chunk",
                "turn": None,
                "category": None,
                "criterion": None,
                "chunk_id": own[0],
            },
            {
                "kind": "chunk",
                "turn": None,
                "category": None,
                "criterion": None,
                "chunk_id": foreign[0],
            },
        ]
        content = {
            "answer": f"Reconheça e responda com o plano Essencial. ({open_tx})",
            "citations": cites,
        }
        return httpx.Response(200, json=kit.completion(content))

    openai.side_effect = answer
    response = api.post(
        f"{BASE}/sessions/{session}/ask", json={"question": QUESTION}, headers=rep.headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["answer"].endswith("(0)")
    assert body["coach"]["offline"] is False
    refs = [(c["kind"], c["turn"] or c["chunk_id"] or c["category"]) for c in body["citations"]]
    assert ("turn", 10) in refs and ("turn", 99) not in refs
    assert ("chunk", foreign[0]) not in refs
    assert ("criterion", "objection_handling") in refs
    assert len(seen) == 1
    prompt = seen[0]["messages"][1]["content"]
    assert "[10] Cliente:" in prompt and QUESTION in prompt and "[chunk " in prompt
    used = sql.execute(
        "select provider, input_tokens from public.usage where company_id = %s"
        " and operation = 'coach'",
        (rep.company_id,),
    ).fetchall()
    assert used == [{"provider": "openai", "input_tokens": 2400}]


def test_the_model_grader_writes_better_lines_checked_against_the_material(
    api, coached, openai, kit, recorded, make_session, calls, sql
):
    rep = coached["people"]["rep"]
    call = calls["good_price"]
    session = make_session(
        rep, kit.timed(call["turns"], "voice"), mode="voice", persona=call["persona"]
    )
    foreign = sorted(_company_chunks(sql, coached["people"]["other"].company_id))
    seen: list[dict[str, Any]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        seen.append(body)
        prompt = body["messages"][1]["content"]
        offered = [int(p.split("]", 1)[0]) for p in prompt.split("[chunk ")[1:]]
        graded = recorded("good_price")
        for item in graded["improvements"]:
            item["better_line"] = {
                "text": "Entendo, Carlos. O plano Essencial custa R$ 149 por mês. Faz sentido?",
                "chunk_ids": [offered[0], foreign[0]],
            }
        return httpx.Response(200, json=kit.completion(graded))

    openai.side_effect = answer
    assert sweeper.sweep()["graded"] == 1
    assert "better_line" in json.dumps(seen[0]["response_format"])
    assert "Knowledge base excerpts" in seen[0]["messages"][1]["content"]
    own = _company_chunks(sql, rep.company_id)
    card = _card(api, rep, session)
    assert card["improvements"]
    for item in card["improvements"]:
        # the other company's chunk is dropped; the one offered to the model stays
        assert item["better_line"]["chunk_ids"]
        assert all(i in own for i in item["better_line"]["chunk_ids"])
        assert item["better_line"]["text"].startswith("Entendo, Carlos.")
