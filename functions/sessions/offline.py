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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dojo.providers.embeddings import fold
from sessions.persona import Persona

Lookup = Callable[[str], list[str]]

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    (
        "quando",
        "perguntado",
        "perguntada",
        "pergunta",
        "perguntar",
        "perguntam",
        "sobre",
        "vendedor",
        "vendedora",
        "voce",
        "voces",
        "para",
        "como",
        "qual",
        "quais",
        "isso",
        "esse",
        "essa",
        "este",
        "esta",
        "muito",
        "mais",
        "mesmo",
        "pelo",
        "pela",
        "entre",
        "seus",
        "suas",
        "nosso",
        "nossa",
        "nossos",
        "nossas",
        "hoje",
        "fazer",
        "pode",
        "poderia",
        "seria",
        "sendo",
        "quanto",
        "quantos",
        "quantas",
        "onde",
        "quem",
        "porque",
        "entao",
        "assim",
        "tambem",
        "ainda",
        "algum",
        "alguma",
        "alguns",
        "algumas",
        "cada",
        "outro",
        "outra",
        "deles",
        "delas",
        "dele",
        "dela",
        "aqui",
        "agora",
        "sempre",
        "nunca",
        "tudo",
        "todos",
        "todas",
        "melhor",
        "coisa",
        "coisas",
        "qualquer",
        "aquele",
        "aquela",
        "fala",
        "falar",
        "conta",
        "contar",
        "explique",
        "explicar",
        "descreva",
        "gostaria",
        "queria",
        "tenho",
        "temos",
        "the",
        "and",
        "what",
        "when",
        "your",
        "with",
        "have",
        "that",
        "this",
        "about",
        "does",
        "would",
        "could",
        "they",
        "there",
        "today",
    )
)
_RUDE = (
    "idiota",
    "imbecil",
    "burro",
    "burra",
    "otario",
    "otaria",
    "estupido",
    "estupida",
    "babaca",
    "palhaco",
    "cala a boca",
    "cale a boca",
    "vai se ferrar",
    "vai te catar",
    "porra",
    "merda",
    "caralho",
    "nao enche",
    "idiot",
    "stupid",
    "moron",
    "shut up",
    " fuck",
    " shit",
)
_OPEN = (
    "como ",
    "qual",
    "quais",
    "o que",
    "por que",
    "porque ",
    "quem ",
    "quanto",
    "quando ",
    "onde ",
    "me conta",
    "me conte",
    "me fala",
    "me fale",
    "conte ",
    "explique",
    "descreva",
    " how ",
    " what ",
    " why ",
    " who ",
    " which ",
    " when ",
    " where ",
    "tell me",
    "walk me through",
    "describe",
)
# Whole words only: "o que" must not match inside "pelo que", nor "qual" inside "qualidade".
_OPEN_RE = re.compile("|".join(rf"\b{re.escape(w.strip())}\b" for w in _OPEN))
_NEXT_STEP = (
    "proximo passo",
    "proximos passos",
    "agendar",
    "agendamos",
    "marcar",
    "marcamos",
    "reuniao",
    "demonstracao",
    "proposta",
    "piloto",
    "periodo de teste",
    "teste gratuito",
    "assinar",
    "assinatura do contrato",
    "fechar negocio",
    "fechamos",
    "next step",
    "schedule",
    " book a ",
    " meeting",
    " demo ",
    " proposal",
    " pilot",
    " free trial",
    " sign ",
)
_PITCH = (
    "nossa solucao",
    "nosso produto",
    "nossa plataforma",
    "nosso sistema",
    "nosso servico",
    "oferecemos",
    "ajudamos",
    "o plano",
    "nossos planos",
    "preco",
    "custa",
    "valor",
    "mensalidade",
    "our solution",
    "our product",
    "our platform",
    "we offer",
    "we help",
    " price",
    " costs ",
    " plan ",
)
_EVIDENCE = (
    "por exemplo",
    "garant",
    "cliente",
    "caso ",
    "resultado",
    "contrato",
    "prazo",
    "suporte",
    "dados",
    "reduz",
    "economi",
    "sem custo",
    "multa",
    "migra",
    "implanta",
    "treinamento",
    "sla",
    "for example",
    "guarantee",
    "customer",
    "case study",
    "result",
    "contract",
    "support",
    "reduce",
    "save",
    "training",
)
_WEAK = (
    "confia",
    "nao se preocupe",
    "pode ficar tranquil",
    "e o melhor",
    "relaxa",
    "sem problema",
    "trust me",
    "don't worry",
    "it's the best",
    "no problem",
)
_KNOWS = ("conhece", "ouviu falar", "ja viu", "ja usou", "heard of", "do you know", "familiar with")
_GREETING = (
    "bom dia",
    "boa tarde",
    "boa noite",
    " ola ",
    " oi ",
    "tudo bem",
    "tudo bom",
    " hello",
    " hi ",
    "good morning",
    "good afternoon",
    "how are you",
)
_PATIENCE = {"easy": 6, "medium": 5, "hard": 3}
# What the persona says, by language (the persona's locale).
_SAY: dict[str, dict[str, Any]] = {
    "pt": {
        "rude": "Não vou continuar a conversa nesse tom. Passar bem.",
        "raise": "Olha, vou ser sincero:",
        "greeting": "Oi. Pode falar, mas seja breve: do que se trata?",
        "reveal": "Bom, já que perguntou:",
        "closed": "Depende. Por que você quer saber?",
        "pain_first": "O que mais me incomoda hoje é isto:",
        "pain_more": "Também:",
        "no_pain": "Hum, nunca parei para pensar nisso. Aonde você quer chegar?",
        "handled_next": "Certo, isso responde. Mas tem outra coisa:",
        "handled": "Certo, isso responde a minha preocupação. O que mais?",
        "impatient_objection": "Acho que não vamos chegar a lugar nenhum hoje. Obrigado, até mais.",
        "resist": (
            "Isso não me convence.",
            "Você não respondeu à minha preocupação.",
            "Continuo sem ver como isso resolve.",
        ),
        "pending_first": "Calma, antes de qualquer próximo passo:",
        "before_next": "Antes de falar em próximo passo:",
        "accept": "Tudo bem, você respondeu às minhas dúvidas. Pode mandar o convite e seguimos a"
        " partir daí. Obrigado, até mais.",
        "impatient": "Olha, não estou vendo aonde isso vai. Vou desligar, obrigado.",
        "nudges": (
            "Certo. E o que isso muda para mim?",
            "Hum. Seja mais direto, por favor.",
            "Entendi. Mas qual é a sua proposta, afinal?",
        ),
        "quote": "Pelo que vi no material de vocês:",
        "unknown_product": "Não conheço bem, não. Me diga você.",
        "known_product": "Já vi alguma coisa. Li que “{}” É isso mesmo?",
    },
    "en": {
        "rude": "I won't continue this conversation in that tone. Goodbye.",
        "raise": "Let me be frank:",
        "greeting": "Hi. Go ahead, but keep it short: what is this about?",
        "reveal": "Well, since you ask:",
        "closed": "It depends. Why do you want to know?",
        "pain_first": "What bothers me most today is this:",
        "pain_more": "Also:",
        "no_pain": "Hmm, I never thought about it. Where are you going with this?",
        "handled_next": "Fine, that answers it. But there is something else:",
        "handled": "Fine, that answers my concern. What else?",
        "impatient_objection": "I don't think we are getting anywhere today. Thanks, bye.",
        "resist": (
            "That doesn't convince me.",
            "You didn't answer my concern.",
            "I still don't see how that solves it.",
        ),
        "pending_first": "Hold on, before any next step:",
        "before_next": "Before we talk about next steps:",
        "accept": "All right, you answered my questions. Send the invite and we take it from"
        " there. Thanks, bye.",
        "impatient": "Look, I don't see where this is going. I'll hang up, thanks.",
        "nudges": (
            "Right. And what does that change for me?",
            "Hmm. Please be more direct.",
            "I see. But what is your proposal, exactly?",
        ),
        "quote": "From what I saw in your material:",
        "unknown_product": "I don't really know it. You tell me.",
        "known_product": "I saw something. I read that “{}” Is that right?",
    },
}
_HANDLED_MIN_WORDS = 12


