"""The session transcript as the grader reads it, plus the text normalisation graders share.

Stored shape (written by the sessions and webhooks functions): a JSON array of turns
`{"speaker": "salesperson"|"persona", "text", "start", "end", "words"}` with times in seconds from
the session start. Turn indexes are positions in that stored array, so a quote's turn index points
at the same turn a manager sees. Malformed turns are skipped rather than failing the grade.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

Speaker = Literal["salesperson", "persona"]

_WORD = re.compile(r"[\wÀ-ÿ]+(?:[-'][\wÀ-ÿ]+)*", re.UNICODE)
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")


class Turn(BaseModel):
    """One turn of the conversation, with its index in the stored transcript."""

    index: int
    speaker: Speaker
    text: str
    start: float = 0.0
    end: float = 0.0
    words: int = 0

    @property
    def duration(self) -> float:
        """Seconds spoken (never negative)."""
        return max(0.0, self.end - self.start)


def word_count(text: str) -> int:
    """Words in a text (letters and digits, accents included)."""
    return len(_WORD.findall(text))


def tokens(text: str) -> list[str]:
    """Lower-cased words of a text, accents kept."""
    return [w.lower() for w in _WORD.findall(text)]


def normalise(text: str) -> str:
    """Case-, punctuation- and whitespace-insensitive form used to match quotes.

    Accents are kept: a verbatim quote must keep the salesperson's words, only their casing,
    punctuation and spacing may differ from the transcript.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _PUNCT.sub(" ", folded.replace("_", " "))
    return _SPACES.sub(" ", folded).strip()


def parse(raw: Any) -> list[Turn]:
    """The usable turns of a stored transcript (non-empty text, known speaker), in order."""
    if not isinstance(raw, list):
        return []
    turns: list[Turn] = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            continue
        text = str(item.get("text") or "").strip()
        if not text:
            continue
        try:
            turn = Turn(
                index=index,
                speaker=item.get("speaker"),
                text=text,
                start=float(item.get("start") or 0.0),
                end=float(item.get("end") or 0.0),
                words=int(item.get("words") or 0) or word_count(text),
            )
        except (ValidationError, TypeError, ValueError):
            continue
        turns.append(turn)
    return turns


def render(turns: list[Turn], locale: str) -> str:
    """The transcript as numbered lines for a prompt: `[index] Speaker: text`."""
    names = (
        {"salesperson": "Vendedor", "persona": "Cliente"}
        if locale == "pt-BR"
        else {"salesperson": "Salesperson", "persona": "Customer"}
    )
    return "\n".join(f"[{t.index}] {names[t.speaker]}: {t.text}" for t in turns)
