"""The persona prompt builder (voice and text) and the offline persona's rules, without HTTP."""

from __future__ import annotations

import uuid

import pytest

from dojo_local.offline.roleplay import OfflinePersona, best_sentence
from sessions import prompt
from sessions.persona import Persona
from tests.functions.sessions.data import HIDDEN_FACTS, MATERIAL, OBJECTIONS


def _persona(**overrides) -> Persona:
    values = {
        "id": uuid.uuid4(),
        "name": "Carla Menezes",
        "role": "Diretora Financeira",
        "seniority": "diretoria",
        "company_profile": {"segment": "varejo", "size": "200 funcionários"},
        "traits": ["cética"],
        "goals": ["reduzir custos"],
        "pains": ["emissão manual", "fechamento atrasado"],
        "objections": [{"text": t, "chunk_ids": [1]} for t in OBJECTIONS],
        "hidden_facts": HIDDEN_FACTS,
        "difficulty": "hard",
        "end_conditions": ["se o vendedor mentir"],
        "speaking_style": "direta",
        "first_message": "Alô?",
    }
    values.update(overrides)
    return Persona.model_validate(values)


@pytest.mark.parametrize("mode", ["voice", "text"])
def test_prompt_keeps_the_buyer_in_character(mode):
    text = prompt.build(_persona(), mode=mode, seller="Nuvem Fiscal")
    assert "Você é Carla Menezes, Diretora Financeira" in text
    assert "CLIENTE em potencial" in text and "nunca faça o papel do vendedor" in text
    assert "nunca diga que é uma IA" in text
    for fact in HIDDEN_FACTS:
        assert f"{fact['fact']} → {fact['reveal_when']}" in text
    for objection in OBJECTIONS:
        assert f"- {objection}" in text
    assert "search_knowledge_base" in text and "Nunca invente fatos sobre o produto" in text
    assert "- se o vendedor mentir" in text
    assert "muito cético" in text  # hard
    assert ("endCall" in text) == (mode == "voice") and ("end_call" in text) == (mode == "text")
    assert "uma ou duas frases curtas" in text if mode == "voice" else "três frases" in text
    assert "$" not in text.replace("R$", "")  # every placeholder filled


def test_english_prompt_and_tolerant_rows():
    persona = _persona(
        locale="en-US",
        objections=["Too expensive."],  # plain strings are accepted
        hidden_facts=["Budget is frozen."],
        seniority=None,
    )
    text = prompt.build(persona, mode="text", seller="Acme")
    assert "prospective CUSTOMER" in text and "- Too expensive." in text
    assert "- Budget is frozen." in text


def test_offline_persona_is_deterministic():
    history = ["Bom dia!", "Como funciona o contrato com o fornecedor atual?"]
    replies = {
        OfflinePersona(_persona()).reply(history, "Quem decide o orçamento?").text for _ in range(3)
    }
    assert len(replies) == 1 and HIDDEN_FACTS[1]["fact"] in replies.pop()


def test_pains_are_not_repeated():
    actor = OfflinePersona(_persona(hidden_facts=[]))
    first = actor.reply([], "Como é o seu dia a dia?").text
    second = actor.reply(["Como é o seu dia a dia?"], "Qual é o seu maior desafio?").text
    assert "emissão manual" in first and "fechamento atrasado" in second


def test_product_facts_come_from_the_material():
    lookups: list[str] = []

    def lookup(query: str) -> list[str]:
        lookups.append(query)
        return MATERIAL

    actor = OfflinePersona(_persona(), lookup)
    pitch = actor.reply([], "Nosso produto resolve isso e o plano custa 2.000 por mês.").text
    assert OBJECTIONS[0] in pitch and "R$ 2.000" in pitch and lookups
    unknown = OfflinePersona(_persona(), lambda q: []).reply([], "Você conhece a Nuvem Fiscal?")
    assert unknown.text == "Não conheço bem, não. Me diga você."


def test_unrelated_material_is_not_quoted():
    assert best_sentence(MATERIAL, "quem me atende é gente ou robô?") is None
    assert "suporte" in (best_sentence(MATERIAL, "como funciona o suporte por chat?") or "")


def test_english_personas_speak_english_offline():
    persona = _persona(
        locale="en-US",
        objections=[{"text": "Your price is too high for a company our size.", "chunk_ids": []}],
        hidden_facts=[
            {"fact": "Our contract ends in March.", "reveal_when": "asked about the contract"}
        ],
        pains=["manual invoicing"],
    )
    actor = OfflinePersona(persona)
    said: list[str] = []

    def turn(text: str):
        reply = actor.reply(said, text)
        said.append(text)
        return reply

    assert "keep it short" in turn("Hi, good morning!").text
    assert "Our contract ends in March." in turn("How does your current contract work?").text
    assert (
        "Your price is too high"
        in turn("Our product automates invoicing, the plan costs 200.").text
    )
    assert "doesn't convince" in turn("Trust me.").text
    assert "Hold on, before any next step" in turn("Can we schedule a demo?").text
    turn(
        "I understand. For example, customers your size reduce invoicing time by 30% and the"
        " contract has no lock-in, with support included."
    )
    accepted = turn("Great, can we book a meeting next week?")
    assert accepted.end and accepted.end_reason == "persona-accepted-next-step"
    assert "Send the invite" in accepted.text
    rude = OfflinePersona(persona).reply([], "Shut up, idiot.")
    assert rude.end and rude.end_reason == "persona-rudeness" and "tone" in rude.text


def test_an_answer_beside_the_point_does_not_handle_an_objection():
    actor = OfflinePersona(_persona())
    said = ["Nosso produto resolve isso e o plano custa 2.000 por mês."]
    off_topic = (
        "Boa pergunta. Temos integração com vários ERPs e API aberta, e o suporte por chat atende"
        " de segunda a sexta, das 8h às 18h."
    )
    reply = actor.reply(said, off_topic)
    assert "não me convence" in reply.text and OBJECTIONS[0] in reply.text
    on_topic = (
        "Entendo. O plano Pro custa isso porque inclui notas ilimitadas; por exemplo, clientes do"
        " seu porte economizam 30% no fechamento."
    )
    assert OBJECTIONS[1] in actor.reply(said, on_topic).text  # handled: the next one comes
