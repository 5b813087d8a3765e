"""Text sessions through the real gateway with the offline persona."""

from __future__ import annotations

from typing import Any

import pytest

from dojo.settings import get_settings
from tests.functions.sessions.data import HIDDEN_FACTS, OBJECTIONS, insert_material, insert_persona

START = "/api/v1/sessions/start"


@pytest.fixture
def seller(make_user, sql):
    user = make_user("Nuvem Fiscal", "salesperson")
    insert_material(sql, user.company_id)
    persona = insert_persona(sql, user.company_id)
    return user, persona


def _start(api, user, persona) -> dict[str, Any]:
    response = api.post(
        START, headers=user.headers, json={"persona_id": str(persona), "mode": "text"}
    )
    assert response.status_code == 201, response.text
    return response.json()


def _say(api, user, session_id, text, status=200) -> dict[str, Any]:
    response = api.post(
        f"/api/v1/sessions/{session_id}/messages", headers=user.headers, json={"text": text}
    )
    assert response.status_code == status, response.text
    return response.json()


def test_start_text_answers_first_message_and_freezes_rubric(api, sql, seller):
    user, persona = seller
    body = _start(api, user, persona)
    assert body["first_message"] == "Alô, aqui é a Carla. Quem fala?"
    row = sql.execute(
        "select status, mode, rubric_version, persona_snapshot, transcript, user_id"
        " from public.training_sessions where id = %s",
        (body["session_id"],),
    ).fetchone()
    assert row["status"] == "active" and row["mode"] == "text"
    assert row["rubric_version"] == get_settings().rubric_version
    assert row["persona_snapshot"]["hidden_facts"][0]["fact"] == HIDDEN_FACTS[0]["fact"]
    assert row["persona_snapshot"]["prompt_version"] == "persona_system.v1"
    assert row["transcript"][0]["speaker"] == "persona"
    assert row["user_id"] == user.id
    # the browser never sees what the persona hides
    text = str(body)
    for secret in (HIDDEN_FACTS[0]["fact"], HIDDEN_FACTS[1]["fact"], *OBJECTIONS):
        assert secret not in text


def test_random_persona_when_none_chosen(api, seller):
    user, _ = seller
    response = api.post(START, headers=user.headers, json={"mode": "text"})
    assert response.status_code == 201
    assert response.json()["persona"]["name"] == "Carla Menezes"


def test_full_offline_conversation(api, sql, seller):
    user, persona = seller
    sid = _start(api, user, persona)["session_id"]

    greet = _say(api, user, sid, "Bom dia, Carla! Tudo bem?")
    assert "do que se trata" in greet["turns"][1]["text"]

    fact = _say(api, user, sid, "Como funciona hoje o contrato com o fornecedor atual de vocês?")
    assert HIDDEN_FACTS[0]["fact"] in fact["turns"][1]["text"]

    closed = _say(api, user, sid, "Vocês têm orçamento?")
    assert HIDDEN_FACTS[1]["fact"] not in closed["turns"][1]["text"]

    decide = _say(api, user, sid, "Quem decide sobre o orçamento dessa compra?")
    assert HIDDEN_FACTS[1]["fact"] in decide["turns"][1]["text"]

    pitch = _say(
        api,
        user,
        sid,
        "Nossa plataforma automatiza a emissão de notas e o plano custa 2 mil reais por mês.",
    )
    assert OBJECTIONS[0] in pitch["turns"][1]["text"]
    assert "material de vocês" in pitch["turns"][1]["text"]  # grounded in the knowledge base

    weak = _say(api, user, sid, "Pode confiar, é o melhor.")
    assert (
        "não me convence" in weak["turns"][1]["text"] and OBJECTIONS[0] in weak["turns"][1]["text"]
    )

    early = _say(api, user, sid, "Vamos agendar uma reunião?")
    assert not early["ended"]
    assert "antes de qualquer próximo passo" in early["turns"][1]["text"]

    handled = _say(
        api,
        user,
        sid,
        "Entendo a preocupação com o preço. Por exemplo, clientes do varejo do seu porte reduzem"
        " 30% do custo com notas no primeiro ano, e o contrato não tem multa.",
    )
    assert OBJECTIONS[1] in handled["turns"][1]["text"]

    _say(
        api,
        user,
        sid,
        "Faz sentido. A migração é feita pela nossa equipe em um fim de semana, com suporte"
        " dedicado e garantia de que a loja não para.",
    )
    accepted = _say(api, user, sid, "Então podemos agendar uma demonstração na terça com o CEO?")
    assert accepted["ended"] and accepted["ended_reason"] == "persona-accepted-next-step"

    after = _say(api, user, sid, "Alô?", status=409)
    assert after["error"]["code"] == "conflict"

    row = sql.execute(
        "select status, transcript from public.training_sessions where id = %s", (sid,)
    ).fetchone()
    assert row["status"] == "ended"
    transcript = row["transcript"]
    assert len(transcript) == 1 + 2 * 10
    assert [t["speaker"] for t in transcript[:3]] == ["persona", "salesperson", "persona"]
    starts = [t["start"] for t in transcript]
    assert starts == sorted(starts)
    assert all(t["end"] >= t["start"] and t["words"] > 0 for t in transcript)
    # ending triggered grading exactly once
    queued = sql.execute(
        "select count(*) as n from net.http_request_queue where convert_from(body, 'UTF8') like %s",
        (f"%{sid}%",),
    ).fetchone()
    assert queued["n"] == 1


