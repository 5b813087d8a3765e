"""The offline coach's better lines: what the salesperson could have said at a moment of the call,
built from the rubric's criteria and, where a fact is needed, a sentence of the company's
material quoted verbatim (its chunk cited).

The moment decides the shape: the opening greets, introduces and asks; an answer to an objection
acknowledges it, answers with a fact and checks it resolved the concern; discovery asks open
questions about the current process, the pain and who decides; a closing proposes a dated next
step grounded in what the material offers (a trial, a demonstration, the implementation time).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from dojo_local.offline.coach_facts import Fact, best
from dojo_local.offline.grading_cues import OBJECTION, fold
from grading.transcript import Turn

Shape = Literal["opening", "objection", "discovery", "closing", "listen"]

LINES: dict[str, dict[str, str]] = {
    "pt-BR": {
        "opening": "Bom dia{name}! Aqui é [seu nome], da [sua empresa]. Tudo bem? Antes de falar "
        "de nós, posso entender como vocês trabalham hoje?",
        "objection": "Entendo{name}, é uma preocupação justa. {fact} Isso responde à sua "
        "preocupação, ou o que mais pesa para você nisso?",
        "objection_bare": "Entendo{name}, é uma preocupação justa. O que pesa mais para você "
        "nisso? Quero te responder com os números certos.",
        "discovery": "Antes de eu falar da solução{name}: como vocês fazem isso hoje, o que mais "
        "atrapalha e quem decide uma mudança?",
        "closing": "Pelo que conversamos{name}, faz sentido avançar. {fact} Que tal marcarmos 30 "
        "minutos na quinta às 10h para darmos esse passo? Fica bom para você?",
        "closing_bare": "Pelo que conversamos{name}, faz sentido avançar. Que tal marcarmos uma "
        "demonstração de 30 minutos na quinta às 10h? Fica bom para você?",
        "listen": "Entendo{name}, faz sentido o que você disse. Me conta mais: como isso afeta o "
        "dia a dia de vocês?",
    },
    "en-US": {
        "opening": "Good morning{name}! This is [your name] from [your company]. How are you? "
        "Before I tell you about us, may I understand how you work today?",
        "objection": "I understand{name}, that's a fair concern. {fact} Does that address your "
        "concern, or what weighs most for you here?",
        "objection_bare": "I understand{name}, that's a fair concern. What weighs most for you "
        "here? I want to answer with the right numbers.",
        "discovery": "Before I talk about the solution{name}: how do you handle this today, what "
        "gets in the way most, and who decides on a change?",
        "closing": "From what we discussed{name}, it makes sense to move forward. {fact} How about "
        "30 minutes on Thursday at 10am to take that step? Does that work for you?",
        "closing_bare": "From what we discussed{name}, it makes sense to move forward. How about a "
        "30-minute demo on Thursday at 10am? Does that work for you?",
        "listen": "I understand{name}, that makes sense. Tell me more: how does this affect your "
        "day to day?",
    },
}
_NEEDS_FACT: frozenset[Shape] = frozenset({"objection", "closing"})


@dataclass(frozen=True)
class Moment:
    """Where a better line goes: the quoted turn, the customer's turn before it, the shape."""

    turn: Turn | None
    customer: Turn | None
    shape: Shape
    category: str


def moment(turns: list[Turn], turn_index: int, category: str) -> Moment:
    """The moment of the call an improvement quotes, and the shape its better line takes."""
    turn = next((t for t in turns if t.index == turn_index), None)
    before = [t for t in turns if t.speaker == "persona" and t.index < turn_index]
    customer = before[-1] if before else None
    first_rep = next((t.index for t in turns if t.speaker == "salesperson"), None)
    objection = customer is not None and bool(OBJECTION.search(fold(customer.text)))
    shape: Shape
    if category == "rapport" and turn_index == first_rep:
        shape = "opening"
    elif category == "closing":
        shape = "closing"
    elif category == "objection_handling" or (objection and category != "discovery"):
        shape = "objection"
    elif category == "discovery":
        shape = "discovery"
    else:
        shape = "listen"
    return Moment(turn, customer, shape, category)


def line(
    where: Moment, pool: list[Fact], first_name: str, locale: str, used: set[str]
) -> tuple[str, list[int]]:
    """The better line for a moment and the chunk ids it cites (a fact is used once per call)."""
    text = LINES["pt-BR" if locale == "pt-BR" else "en-US"]
    name = f", {first_name}" if first_name else ""
    if where.shape not in _NEEDS_FACT:
        return text[where.shape].format(name=name), []
    customer = where.customer.text if where.customer is not None else ""
    said = where.turn.text if where.turn is not None else ""
    fact = best(pool, customer, where.category, used, said)
    if fact is None:
        return text[f"{where.shape}_bare"].format(name=name), []
    used.add(fact.text)
    return text[where.shape].format(name=name, fact=fact.text), [fact.chunk_id]
