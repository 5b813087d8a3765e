"""The drill choices as plain functions: the weakest category, the persona that exercises it."""

from __future__ import annotations

import uuid

from grading import drills, rubric

RULES = rubric.load("2026-11-v1")


def _persona(name: str, difficulty: str = "medium", **counts: int) -> drills.Persona:
    base = {"objections": 0, "hidden_facts": 0, "end_conditions": 0, "pains": 0}
    return {"id": uuid.uuid4(), "name": name, "difficulty": difficulty, **base, **counts}


def test_a_tie_goes_to_the_heavier_category():
    scores = {"rapport": 40.0, "discovery": 40.0, "objection_handling": 90.0, "closing": 80.0}
    drill = drills.next_drill(scores, {}, RULES, [], "pt-BR")
    assert drill is not None
    assert drill.category == "discovery"  # weight 0.3 beats rapport's 0.2
    assert (
        drill.persona_id is None
        and drill.why == "Descoberta foi sua nota mais baixa nesta ligação (40)."
    )


def test_the_persona_is_chosen_by_what_it_carries():
    easy = _persona("Easy", "easy", objections=4)
    hard = _persona("Hard", "hard", objections=4, hidden_facts=1)
    secretive = _persona("Secretive", hidden_facts=6)
    people = [easy, hard, secretive]
    assert drills.persona_for("objection_handling", people) is hard  # as many, harder
    assert drills.persona_for("discovery", people) is secretive
    # a tie prefers someone other than the persona just practised
    twin = _persona("Twin", "hard", objections=4, hidden_facts=1)
    assert drills.persona_for("objection_handling", [hard, twin], {hard["id"]}) is twin


def test_the_why_quotes_this_calls_improvement_in_that_category():
    scores = {"rapport": 80.0, "discovery": 70.0, "objection_handling": 35.0, "closing": 60.0}
    row = {
        "improvements": [
            {"category": "closing", "quote": "Te mando um e-mail.", "turn": 9},
            {"category": "objection_handling", "quote": "Não é caro, é barato.", "turn": 5},
        ]
    }
    drill = drills.next_drill(scores, row, RULES, [_persona("A", objections=2)], "en-US")
    assert drill is not None
    said = "at turn 5 you said “Não é caro, é barato.”."
    assert drill.why == f"Objection Handling was your lowest score (35): {said}"


def test_the_plan_orders_recent_averages_and_says_the_trend():
    history = [
        {"rapport": 90.0, "discovery": 20.0, "objection_handling": 70.0, "closing": 50.0},
        {"rapport": 90.0, "discovery": 80.0, "objection_handling": 40.0, "closing": 50.0},
    ]
    plan = drills.plan(history, RULES, [_persona("A", objections=3)], "pt-BR", window=1)
    assert [d.category for d in plan] == ["objection_handling", "closing", "discovery"]
    assert (
        plan[0].why
        == "Tratamento de objeções: média 40 nas suas últimas 1 sessões (-30 desde a anterior)."
    )
    assert drills.plan([], RULES, [], "pt-BR", window=3) == []
