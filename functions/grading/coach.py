"""The coach capability: better lines for a scorecard's improvements, and answers about a call.

With a model, the grader writes each improvement's better line in its one structured answer (see
`grading.grader_llm`) and the coach answers questions with one call (`grading.coach_llm`); the
offline coach (`dojo_local.offline.coach`, registered by the local runtime) builds both from the
company's retrieved material and the rubric's criteria, deterministically, labelled offline.

Whoever wrote them, code checks what they cite: a better line keeps only chunk ids of material
retrieved for this company, and an answer's citations are resolved here to the transcript turn,
rubric criterion or chunk they name, with the source's own text; anything else is dropped.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from dojo.providers.registry import Capability
from dojo.retrieval import Hit
from dojo.usage import Usage
from grading.models import Citation
from grading.rubric import Rubric
from grading.scorecard import Item, Scorecard
from grading.transcript import Turn

if TYPE_CHECKING:
    from grading.coach_llm import ModelCoach

OPERATION = "coach"
MAX_LINE_CHARS = 600
_CITED_CHARS = 400  # a chunk's text as cited: enough to read the fact, not the whole page

RefKind = Literal["turn", "criterion", "chunk"]


@dataclass(frozen=True)
class Ref:
    """What an answer says it rests on, before code checks it exists."""

    kind: RefKind
    turn: int | None = None
    category: str | None = None
    criterion: int | None = None
    chunk_id: int | None = None


@dataclass(frozen=True)
class CallContext:
    """Everything the coach may use to answer about one graded call (read in one transaction)."""

    turns: list[Turn]
    rubric: Rubric
    locale: str
    persona_name: str | None
    scores: dict[str, float]
    improvements: list[Item]
    material: list[Hit]


@dataclass(frozen=True)
class Answer:
    """The coach's answer, the references it gives, and what it used."""

    text: str
    refs: list[Ref]
    usage: list[Usage] = field(default_factory=list)


class Coach(Protocol):
    """Writes better lines and answers questions about a graded call."""

    @property
    def name(self) -> str:
        """Who answers (e.g. "openai:gpt-4o", "offline-coach-v1")."""

    @property
    def offline(self) -> bool:
        """True when no language model is involved (the answer says so)."""

    @property
    def label(self) -> dict[str, str]:
        """What people read about the coach, per locale (empty: the name says it all)."""

    def better_lines(
        self,
        improvements: list[Item],
        turns: list[Turn],
        rubric: Rubric,
        material: Sequence[Hit],
        persona: dict[str, Any],
        locale: str,
    ) -> list[Item]:
        """The improvements, each with a `better_line` where the coach can write one (items that
        already carry one keep it)."""

    def ask(self, question: str, call: CallContext) -> Answer:
        """An answer to the salesperson's question about this call, with references."""


def _model_coach() -> ModelCoach:
    # imported on first use: the model coach's prompt and schema are not needed at cold start
    from grading.coach_llm import ModelCoach

    return ModelCoach()


COACH: Capability[Coach] = Capability("grading.coach", kind="llm")
COACH.register("openai", _model_coach)


# --- better lines ---------------------------------------------------------------------------------


def grounded(line: Any, known: set[int]) -> dict[str, Any] | None:
    """A better line as stored: its text, and only the chunk ids of this company's material."""
    if not isinstance(line, dict):
        return None
    text = " ".join(str(line.get("text") or "").split())[:MAX_LINE_CHARS]
    if not text:
        return None
    ids = [i for i in line.get("chunk_ids") or [] if isinstance(i, int) and i in known]
    return {"text": text, "chunk_ids": list(dict.fromkeys(ids))}


def _checked(items: list[Item], known: set[int]) -> list[Item]:
    checked = []
    for item in items:
        line = grounded(item.get("better_line"), known)
        rest = {k: v for k, v in item.items() if k != "better_line"}
        checked.append(rest | ({"better_line": line} if line else {}))
    return checked


def with_better_lines(
    card: Scorecard,
    turns: list[Turn],
    rubric: Rubric,
    material: Sequence[Hit],
    persona: dict[str, Any],
    locale: str,
) -> Scorecard:
    """The scorecard whose improvements each carry a grounded better line where one exists:
    the grader's own (checked), else the configured coach's."""
    if card.status != "graded" or not card.improvements:
        return card
    known = {hit.chunk_id for hit in material}
    improvements = _checked(card.improvements, known)
    if any("better_line" not in item for item in improvements):
        written = COACH.get().better_lines(improvements, turns, rubric, material, persona, locale)
        improvements = _checked(written, known)
    return dataclasses.replace(card, improvements=improvements)


# --- citations ------------------------------------------------------------------------------------


def _turn(ref: Ref, call: CallContext) -> Citation | None:
    turn = next((t for t in call.turns if t.index == ref.turn), None)
    return None if turn is None else Citation(kind="turn", turn=turn.index, text=turn.text)


def _criterion(ref: Ref, call: CallContext) -> Citation | None:
    if ref.category not in call.rubric.keys or ref.criterion is None:
        return None
    criteria = call.rubric.category(ref.category).criteria_in(call.locale)
    if not 0 <= ref.criterion < len(criteria):
        return None
    return Citation(
        kind="criterion",
        category=ref.category,
        criterion=ref.criterion,
        text=criteria[ref.criterion],
    )


def _chunk(ref: Ref, call: CallContext) -> Citation | None:
    hit = next((h for h in call.material if h.chunk_id == ref.chunk_id), None)
    if hit is None:
        return None
    text = " ".join(hit.content.split())
    shown = text if len(text) <= _CITED_CHARS else text[:_CITED_CHARS].rsplit(" ", 1)[0] + " …"
    return Citation(kind="chunk", chunk_id=hit.chunk_id, text=shown)


_RESOLVE = {"turn": _turn, "criterion": _criterion, "chunk": _chunk}


def citations(refs: Sequence[Ref], call: CallContext) -> list[Citation]:
    """The references that exist in this call's context, once each, with the source's text."""
    resolved: list[Citation] = []
    seen: set[tuple[Any, ...]] = set()
    for ref in refs:
        key = (ref.kind, ref.turn, ref.category, ref.criterion, ref.chunk_id)
        if key in seen:
            continue
        seen.add(key)
        found = _RESOLVE[ref.kind](ref, call)
        if found is not None:
            resolved.append(found)
    return resolved
