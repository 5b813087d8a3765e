"""Evidence quotes verified against the transcript: a quote the salesperson did not say is dropped.

Matching ignores case, punctuation and spacing (transcription and the model both vary on those)
but not words or accents. A quote must come from a salesperson turn: the cited turn first, else
the first salesperson turn that contains it (the turn index is corrected). A quote that only the
customer said, or nobody said, is removed and counted, and so is the item that relied on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from grading.transcript import Turn, normalise

_MIN_QUOTE_CHARS = 2  # "ok" and "oi" are real quotes of a lazy call


@dataclass(frozen=True)
class Quote:
    """A verified quote: the salesperson's words and the turn they come from."""

    turn: int
    quote: str


class Verifier:
    """Checks quotes against the salesperson's turns of one transcript."""

    def __init__(self, turns: list[Turn]) -> None:
        self._rep = {t.index: normalise(t.text) for t in turns if t.speaker == "salesperson"}
        self.removed = 0

    def verify(self, turn: int | None, quote: str) -> Quote | None:
        """The quote with its true turn, or None (counted) when the salesperson never said it."""
        needle = normalise(quote)
        if len(needle) < _MIN_QUOTE_CHARS:
            self.removed += 1
            return None
        if turn is not None and needle in self._rep.get(turn, ""):
            return Quote(turn, quote.strip())
        for index, text in self._rep.items():
            if needle in text:
                return Quote(index, quote.strip())
        self.removed += 1
        return None

    def keep_items(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Items (`text`, `quote`, `turn`, ...) whose quote is verified, with corrected turns."""
        kept: list[dict[str, Any]] = []
        for item in items:
            found = self.verify(item.get("turn"), str(item.get("quote") or ""))
            if found is not None:
                kept.append({**item, "turn": found.turn, "quote": found.quote})
        return kept
