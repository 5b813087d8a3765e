"""Rules a generated set must meet before anything is stored, checked in code.

Decision on citations: an objection citing any chunk id that was not in the context (another
company's chunk, an invented id, a chunk of this company the model was not shown) is dropped whole,
since part of it came from somewhere we cannot check. A persona left with no grounded objection
makes the set invalid, and an invalid set is regenerated once with the reasons; then the request
fails with nothing stored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from dojo.providers.embeddings import fold
from personas.models import DIFFICULTIES, DifficultyMix, PersonaDraft, PersonaSet

MIN_OBJECTIONS = 1
MIN_END_CONDITIONS = 1


@dataclass(frozen=True)
class Checked:
    """A set that passed, and how many objections were dropped on the way."""

    personas: list[PersonaDraft]
    dropped_objections: int


class InvalidSet(Exception):
    """The set breaks the rules; `reasons` say which, in words the model can act on."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def _key(text: str) -> str:
    return " ".join(fold(text).split())


def _ground(persona: PersonaDraft, allowed: set[int]) -> tuple[PersonaDraft, int]:
    kept = [
        o
        for o in persona.objections
        if o.text.strip() and o.chunk_ids and all(i in allowed for i in o.chunk_ids)
    ]
    return persona.model_copy(update={"objections": kept}), len(persona.objections) - len(kept)


def check(
    answer: PersonaSet,
    *,
    mix: DifficultyMix,
    allowed_chunks: set[int],
    taken_names: Collection[str] = (),
) -> Checked:
    """Validate a set against the request; raises InvalidSet with every reason found."""
    reasons: list[str] = []
    personas = answer.personas
    if len(personas) != mix.total:
        reasons.append(f"expected exactly {mix.total} personas, got {len(personas)}")
    for field, values in (
        ("names", [p.name for p in personas]),
        ("roles", [p.role for p in personas]),
    ):
        counts = Counter(_key(v) for v in values)
        repeated = sorted({v for v in values if v.strip() and counts[_key(v)] > 1})
        if repeated:
            reasons.append(f"{field} must be distinct; repeated: {', '.join(repeated)}")
    taken = {_key(n) for n in taken_names}
    clashes = sorted({p.name for p in personas if _key(p.name) in taken})
    if clashes:
        reasons.append(f"names already used by active personas: {', '.join(clashes)}")
    wanted = mix.as_dict()
    got = Counter(p.difficulty for p in personas)
    if any(got.get(d, 0) != wanted[d] for d in DIFFICULTIES):
        reasons.append(
            "difficulty mix must be "
            + ", ".join(f"{d}={wanted[d]}" for d in DIFFICULTIES)
            + "; got "
            + ", ".join(f"{d}={got.get(d, 0)}" for d in DIFFICULTIES)
        )
    grounded: list[PersonaDraft] = []
    dropped = 0
    for persona in personas:
        label = persona.name or "(unnamed)"
        for field in ("name", "role", "first_message", "speaking_style"):
            if not str(getattr(persona, field)).strip():
                reasons.append(f"{label}: {field} is empty")
        if not persona.company_profile.segment.strip() or not persona.company_profile.size.strip():
            reasons.append(f"{label}: company_profile needs segment and size")
        if len([c for c in persona.end_conditions if c.strip()]) < MIN_END_CONDITIONS:
            reasons.append(f"{label}: needs at least one condition to refuse or end the call")
        if not [h for h in persona.hidden_facts if h.fact.strip() and h.reveal_when.strip()]:
            reasons.append(f"{label}: needs at least one hidden fact with when to reveal it")
        if not [t for t in persona.traits if t.strip()]:
            reasons.append(f"{label}: needs personality traits")
        kept, lost = _ground(persona, allowed_chunks)
        dropped += lost
        if len(kept.objections) < MIN_OBJECTIONS:
            reasons.append(
                f"{label}: needs at least {MIN_OBJECTIONS} objection citing only chunk ids"
                " from the context"
            )
        grounded.append(kept)
    if reasons:
        raise InvalidSet(reasons)
    return Checked(personas=grounded, dropped_objections=dropped)
