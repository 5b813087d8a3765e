"""The model coach ("openai"): answers a question about a graded call with one structured call.

The prompt holds the numbered transcript, the rubric's numbered criteria, the scores and the
improvements, and the company's material retrieved for the question, each citable by number;
the model answers and lists what it used. Code then keeps only citations that exist (see
`grading.coach.citations`). Better lines are written by the model grader in its own answer
(`grading.grader_llm`), so this coach adds none.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from dojo.retrieval import Hit
from dojo.settings import get_settings
from grading.coach import OPERATION, Answer, CallContext, Ref
from grading.grader_llm import knowledge_text
from grading.rubric import Rubric
from grading.scorecard import Item
from grading.transcript import Turn, render

# The ask route answers within API Gateway's 30 s: one attempt of at most 20 s, one retry.
TIMEOUT_SECONDS = 20.0
MAX_RETRIES = 1
_LANGUAGE = {"pt-BR": "Brazilian Portuguese (pt-BR)", "en-US": "English"}


class CitedSource(BaseModel):
    """A source the answer used: a transcript turn, a rubric criterion or a chunk."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["turn", "criterion", "chunk"]
    turn: int | None
    category: str | None
    criterion: int | None
    chunk_id: int | None


class CoachReply(BaseModel):
    """The model's answer and the sources it rests on."""

    model_config = ConfigDict(extra="forbid")

    answer: str
    citations: list[CitedSource]


def _criteria_text(rubric: Rubric, locale: str) -> str:
    lines = []
    for category in rubric.categories:
        lines.append(f"## {category.key} — {category.title(locale)}")
        lines += [f"  ({i}) {c}" for i, c in enumerate(category.criteria_in(locale))]
    return "\n".join(lines)


def messages(question: str, call: CallContext) -> list[dict[str, Any]]:
    """The prompt: the coach's rules, then the call, the rubric, the scorecard and the material."""
    language = _LANGUAGE.get(call.locale, "English")
    system = (
        "You are a sales coach answering a salesperson's question about their own practice "
        "call. Ground every claim in the transcript, the rubric criteria or the knowledge base "
        "excerpts given; state product facts (prices, plans, terms) only from the excerpts and "
        "never invent one. Quote the salesperson's words where it helps, suggest what to say "
        "instead, and keep it short (under 150 words). List every source you used in "
        "`citations`: kind 'turn' with the turn number, kind 'criterion' with the category key "
        "and the criterion number, kind 'chunk' with the chunk id (other fields null). "
        f"Answer in {language}."
    )
    scorecard = {"scores": call.scores, "improvements": _improvements(call.improvements)}
    user = (
        f"# Rubric criteria\n{_criteria_text(call.rubric, call.locale)}\n\n"
        f"# Scorecard\n{json.dumps(scorecard, ensure_ascii=False)}\n\n"
        f"# Knowledge base excerpts\n{knowledge_text(call.material)}\n\n"
        f"# Transcript\n{render(call.turns, call.locale)}\n\n"
        f"# Question\n{question}"
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def _improvements(items: list[Item]) -> list[dict[str, Any]]:
    return [{k: i.get(k) for k in ("category", "text", "turn", "quote")} for i in items]


class ModelCoach:
    """The "openai" coach (see `grading.coach`)."""

    offline = False

    @property
    def name(self) -> str:
        """`openai:<model>`."""
        return f"openai:{get_settings().llm_model}"

    @property
    def label(self) -> dict[str, str]:
        """None: the model's name says it all."""
        return {}

    def better_lines(
        self,
        improvements: list[Item],
        turns: list[Turn],
        rubric: Rubric,
        material: Sequence[Hit],
        persona: dict[str, Any],
        locale: str,
    ) -> list[Item]:
        """As they are: the model grader wrote them (or judged none fits)."""
        del turns, rubric, material, persona, locale
        return improvements

    def ask(self, question: str, call: CallContext) -> Answer:
        """One structured call (bounded for the API's time limit); citations checked by code."""
        from dojo.providers import llm

        result = llm.structured(
            messages(question, call),
            CoachReply,
            operation=OPERATION,
            temperature=0.2,
            timeout=TIMEOUT_SECONDS,
            max_retries=MAX_RETRIES,
            validation_retries=0,
        )
        reply = result.value
        refs = [
            Ref(
                c.kind, turn=c.turn, category=c.category, criterion=c.criterion, chunk_id=c.chunk_id
            )
            for c in reply.citations
        ]
        return Answer(text=reply.answer.strip(), refs=refs, usage=[result.usage])
