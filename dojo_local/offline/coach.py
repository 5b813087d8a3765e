"""The offline coach: better lines and answers about a call, from retrieval and the rubric, with
no language model (registered as the "offline" coach, `grading.coach.COACH`).

Better lines are built per improvement (see `coach_lines`). An answer finds the moment the
question is about (the category it names, else the weakest one; the improvement quoted in that
category, else the customer's objection and the reply to it), then quotes that exchange, the
rubric's criteria for the category, the material's most relevant sentence and a better line,
citing each. It says it is offline in its first words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from dojo.retrieval import Hit
from dojo.usage import Usage
from dojo_local.offline.coach_facts import Fact, best, facts, words
from dojo_local.offline.coach_lines import Moment, line, moment
from dojo_local.offline.grading_cues import OBJECTION, fold
from grading.coach import Answer, CallContext, Ref
from grading.rubric import Rubric
from grading.scorecard import Item
from grading.transcript import Turn

NAME = "offline-coach-v1"
LABEL = {
    "pt-BR": "Coach offline (sem modelo de linguagem)",
    "en-US": "Offline coach (no language model)",
}
_QUOTE_CHARS = 220
_TOPICS = (
    (
        "objection_handling",
        r"obje\w*|preco|caro|desconto|valor|contrato|concorrente|price|expensive",
    ),
    ("closing", r"fech\w*|proximo passo|agend\w*|reuniao|close|closing|next step"),
    ("discovery", r"pergunt\w*|descobr\w*|discovery|question\w*|necessidade\w*"),
    ("rapport", r"rapport|cumpriment\w*|apresent\w*|nome|tom|greet\w*|name|tone"),
)
TEXT = {
    "pt-BR": {
        "head": "Coach offline (sem modelo de linguagem): resposta montada a partir da "
        "transcrição, da rubrica e do material da empresa.",
        "customer": "Na fala {turn} o cliente disse: “{text}”",
        "rep": "Você respondeu na fala {turn}: “{text}”",
        "criteria": "A rubrica de {name} pede: {criteria}.",
        "no_objection": "Nesta ligação o cliente não levantou objeções; quando levantar, siga a "
        "rubrica.",
        "fact": "O material diz: “{text}” [trecho {chunk}]",
        "better": "Uma resposta melhor: “{text}”",
        "better_cited": "Uma resposta melhor, com o fato do material [trecho {chunks}]: “{text}”",
    },
    "en-US": {
        "head": "Offline coach (no language model): an answer built from the transcript, the "
        "rubric and the company's material.",
        "customer": "At turn {turn} the customer said: “{text}”",
        "rep": "You answered at turn {turn}: “{text}”",
        "criteria": "The {name} rubric asks you to: {criteria}.",
        "no_objection": "The customer raised no objection on this call; when one comes, follow "
        "the rubric.",
        "fact": "The material says: “{text}” [chunk {chunk}]",
        "better": "A better answer: “{text}”",
        "better_cited": "A better answer, with the material's fact [chunk {chunks}]: “{text}”",
    },
}


def _first_name(persona_name: str | None) -> str:
    parts = (persona_name or "").split()
    return parts[0] if parts else ""


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _QUOTE_CHARS else flat[:_QUOTE_CHARS].rsplit(" ", 1)[0] + " …"


def _topic(question: str, scores: dict[str, float], rubric: Rubric) -> str:
    folded = fold(question)
    for key, pattern in _TOPICS:
        if key in rubric.keys and re.search(rf"\b(?:{pattern})\b", folded):
            return key
    if scores:
        return min(rubric.keys, key=lambda k: (scores.get(k, 100.0), -rubric.category(k).weight))
    return rubric.keys[0]


def _reply_after(call: CallContext, turn: Turn) -> int | None:
    after = [t for t in call.turns if t.speaker == "salesperson" and t.index > turn.index]
    return after[0].index if after else None


def _rep_turn(call: CallContext, category: str, question: str) -> int | None:
    """The salesperson turn the question is about: the reply to the customer turn the question
    names (shares words with it), else the improvement quoted in the category, else the reply to
    the first objection, else the salesperson turn closest to the question."""
    asked = words(question)
    customer = [t for t in call.turns if t.speaker == "persona"]
    raised = [t for t in customer if OBJECTION.search(fold(t.text))]
    pool = raised if category == "objection_handling" and raised else customer
    named = max(pool, key=lambda t: (len(asked & words(t.text)), -t.index), default=None)
    if named is not None and asked & words(named.text):
        reply = _reply_after(call, named)
        if reply is not None:
            return reply
    for item in call.improvements:
        if item.get("category") == category and isinstance(item.get("turn"), int):
            return int(item["turn"])
    rep = [t for t in call.turns if t.speaker == "salesperson"]
    if category == "objection_handling" and raised:
        reply = _reply_after(call, raised[0])
        if reply is not None:
            return reply
    if not rep:
        return None
    return max(rep, key=lambda t: (len(asked & words(t.text)), -t.index)).index


def _exchange(where: Moment, text: dict[str, str]) -> tuple[list[str], list[Ref]]:
    said: list[str] = []
    refs: list[Ref] = []
    if where.customer is not None:
        said.append(
            text["customer"].format(turn=where.customer.index, text=_short(where.customer.text))
        )
        refs.append(Ref("turn", turn=where.customer.index))
    if where.turn is not None:
        said.append(text["rep"].format(turn=where.turn.index, text=_short(where.turn.text)))
        refs.append(Ref("turn", turn=where.turn.index))
    return said, refs


class OfflineCoach:
    """The "offline" coach: deterministic, instant, clearly labelled."""

    name = NAME
    offline = True

    @property
    def label(self) -> dict[str, str]:
        """ "Offline coach (no language model)", per locale."""
        return dict(LABEL)

    def better_lines(
        self,
        improvements: list[Item],
        turns: list[Turn],
        rubric: Rubric,
        material: Sequence[Hit],
        persona: dict[str, Any],
        locale: str,
    ) -> list[Item]:
        """A better line for each improvement without one (see `coach_lines`)."""
        del rubric  # the lines follow its criteria by shape (see coach_lines)
        pool = facts(material)
        first = _first_name(str(persona.get("name") or ""))
        used = {str(i["better_line"]["text"]) for i in improvements if i.get("better_line")}
        written = []
        for item in improvements:
            if item.get("better_line") or not isinstance(item.get("turn"), int):
                written.append(item)
                continue
            where = moment(turns, item["turn"], str(item.get("category")))
            text, chunk_ids = line(where, pool, first, locale, used)
            written.append({**item, "better_line": {"text": text, "chunk_ids": chunk_ids}})
        return written

    def ask(self, question: str, call: CallContext) -> Answer:
        """An answer quoting the exchange, the rubric's criteria and the material (see above)."""
        text = TEXT["pt-BR" if call.locale == "pt-BR" else "en-US"]
        category = _topic(question, call.scores, call.rubric)
        criteria = call.rubric.category(category).criteria_in(call.locale)
        parts = [text["head"]]
        refs: list[Ref] = []
        turn = _rep_turn(call, category, question)
        where = moment(call.turns, turn, category) if turn is not None else None
        if where is not None:
            said, cited = _exchange(where, text)
            parts += said
            refs += cited
        name = call.rubric.category(category).title(call.locale)
        if category == "objection_handling" and not any(
            t.speaker == "persona" and OBJECTION.search(fold(t.text)) for t in call.turns
        ):
            parts.append(text["no_objection"])
        parts.append(text["criteria"].format(name=name, criteria="; ".join(criteria)))
        refs += [Ref("criterion", category=category, criterion=i) for i in range(len(criteria))]
        said, cited = self._advice(question, call, where, category, text)
        parts += said
        refs += cited
        used = Usage(kind="llm", provider="offline", model=NAME, operation="coach", inputs=1)
        return Answer(text="\n".join(parts), refs=refs, usage=[used])

    def _advice(
        self,
        question: str,
        call: CallContext,
        where: Moment | None,
        category: str,
        text: dict[str, str],
    ) -> tuple[list[str], list[Ref]]:
        """A better line for the moment, citing the fact it uses; a line that needs no fact is
        preceded by the material's sentence most relevant to the question, if any."""
        pool = facts(call.material)
        better, chunk_ids = "", list[int]()
        if where is not None:
            first = _first_name(call.persona_name)
            better, chunk_ids = line(where, pool, first, call.locale, set())
        said: list[str] = []
        if not chunk_ids and (fact := self._fact(pool, question, where, category)) is not None:
            said.append(text["fact"].format(text=fact.text, chunk=fact.chunk_id))
            return said + ([text["better"].format(text=better)] if better else []), [
                Ref("chunk", chunk_id=fact.chunk_id)
            ]
        if better:
            key = "better_cited" if chunk_ids else "better"
            said.append(text[key].format(text=better, chunks=", ".join(map(str, chunk_ids))))
        return said, [Ref("chunk", chunk_id=c) for c in chunk_ids]

    @staticmethod
    def _fact(pool: list[Fact], question: str, where: Moment | None, category: str) -> Fact | None:
        context = [question]
        if where is not None and where.customer is not None:
            context.append(where.customer.text)
        return best(pool, " ".join(context), category)
