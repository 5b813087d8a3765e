"""The offline persona's seams found on unseen (clinic) material, one test each.

Each failed before the fix: the quote beside a price objection cited another price ("R$ 200?"
beside the R$ 1.200 implementation fee), a line came back word for word, a concrete answer about
the fee in the material's own terms was resisted, and asking what lies behind a concern was
taken as a failed answer.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from dojo_local.offline.roleplay import OfflinePersona
from sessions.persona import Persona

_FIXTURE = Path(__file__).parents[1] / "grading" / "fixtures" / "clinic" / "material.json"
MATERIAL = [c for chunks in json.loads(_FIXTURE.read_text("utf-8")).values() for c in chunks]
FEE = "R$ 1.200,00? Isso está acima do que eu pago hoje. Me explica por que eu pagaria isso."
LOCK_IN = "Não assino contrato com fidelidade sem ver o produto rodando aqui dentro."
PITCH = "Nossa plataforma organiza a agenda e o faturamento da clínica."


def _persona(*objections: str, difficulty: str = "medium") -> Persona:
    return Persona.model_validate(
        {
            "id": uuid.uuid4(),
            "name": "Luciana Prado",
            "role": "Sócia-diretora da clínica",
            "objections": [{"text": t, "chunk_ids": [1]} for t in objections],
            "difficulty": difficulty,
            "first_message": "Alô?",
        }
    )


def _lookup(first: str):
    """The knowledge base, answering with `first` on top (retrieval ranks by words, not price)."""
    return lambda query: [first, *MATERIAL]


def _play(actor: OfflinePersona, messages: list[str]) -> list[str]:
    history: list[str] = []
    said: list[str] = []
    for message in messages:
        said.append(actor.reply(history, message, said).text)
        history.append(message)
    return said


def test_the_quote_beside_a_price_objection_cites_that_price():
    objection = "R$ 690,00/mês? Isso está acima do que eu pago hoje pela implantação e a agenda."
    other_price = MATERIAL[2]  # the R$ 1.200,00 implementation fee: more words in common
    reply = OfflinePersona(_persona(objection), _lookup(other_price)).reply([], PITCH).text
    assert "material de vocês" in reply
    quoted = reply.split("“", 1)[1]
    assert "R$ 690,00" in quoted and "1.200" not in quoted


def test_no_line_comes_back_word_for_word():
    actor = OfflinePersona(_persona(FEE, LOCK_IN, difficulty="easy"), _lookup(MATERIAL[2]))
    weak = ["Pode confiar.", "Relaxa, é o melhor.", "Confia em mim.", "Sem problema.", "Ok."]
    lines = _play(actor, [PITCH, *weak])
    assert len(lines) == len(set(lines)), lines


def test_a_concrete_answer_in_the_materials_terms_handles_the_objection():
    actor = OfflinePersona(_persona(FEE, LOCK_IN), _lookup(MATERIAL[2]))
    answer = (
        "Você tem razão em olhar para esse número. A taxa é paga uma vez só e inclui a migração"
        " da agenda e dos prontuários e dois treinamentos da recepção."
    )
    lines = _play(actor, [PITCH, answer])
    assert "não me convence" not in lines[1]
    assert LOCK_IN in lines[1]  # handled: the persona moves on to its next concern


def test_asking_what_is_behind_a_concern_gets_an_explanation():
    actor = OfflinePersona(_persona(FEE), _lookup(MATERIAL[2]))
    lines = _play(actor, [PITCH, "O que pesa mais para você nesse valor?"])
    assert "não me convence" not in lines[1] and FEE not in lines[1]
    assert lines[1].endswith("?") or "fatos" in lines[1]
