"""What to practise next, decided by code: the drill after a call, and a plan across calls.

After a call, the drill is its weakest category (the scores as shown, a manager's override
included; a tie goes to the heavier category, then rubric order), a persona that exercises it and
a one-line why quoting this call. Across calls, the plan takes the three categories with the
lowest recent average (the last `window` graded sessions) in the same way. Both are computed when
read, so an override, a regrade, a new session or an archived persona changes them at once.

A persona exercises a category by what it carries (counts only, see `private.drill_personas`):
objection handling wants the most objections, then the hardest; discovery the most hidden facts,
then pains; closing the most end conditions (a buyer quick to hang up), then the hardest; rapport
the hardest buyer. Ties go to a persona other than the one just practised, then to the oldest.
"""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Callable
from typing import Any

from grading.models import Drill
from grading.rubric import Rubric

PLAN_SIZE = 3
_QUOTE_CHARS = 120
_LEVEL = {"easy": 0, "medium": 1, "hard": 2}

Persona = dict[str, Any]  # id, name, difficulty, objections, hidden_facts, end_conditions, pains


def _level(p: Persona) -> int:
    return _LEVEL.get(str(p["difficulty"]), 1)


def _by_level(p: Persona) -> tuple[int, ...]:
    return (_level(p),)


EXERCISE: dict[str, Callable[[Persona], tuple[int, ...]]] = {
    "objection_handling": lambda p: (p["objections"], _level(p)),
    "discovery": lambda p: (p["hidden_facts"], p["pains"]),
    "closing": lambda p: (p["end_conditions"], _level(p)),
    "rapport": lambda p: (_level(p), p["objections"]),
}

WHY = {
    "pt-BR": {
        "quoted": "{name} foi sua nota mais baixa ({score:.0f}): na fala {turn} você disse "
        "“{quote}”.",
        "plain": "{name} foi sua nota mais baixa nesta ligação ({score:.0f}).",
        "plan": "{name}: média {average:.0f} nas suas últimas {count} sessões{trend}.",
        "trend": " ({change:+.0f} desde a anterior)",
    },
    "en-US": {
        "quoted": "{name} was your lowest score ({score:.0f}): at turn {turn} you said “{quote}”.",
        "plain": "{name} was your lowest score on this call ({score:.0f}).",
        "plan": "{name}: average {average:.0f} over your last {count} sessions{trend}.",
        "trend": " ({change:+.0f} since the previous one)",
    },
}


def persona_for(
    category: str, personas: list[Persona], avoid: set[uuid.UUID] | None = None
) -> Persona | None:
    """The active persona that exercises `category` most (see the module doc)."""
    if not personas:
        return None
    exercise = EXERCISE.get(category, _by_level)
    avoid = avoid or set()
    ranked = sorted(
        enumerate(personas),
        key=lambda ip: (tuple(-v for v in exercise(ip[1])), ip[1]["id"] in avoid, ip[0]),
    )
    return ranked[0][1]


def _order(scores: dict[str, float], rubric: Rubric) -> list[str]:
    """Categories weakest first; ties to the heavier category, then rubric order."""
    keys = [k for k in rubric.keys if k in scores]
    return sorted(keys, key=lambda k: (scores[k], -rubric.category(k).weight, keys.index(k)))


def _evidence(key: str, improvements: list[dict[str, Any]], judged: dict[str, Any]) -> Any:
    for item in improvements:
        if item.get("category") == key and item.get("quote"):
            return item
    evidence = (judged.get(key) or {}).get("evidence") or []
    return evidence[0] if evidence else None


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _QUOTE_CHARS else flat[:_QUOTE_CHARS].rsplit(" ", 1)[0] + " …"


def _drill(
    key: str, score: float, why: str, rubric: Rubric, persona: Persona | None, locale: str
) -> Drill:
    return Drill(
        category=key,
        category_name=rubric.category(key).title(locale),
        persona_id=persona["id"] if persona else None,
        persona_name=persona["name"] if persona else None,
        why=why,
        score=round(score, 2),
    )


def next_drill(
    scores: dict[str, float],
    row: dict[str, Any],
    rubric: Rubric,
    personas: list[Persona],
    locale: str,
) -> Drill | None:
    """The drill after this call: its weakest category, a persona, and why (quoting the call).

    `row` is the stored feedback (`improvements`, `scores` with evidence, `persona_id`)."""
    order = _order(scores, rubric)
    if not order:
        return None
    key = order[0]
    text = WHY["pt-BR" if locale == "pt-BR" else "en-US"]
    name = rubric.category(key).title(locale)
    found = _evidence(key, row.get("improvements") or [], row.get("scores") or {})
    if found is not None:
        why = text["quoted"].format(
            name=name, score=scores[key], turn=found["turn"], quote=_quote(str(found["quote"]))
        )
    else:
        why = text["plain"].format(name=name, score=scores[key])
    avoid = {row["persona_id"]} if row.get("persona_id") else set()
    return _drill(key, scores[key], why, rubric, persona_for(key, personas, avoid), locale)


def plan(
    history: list[dict[str, float]],
    rubric: Rubric,
    personas: list[Persona],
    locale: str,
    window: int,
) -> list[Drill]:
    """The next drills across sessions: the lowest recent averages first, one persona each
    (a different one where another exercises the category as well)."""
    text = WHY["pt-BR" if locale == "pt-BR" else "en-US"]
    averages: dict[str, float] = {}
    trends: dict[str, str] = {}
    counts: dict[str, int] = {}
    for key in rubric.keys:
        values = [s[key] for s in history if key in s]
        if not values:
            continue
        recent = values[-window:]
        averages[key] = statistics.fmean(recent)
        counts[key] = len(recent)
        trends[key] = (
            text["trend"].format(change=values[-1] - values[-2]) if len(values) >= 2 else ""
        )
    drills: list[Drill] = []
    chosen: set[uuid.UUID] = set()
    for key in _order(averages, rubric)[:PLAN_SIZE]:
        persona = persona_for(key, personas, chosen)
        if persona is not None:
            chosen.add(persona["id"])
        name = rubric.category(key).title(locale)
        why = text["plan"].format(
            name=name, average=averages[key], count=counts[key], trend=trends[key]
        )
        drills.append(_drill(key, averages[key], why, rubric, persona, locale))
    return drills
