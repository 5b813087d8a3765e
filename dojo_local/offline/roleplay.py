"""A deterministic roleplay persona for text sessions without a language model (offline mode).

Rules, not randomness, so the demo and tests behave the same everywhere:
- an open question on the subject of a hidden fact reveals it (one per question); a closed or
  vague question gets an evasive answer;
- a pitch, a next-step request or enough small talk makes the persona raise its next objection;
- an objection counts as handled only by a specific answer: long enough, on its subject, and
  backed by evidence (numbers, examples, guarantees, customers); weak answers are resisted;
- a next step is accepted only once every objection was raised and handled, then it hangs up;
- rudeness ends the call at once; patience runs out after several turns that go nowhere.

The state is rebuilt by replaying the conversation, so nothing but the transcript is stored.
Product facts come from the knowledge base (`lookup`), never invented. It speaks the persona's
language (pt-BR, or English for en-US personas) and understands questions in both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from dojo.providers.embeddings import fold
from dojo_local.offline.roleplay_words import (
    EVIDENCE,
    GREETING,
    HANDLED_MIN_WORDS,
    KNOWS,
    NEXT_STEP,
    OPEN,
    PATIENCE,
    PITCH,
    RUDE,
    SAY,
    STOP,
    WEAK,
)
from sessions.persona import Persona
from sessions.roleplay import Conversation, Lookup, Reply

_WORD = re.compile(r"[a-z0-9]+")
# A number as written in pt-BR or English ("R$ 1.200,00", "1,200", "30%"), read whole.
_NUMBER = re.compile(r"\d{1,3}(?:[.,]\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d{1,2})?")


def numbers(text: str) -> set[str]:
    """The whole numbers a text cites, thousands separators and cents dropped: "R$ 1.200,00"
    is 1200, never 200 (so a quote about one price is never taken for another)."""
    found = set()
    for match in _NUMBER.finditer(text):
        whole = re.split(r"[.,]\d{1,2}$", match.group(0))[0]
        digits = re.sub(r"\D", "", whole)
        if len(digits) >= 2:
            found.add(digits.lstrip("0") or "0")
    return found


# Whole words only: "o que" must not match inside "pelo que", nor "qual" inside "qualidade".
_OPEN_RE = re.compile("|".join(rf"\b{re.escape(w.strip())}\b" for w in OPEN))


@dataclass
class _State:
    revealed: set[int] = field(default_factory=set)
    raised: list[int] = field(default_factory=list)
    pending: int | None = None
    resisted: int = 0
    idle: int = 0
    turns: int = 0
    pains_told: int = 0
    explained: int = 0


def _stem(word: str) -> str:
    return word[:5]


def keywords(text: str) -> set[str]:
    """Content words of a text, accent-folded and crudely stemmed (first five letters), plus
    numbers of two or more digits (prices, percentages, deadlines)."""
    words = _WORD.findall(fold(_NUMBER.sub(" ", text)))
    return {_stem(w) for w in words if len(w) >= 4 and w not in STOP} | numbers(text)


def _first_sentence(text: str) -> str:
    match = re.match(r".+?[.!?](?=\s|$)", text.strip())
    return match.group(0) if match else text.strip()


def _has(text: str, needles: Sequence[str]) -> bool:
    return any(n in text for n in needles)


def _is_open(text: str) -> bool:
    return _OPEN_RE.search(text) is not None


def best_sentence(snippets: Sequence[str], query: str, limit: int = 220) -> str | None:
    """The material's sentence most on the query's subject (two shared words, or a shared
    number); None when nothing is on subject: an unrelated quote would be invented relevance.
    A query that cites numbers only matches a sentence citing the same numbers."""
    wanted = keywords(query)
    cited = numbers(query)
    best, score = None, 0
    for snippet in snippets:
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", snippet):
            flat = " ".join(sentence.split())
            if not cited <= numbers(flat):
                continue
            shared = keywords(flat) & wanted
            points = len(shared) + sum(1 for w in shared if w.isdigit())
            if points > score:
                best, score = flat, points
    if best is None or score < 2:
        return None
    return best if len(best) <= limit else best[: limit - 1].rstrip() + "…"


class OfflinePersona:
    """Plays one persona by rules; `reply` answers the newest salesperson turn."""

    def __init__(self, persona: Persona, lookup: Lookup | None = None) -> None:
        self.persona = persona
        self.lookup = lookup
        self.say = SAY["en" if persona.locale.lower().startswith("en") else "pt"]
        self._objection_words = [keywords(o.text) for o in persona.objections]
        self._fact_words = [keywords(f"{f.fact} {f.reveal_when}") for f in persona.hidden_facts]
        self._cited: dict[int, str | None] = {}

    def reply(self, history: Sequence[str], message: str, said: Sequence[str] = ()) -> Reply:
        """Answer `message`, given the salesperson's earlier turns `history` (oldest first) and
        what the persona already `said` in this call (never said twice, word for word)."""
        state = _State()
        for earlier in history:
            self._step(state, earlier, live=False)
        return self._unrepeated(self._step(state, message, live=True), state, said)

    def _unrepeated(self, reply: Reply, state: _State, said: Sequence[str]) -> Reply:
        """The reply, or another way to say it when this exact line was already said; with
        every way used up, the persona has nothing new to say and ends the call."""
        spoken = {" ".join(fold(line).split()) for line in said}
        if " ".join(fold(reply.text).split()) not in spoken:
            return reply
        options: list[str] = []
        if state.pending is not None:
            concern = _first_sentence(self.persona.objections[state.pending].text)
            options += [f"{lead} {concern}" for lead in self.say["again_pending"]]
        options += list(self.say["again"])
        for line in options:
            if " ".join(fold(line).split()) not in spoken:
                return Reply(line, reply.end, reply.end_reason)
        return Reply(self.say["nothing_new"], True, "persona-lost-patience")

    # --- one turn -----------------------------------------------------------------------------

    def _step(self, state: _State, message: str, *, live: bool) -> Reply:
        state.turns += 1
        text = f" {fold(message)} "
        words = keywords(message)
        if _has(text, RUDE):
            return Reply(self.say["rude"], True, "persona-rudeness")
        if state.pending is not None:
            reply = self._answer_to_objection(state, text, words, live)
            if reply is not None:
                return reply
        if _has(text, NEXT_STEP):
            return self._next_step(state, live)
        if self._is_question(text):
            reply = self._question(state, text, words, live)
            if reply is not None:
                return reply
        if _has(text, PITCH) or (state.turns >= 4 and not state.raised):
            raised = self._raise_next(state, live, lead=self.say["raise"])
            if raised is not None:
                return raised
        if state.turns == 1 and _has(text, GREETING):
            return Reply(self.say["greeting"])
        return self._idle(state)

    def _is_question(self, text: str) -> bool:
        return "?" in text or _is_open(text)

    def _question(self, state: _State, text: str, words: set[str], live: bool) -> Reply | None:
        state.idle = 0
        if _has(text, KNOWS):
            return Reply(self._product_fact(self._seller_terms(text), live))
        best, overlap = None, 0
        for index, fact_words in enumerate(self._fact_words):
            shared = len(words & fact_words)
            if index not in state.revealed and shared > overlap:
                best, overlap = index, shared
        if best is not None:
            if _is_open(text):
                state.revealed.add(best)
                return Reply(f"{self.say['reveal']} {self.persona.hidden_facts[best].fact}")
            return Reply(self.say["closed"])
        if _is_open(text):
            pains = self.persona.pains or self.persona.goals
            if pains and state.pains_told < len(pains):
                pain = pains[state.pains_told]
                state.pains_told += 1
                lead = self.say["pain_first" if state.pains_told == 1 else "pain_more"]
                return Reply(f"{lead} {pain}")
            if state.raised or state.turns < 4:
                return Reply(self.say["no_pain"])
            # nothing left to tell: a real buyer brings up what worries them instead
            return self._raise_next(state, live, lead=self.say["raise"]) or Reply(
                self.say["no_pain"]
            )
        return None

    def _cited_fact(self, index: int) -> str | None:
        """The material's sentence an objection is about (its numbers included), looked up once;
        the same whether the turn is replayed or live, so replays reach the same state."""
        if index not in self._cited:
            text = self.persona.objections[index].text
            found = self.lookup(text) if self.lookup is not None else []
            self._cited[index] = best_sentence(found, text)
        return self._cited[index]

    def _answer_to_objection(
        self, state: _State, text: str, words: set[str], live: bool
    ) -> Reply | None:
        assert state.pending is not None
        pending = state.pending
        objection = self.persona.objections[pending]
        long_enough = len(_WORD.findall(text)) >= HANDLED_MIN_WORDS
        fact = self._cited_fact(pending)
        fact_words = keywords(fact) if fact else set()
        # on the subject of the objection or of the fact it cites ("R$ 1.200" is the fee)
        on_subject = bool(words & (self._objection_words[pending] | fact_words))
        weak = _has(text, WEAK) and len(_WORD.findall(text)) < 20
        # backed by something: evidence words, numbers, or the material's own facts
        backed = (
            _has(text, EVIDENCE) or any(c.isdigit() for c in text) or len(words & fact_words) >= 2
        )
        if long_enough and on_subject and backed and not weak:
            state.pending = None
            state.resisted = 0
            state.idle = 0
            if _has(text, NEXT_STEP):
                return None  # the same turn also asks for a next step: decided below
            follow = self._raise_next(state, live, lead=self.say["handled_next"])
            return follow or Reply(self.say["handled"])
        if _has(text, NEXT_STEP) and not long_enough:
            return None
        if _is_open(text) and "?" in text and not weak:
            # the salesperson explores the concern: a buyer explains it, patience intact
            state.explained += 1
            reasons = self.say["explain"]
            return Reply(reasons[(state.explained - 1) % len(reasons)])
        state.resisted += 1
        state.idle += 1
        if state.idle >= PATIENCE[self.persona.difficulty]:
            return Reply(self.say["impatient_objection"], True, "persona-lost-patience")
        leads = self.say["resist"]
        return Reply(f"{leads[(state.resisted - 1) % len(leads)]} {objection.text}")

    def _next_step(self, state: _State, live: bool) -> Reply:
        state.idle = 0
        if state.pending is not None:
            objection = self.persona.objections[state.pending].text
            return Reply(f"{self.say['pending_first']} {objection}")
        raised = self._raise_next(state, live, lead=self.say["before_next"])
        if raised is not None:
            return raised
        return Reply(self.say["accept"], True, "persona-accepted-next-step")

    def _raise_next(self, state: _State, live: bool, lead: str) -> Reply | None:
        for index, objection in enumerate(self.persona.objections):
            if index not in state.raised:
                state.raised.append(index)
                state.pending = index
                state.idle = 0
                grounding = self._grounding(index, live)
                return Reply(f"{lead} {objection.text}{grounding}")
        return None

    def _idle(self, state: _State) -> Reply:
        state.idle += 1
        if state.idle >= PATIENCE[self.persona.difficulty]:
            return Reply(self.say["impatient"], True, "persona-lost-patience")
        nudges = self.say["nudges"]
        return Reply(nudges[(state.idle - 1) % len(nudges)])

    # --- facts about the seller's product -----------------------------------------------------

    def _seller_terms(self, text: str) -> str:
        return " ".join(w for w in _WORD.findall(text) if len(w) >= 4 and w not in STOP)

    def _grounding(self, index: int, live: bool) -> str:
        """The material's sentence the objection is about, quoted with the very numbers the
        objection cites (nothing, rather than a sentence about another price)."""
        sentence = self._cited_fact(index) if live else None
        if sentence is None:
            return ""
        return f" {self.say['quote']} “{sentence}”"

    def _product_fact(self, query: str, live: bool) -> str:
        snippets = self.lookup(query) if live and self.lookup is not None and query else []
        sentence = best_sentence(snippets, query)
        if sentence is None:
            return str(self.say["unknown_product"])
        return str(self.say["known_product"]).format(sentence)


class OfflineRoleplay:
    """The `sessions.roleplay` provider "offline": the rules above, on this machine's CPU."""

    def next_turn(self, talk: Conversation, message: str, lookup: Lookup) -> Reply:
        """Replay the salesperson's earlier turns (a retry's, from the original call, first),
        then answer `message`."""
        retry = talk.persona.retry
        history = [*(retry.salesperson_before if retry else [])]
        history += [
            str(t.get("text") or "") for t in talk.transcript if t.get("speaker") == "salesperson"
        ]
        said = [str(t.get("text") or "") for t in talk.transcript if t.get("speaker") == "persona"]
        return OfflinePersona(talk.persona, lookup).reply(history, message, said)
