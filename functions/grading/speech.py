"""What the salesperson says, classified: questions (open or closed) and filler words.

- Questions are counted per sentence of the salesperson. Open: the sentence starts (after a
  connector such as "e", "mas", "então" and an optional preposition) with an interrogative that
  cannot be answered yes/no — como, por que, o que, qual/quais, quanto(s), quando, onde, quem,
  que (not "que tal") — and ends with "?", or it is a request to tell ("me conta", "me fala",
  "me explica", "pode me contar", ...) with or without "?". Closed: any other sentence ending in
  "?". A sentence made only of tag words ("né?", "tá?", "certo?") is not a question.
- Fillers: pt-BR words that are also ordinary words are only counted where they act as fillers.
  "né", "hum"/"hmm"/"ahn"/"hã" always; "tipo" unless it means "kind of" ("tipo de", "esse tipo");
  "assim" before a comma or pause, or after "tipo"; "aí" starting a clause and followed by more
  speech (not "está aí." nor the greeting "e aí?"); "tá" as a tag before "?"; "é" and "então" only
  before a pause ("é…") or doubled ("é, é"); "sabe?"/"entendeu?" as a trailing tag. "um" is an
  English filler but a pt-BR article, so English fillers count only for the en-US locale.
"""

from __future__ import annotations

import re
from typing import Literal

from grading.transcript import tokens

QuestionKind = Literal["open", "closed"]

_SENTENCE = re.compile(r"[^.!?…]+[.!?…]*")
_LEX = re.compile(r"[\wÀ-ÿ]+|\.\.\.|…|[,;:!?.]", re.UNICODE)
_PAUSE = {"...", "…"}

_CONNECTORS = {"e", "mas", "então", "aí", "agora", "ok", "certo", "tá", "bom", "beleza", "and"}
_PREPOSITIONS = {"de", "em", "com", "a", "para", "pra", "por", "no", "na", "desde", "até"}
_OPEN_WORDS = {
    "como",
    "porque",
    "qual",
    "quais",
    "quanto",
    "quantos",
    "quanta",
    "quantas",
    "quando",
    "onde",
    "quem",
    "how",
    "why",
    "what",
    "which",
    "where",
    "when",
    "who",
}
_OPEN_PHRASES = (("por", "que"), ("por", "quê"), ("o", "que"), ("o", "quê"), ("pra", "que"))
_REQUESTS = (
    ("me", "conta"),
    ("me", "conte"),
    ("me", "contar"),
    ("me", "fala"),
    ("me", "fale"),
    ("me", "falar"),
    ("me", "explica"),
    ("me", "explique"),
    ("me", "explicar"),
    ("me", "descreve"),
    ("me", "descreva"),
    ("conta", "pra", "mim"),
    ("fala", "um", "pouco"),
    ("tell", "me"),
    ("walk", "me"),
)
_TAGS = {"né", "tá", "certo", "ok", "sabe", "entendeu", "beleza", "bom", "hein", "right"}

_ALWAYS_FILLERS_PT = {"né", "hum", "humm", "hmm", "hm", "ahn", "ãh", "hã", "éé", "ééé"}
_ALWAYS_FILLERS_EN = {"um", "uh", "uhm", "erm", "er", "hmm", "hm"}
_TIPO_NOUN_PREV = {"o", "um", "esse", "este", "aquele", "qual", "que", "outro", "mesmo", "cada"}
_TIPO_NOUN_NEXT = {"de", "do", "da", "dos", "das"}


def _starts_open(words: list[str]) -> bool:
    while words and words[0] in _CONNECTORS:
        words = words[1:]
    if words and words[0] in _PREPOSITIONS and len(words) > 1:
        if tuple(words[:2]) in _OPEN_PHRASES:
            return True
        words = words[1:]
    if not words:
        return False
    if tuple(words[:2]) in _OPEN_PHRASES:
        return True
    if words[0] == "que":
        return len(words) > 1 and words[1] != "tal"
    return words[0] in _OPEN_WORDS


def _has_request(words: list[str]) -> bool:
    for phrase in _REQUESTS:
        n = len(phrase)
        if any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1)):
            return True
    return False


def classify_questions(text: str) -> list[tuple[str, QuestionKind]]:
    """The questions in one turn's text, each labelled open or closed (pt-BR and English)."""
    found: list[tuple[str, QuestionKind]] = []
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0).strip()
        words = tokens(sentence)
        if not words:
            continue
        asks = sentence.rstrip().endswith("?")
        if _has_request(words):
            found.append((sentence, "open"))
            continue
        if not asks or set(words) <= _TAGS:
            continue
        # A clause after a comma may carry the interrogative: "E hoje, como vocês emitem?"
        clauses = [tokens(c) for c in sentence.split(",")]
        is_open = any(_starts_open(c) for c in clauses if c)
        found.append((sentence, "open" if is_open else "closed"))
    return found


def _is_filler(lex: list[str], i: int, locale: str) -> bool:
    word = lex[i]
    prev = lex[i - 1] if i > 0 else ""
    nxt = lex[i + 1] if i + 1 < len(lex) else ""
    clause_start = prev in ("", ",", ".", "!", "?", ";", ":", "...", "…")
    if locale == "en-US":
        return word in _ALWAYS_FILLERS_EN
    if word in _ALWAYS_FILLERS_PT:
        return True
    if word == "tipo":
        return nxt not in _TIPO_NOUN_NEXT and prev not in _TIPO_NOUN_PREV
    if word == "assim":
        return nxt in _PAUSE or nxt == "," or prev == "tipo"
    if word == "aí":
        return (clause_start or prev == "e") and nxt.isalpha()
    if word == "tá":
        return nxt == "?"
    if word in ("é", "então"):
        after = lex[i + 2] if i + 2 < len(lex) else ""
        return nxt in _PAUSE or nxt == word or (nxt == "," and after == word)
    if word in ("sabe", "entendeu"):
        return nxt == "?" and prev == ","
    return False


def fillers(text: str, locale: str = "pt-BR") -> list[str]:
    """The filler words of a text, in order, by the rules in this module's docstring."""
    lex = [w.lower() for w in _LEX.findall(text)]
    return [lex[i] for i in range(len(lex)) if lex[i][0].isalpha() and _is_filler(lex, i, locale)]
