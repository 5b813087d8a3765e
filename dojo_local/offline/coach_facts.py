"""The offline coach's reading of the material: the sentences of the retrieved chunks, and the one
that best answers a moment of the call.

A sentence is chosen by the words it shares with the moment (the customer's turn and the quoted
line; numbers count, so a price the customer cited finds the sentence with that price), by how
concrete it is (prices, percentages, deadlines) and by what the category needs (a closing wants
the trial, demonstration or proposal the material offers). Ties go to the earlier chunk and
sentence, so the same call always gets the same line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dojo.retrieval import Hit
from dojo_local.offline.grading_cues import fold

_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+|\s+[|•]\s+|\s-\s(?=[A-ZÀ-Ú])")
_MIN_CHARS = 25
_MIN_WORDS = 5  # shorter lines are headings and table cells, not facts
_MAX_CHARS = 260
_CONCRETE = re.compile(r"r\$|\d|%")
# sales kits answer objections as "Objeção: '...' Resposta: ..."; the answer is the fact
_ANSWER = re.compile(r"\b(?:Resposta|Answer|Response)\s*:\s*", re.IGNORECASE)
_QUESTION_LABEL = re.compile(r"^(?:Obje[çc][ãa]o|Objection|Pergunta|Question)\s*:", re.IGNORECASE)
_STOP_WORDS = (
    "para pelo pela pelos pelas como mais menos isso esse essa este esta aqui voce voces "
    "nosso nossa nossos nossas seus suas dele dela eles elas muito muita quando onde qual "
    "quais entao porque sobre entre ainda tambem mesmo cada tudo todo toda todos todas "
    "sera seria pode podem fazer feito tenho temos the and for with that this your from "
    "have what about"
)
_STOP = frozenset(_STOP_WORDS.split())
# what each category's line needs from the material, beyond sharing words with the moment
NEEDS: dict[str, re.Pattern[str]] = {
    "closing": re.compile(
        r"\b(?:teste|gratis|gratuito|demonstra\w*|piloto|trial|demo\w*|proposta|proposal)\b"
    ),
    "objection_handling": _CONCRETE,
}


@dataclass(frozen=True)
class Fact:
    """A sentence of a chunk, as the coach may quote it."""

    chunk_id: int
    text: str
    order: int  # position in the material, for deterministic ties


def words(text: str) -> set[str]:
    """The content words of a text (folded; numbers kept)."""
    return {w for w in fold(text).split() if (len(w) >= 4 or w.isdigit()) and w not in _STOP}


def _clean(sentence: str) -> str:
    text = " ".join(sentence.strip(" -–—*#>\t").split())
    if text and text[-1] not in ".!?":
        text += "."
    return text[0].upper() + text[1:] if text else text


def facts(material: Sequence[Hit]) -> list[Fact]:
    """Every quotable sentence of the material, in material order."""
    found: list[Fact] = []
    for hit in material:
        for part in _SPLIT.split(hit.content):
            text = _clean(_ANSWER.split(part)[-1])
            if _QUESTION_LABEL.match(text):
                continue
            long_enough = len(text.split()) >= _MIN_WORDS
            if long_enough and _MIN_CHARS <= len(text) <= _MAX_CHARS and words(text):
                found.append(Fact(hit.chunk_id, text, len(found)))
    return found


def _score(fact: Fact, moment: set[str], said: set[str], category: str) -> float:
    folded = fold(fact.text)
    # the customer's words weigh double: the salesperson's own line repeats names and pitch
    found = words(fact.text)
    shared = len(moment & found) + 0.5 * len(said & found)
    concrete = 1.0 if _CONCRETE.search(folded) else 0.0
    need = NEEDS.get(category)
    # a closing line is about the step the material offers, whatever was said last
    fits = (4.0 if category == "closing" else 1.5) if need and need.search(folded) else 0.0
    return 2.0 * shared + concrete + fits


def best(
    pool: Sequence[Fact],
    moment_text: str,
    category: str,
    used: Iterable[str] = (),
    said_text: str = "",
) -> Fact | None:
    """The sentence that best serves this moment (the customer's words in `moment_text`, the
    salesperson's in `said_text`; one not used yet), or None when nothing in the material
    relates to it at all."""
    said = words(said_text)
    moment = words(moment_text)
    taken = set(used)
    ranked = sorted(
        (f for f in pool if f.text not in taken),
        key=lambda f: (-_score(f, moment, said, category), f.order),
    )
    if not ranked:
        return None
    top = ranked[0]
    related = (moment | said) & words(top.text) or (
        category in NEEDS and NEEDS[category].search(fold(top.text))
    )
    return top if related else None