def test_rudeness_hangs_up(api, seller):
    user, persona = seller
    sid = _start(api, user, persona)["session_id"]
    reply = _say(api, user, sid, "Você é um idiota, escuta aqui.")
    assert reply["ended"] and reply["ended_reason"] == "persona-rudeness"
    _say(api, user, sid, "Desculpa", status=409)


def test_hard_persona_loses_patience(api, sql, seller):
    user, _ = seller
    hard = insert_persona(sql, user.company_id, name="Otávio Reis", difficulty="hard")
    sid = _start(api, user, hard)["session_id"]
    replies = [_say(api, user, sid, text) for text in ("Hum.", "Ok, certo.", "Pois é.")]
    assert not replies[0]["ended"]
    assert replies[-1]["ended"] and replies[-1]["ended_reason"] == "persona-lost-patience"


def test_message_limits(api, sql, seller, monkeypatch):
    user, persona = seller
    sid = _start(api, user, persona)["session_id"]
    too_long = "a" * (get_settings().session_max_message_chars + 1)
    assert _say(api, user, sid, too_long, status=413)["error"]["code"] == "payload_too_large"
    _say(api, user, sid, "   ", status=422)
    bad = api.post(f"/api/v1/sessions/{sid}/messages", headers=user.headers, json={"txt": "oi"})
    assert bad.status_code == 422
    row = sql.execute("select transcript from public.training_sessions where id = %s", (sid,))
    assert len(row.fetchone()["transcript"]) == 1  # nothing stored by refused messages


def test_turn_limit_ends_the_session(api, seller, monkeypatch):
    user, persona = seller
    monkeypatch.setenv("DOJO_SESSION_MAX_TURNS", "3")
    get_settings.cache_clear()
    sid = _start(api, user, persona)["session_id"]
    _say(api, user, sid, "Bom dia!")
    _say(api, user, sid, "Como funciona o contrato atual?")
    last = _say(api, user, sid, "E o orçamento?")
    assert last["ended"] and last["ended_reason"] == "exceeded-max-turns"
    _say(api, user, sid, "Mais uma", status=409)


def test_time_limit_hangs_up(api, sql, seller):
    user, persona = seller
    sid = _start(api, user, persona)["session_id"]
    sql.execute(
        "update public.training_sessions set started_at = now() - interval '1 hour' where id = %s",
        (sid,),
    )
    reply = _say(api, user, sid, "Bom dia, tudo bem?")
    assert reply["ended"] and reply["ended_reason"] == "exceeded-max-duration"
    assert "tempo acabou" in reply["turns"][1]["text"]
    _say(api, user, sid, "Alô?", status=409)


def test_two_messages_at_once_are_taken_in_turn(api, sql, seller):
    import threading

    user, persona = seller
    sid = _start(api, user, persona)["session_id"]
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def send(text: str) -> None:
        barrier.wait()
        response = api.post(
            f"/api/v1/sessions/{sid}/messages", headers=user.headers, json={"text": text}
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=send, args=(t,)) for t in ("Bom dia!", "Tudo bem?")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200, 200]
    transcript = sql.execute(
        "select transcript from public.training_sessions where id = %s", (sid,)
    ).fetchone()["transcript"]
    assert [t["speaker"] for t in transcript] == [
        "persona",
        "salesperson",
        "persona",
        "salesperson",
        "persona",
    ]
    starts = [t["start"] for t in transcript]
    assert starts == sorted(starts)
