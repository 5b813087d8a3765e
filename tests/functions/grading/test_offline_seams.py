"""The offline grader's seams found on unseen (clinic) material, one test each.

Each of these failed before the fix: an objection put in other words than the fiscal set's went
unseen, an acknowledgement in other words went uncredited, and a sentence that showed two things
(a greeting with the customer's name) was listed twice as evidence.
"""

from __future__ import annotations

from grading import grade

PERSONA = {"name": "Luciana Prado", "role": "Sócia-diretora de uma clínica"}
OPENING = [
    ["persona", "Alô, Luciana falando."],
    ["salesperson", "Boa tarde, Luciana! Aqui é o Rafael, da Agenda Clara. Tudo bem?"],
]


def _card(kit, turns):
    return grade.score(kit.timed(turns, "text"), "text", PERSONA, "2026-11-v1", "pt-BR")


def test_an_objection_about_a_price_above_budget_is_recognised(kit) -> None:
    turns = [
        *OPENING,
        ["persona", "R$ 1.200,00? Isso está acima do que eu pago hoje. Me explica por que."],
        ["salesperson", "A taxa é paga uma vez e inclui a migração. Posso seguir?"],
    ]
    card = _card(kit, turns)
    justification = card.scores["objection_handling"]["justification"]
    assert justification != "O cliente não levantou objeções nesta conversa."
    assert "acima" not in justification  # the text explains, it does not echo the customer


def test_an_acknowledged_answer_on_the_objections_subject_is_credited(kit) -> None:
    objection = ["persona", "Minha equipe não tem tempo para aprender sistema novo."]
    answered = [
        *OPENING,
        objection,
        [
            "salesperson",
            "Você tem razão em proteger o tempo da equipe. Os treinamentos são marcados no "
            "horário que a equipe escolher, e a migração fica por nossa conta. Isso atende ao "
            "que você precisa?",
        ],
    ]
    ignored = [*OPENING, objection, ["salesperson", "Nosso sistema tem agenda online e app."]]
    good = _card(kit, answered).scores["objection_handling"]
    bad = _card(kit, ignored).scores["objection_handling"]
    assert good["score"] >= 75, good
    assert good["score"] - bad["score"] >= 40
    assert "reconhecendo a preocupação" in good["justification"]


def test_the_customer_explaining_a_concern_is_not_a_second_objection(kit) -> None:
    turns = [
        *OPENING,
        ["persona", "Minha equipe não tem tempo para aprender sistema novo."],
        ["salesperson", "Entendo. O que pesa mais, o treinamento ou a troca?"],
        ["persona", "O treinamento. Não dá para fechar a recepção uma tarde inteira."],
        ["salesperson", "Os dois treinamentos são no horário que vocês escolherem. Resolve?"],
    ]
    scores = _card(kit, turns).scores["objection_handling"]
    assert scores["justification"].startswith("Tratou a objeção")
    assert scores["score"] >= 90


def test_no_evidence_quote_is_listed_twice(any_calls, kit) -> None:
    for name, call in any_calls.items():
        card = grade.score(
            kit.timed(call["turns"], call["mode"]),
            call["mode"],
            call["persona"],
            "2026-11-v1",
            "pt-BR",
        )
        for key, score in card.scores.items():
            quoted = [(e["turn"], e["quote"]) for e in score["evidence"]]
            assert len(quoted) == len(set(quoted)), (name, key, quoted)
        for items in (card.strengths, card.improvements):
            quoted = [(i["turn"], i["quote"]) for i in items]
            assert len(quoted) == len(set(quoted)), (name, quoted)