@dataclass(frozen=True)
class Reply:
    """The persona's answer to one salesperson turn."""

    text: str
    end: bool = False
    end_reason: str | None = None


@dataclass
class _State:
    revealed: set[int] = field(default_factory=set)
    raised: list[int] = field(default_factory=list)
    pending: int | None = None
    resisted: int = 0
    idle: int = 0
    turns: int = 0
    pains_told: int = 0


def _stem(word: str) -> str:
    return word[:5]


def keywords(text: str) -> set[str]:
    """Content words of a text, accent-folded and crudely stemmed (first five letters), plus
    numbers of two or more digits (prices, percentages, deadlines)."""
    return {
        _stem(w)
        for w in _WORD.findall(fold(text))
        if (len(w) >= 4 and w not in _STOP) or (len(w) >= 2 and w.isdigit())
    }


def _has(text: str, needles: Sequence[str]) -> bool:
    return any(n in text for n in needles)


def _is_open(text: str) -> bool:
    return _OPEN_RE.search(text) is not None


def best_sentence(snippets: Sequence[str], query: str, limit: int = 220) -> str | None:
    """The material's sentence most on the query's subject (two shared words, or a shared
    number); None when nothing is on subject: an unrelated quote would be invented relevance."""
    wanted = keywords(query)
    best, score = None, 0
    for snippet in snippets:
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", snippet):
            flat = " ".join(sentence.split())
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
        self.say = _SAY["en" if persona.locale.lower().startswith("en") else "pt"]
        self._objection_words = [keywords(o.text) for o in persona.objections]
        self._fact_words = [keywords(f"{f.fact} {f.reveal_when}") for f in persona.hidden_facts]

    def reply(self, history: Sequence[str], message: str) -> Reply:
        """Answer `message`, given the salesperson's earlier turns `history` (oldest first)."""
        state = _State()
        for earlier in history:
            self._step(state, earlier, live=False)
        return self._step(state, message, live=True)

    # --- one turn -----------------------------------------------------------------------------

    def _step(self, state: _State, message: str, *, live: bool) -> Reply:
        state.turns += 1
        text = f" {fold(message)} "
        words = keywords(message)
        if _has(text, _RUDE):
            return Reply(self.say["rude"], True, "persona-rudeness")
        if state.pending is not None:
            reply = self._answer_to_objection(state, text, words, live)
            if reply is not None:
                return reply
        if _has(text, _NEXT_STEP):
            return self._next_step(state, live)
        if self._is_question(text):
            reply = self._question(state, text, words, live)
            if reply is not None:
                return reply
        if _has(text, _PITCH) or (state.turns >= 4 and not state.raised):
            raised = self._raise_next(state, live, lead=self.say["raise"])
            if raised is not None:
                return raised
        if state.turns == 1 and _has(text, _GREETING):
            return Reply(self.say["greeting"])
        return self._idle(state)

    def _is_question(self, text: str) -> bool:
        return "?" in text or _is_open(text)

    def _question(self, state: _State, text: str, words: set[str], live: bool) -> Reply | None:
        state.idle = 0
        if _has(text, _KNOWS):
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

    def _answer_to_objection(
        self, state: _State, text: str, words: set[str], live: bool
    ) -> Reply | None:
        assert state.pending is not None
        pending = state.pending
        objection = self.persona.objections[pending]
        long_enough = len(_WORD.findall(text)) >= _HANDLED_MIN_WORDS
        on_subject = bool(words & self._objection_words[pending])
        weak = _has(text, _WEAK) and len(_WORD.findall(text)) < 20
        # on the objection's subject AND backed by something: evidence words or numbers
        backed = _has(text, _EVIDENCE) or any(c.isdigit() for c in text)
        if long_enough and on_subject and backed and not weak:
            state.pending = None
            state.resisted = 0
            state.idle = 0
            if _has(text, _NEXT_STEP):
                return None  # the same turn also asks for a next step: decided below
            follow = self._raise_next(state, live, lead=self.say["handled_next"])
            return follow or Reply(self.say["handled"])
        if _has(text, _NEXT_STEP) and not long_enough:
            return None
        state.resisted += 1
        state.idle += 1
        if state.idle >= _PATIENCE[self.persona.difficulty]:
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
                grounding = self._grounding(objection.text, live)
                return Reply(f"{lead} {objection.text}{grounding}")
        return None

    def _idle(self, state: _State) -> Reply:
        state.idle += 1
        if state.idle >= _PATIENCE[self.persona.difficulty]:
            return Reply(self.say["impatient"], True, "persona-lost-patience")
        nudges = self.say["nudges"]
        return Reply(nudges[(state.idle - 1) % len(nudges)])

    # --- facts about the seller's product -----------------------------------------------------

    def _seller_terms(self, text: str) -> str:
        return " ".join(w for w in _WORD.findall(text) if len(w) >= 4 and w not in _STOP)

    def _grounding(self, query: str, live: bool) -> str:
        if not live or self.lookup is None:
            return ""
        sentence = best_sentence(self.lookup(query), query)
        if sentence is None:
            return ""
        return f" {self.say['quote']} “{sentence}”"

    def _product_fact(self, query: str, live: bool) -> str:
        snippets = self.lookup(query) if live and self.lookup is not None and query else []
        sentence = best_sentence(snippets, query)
        if sentence is None:
            return str(self.say["unknown_product"])
        return str(self.say["known_product"]).format(sentence)
