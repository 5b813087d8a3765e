"""Retry this moment: a new session that opens at one persona turn of a finished call.

The salesperson picks a persona turn of one of their own ended sessions; the new session plays
the same persona (as it was frozen into the original), opens with that turn's words, and carries
the situation so far: what the persona already objected to and revealed, and the last exchanges
(summarised for a model's prompt). The salesperson's earlier turns travel too, so a rule-based
persona replays them and stands exactly where it stood at that moment.
"""

from __future__ import annotations

import uuid
from typing import Any

from dojo.errors import AppError, NotFound
from dojo.providers.embeddings import fold
from sessions.persona import Persona, RetryContext

_QUOTE_CHARS = 220
_LAST_EXCHANGES = 4  # turns of the conversation quoted before the moment

_WORDS: dict[str, dict[str, str]] = {
    "pt": {
        "lead": "Esta ligação retoma uma conversa anterior com o mesmo vendedor, a partir de um "
        "momento preciso. Você já passou pelo começo da conversa; não se apresente de novo.",
        "objections": "Objeções que você já levantou: {}.",
        "revealed": "O que você já contou ao vendedor: {}.",
        "last": "Últimas falas antes deste momento:",
        "you": "Você",
        "seller": "Vendedor",
        "opening": "Você retoma com esta fala, e a conversa segue a partir dela: “{}”",
    },
    "en": {
        "lead": "This call picks up an earlier conversation with the same salesperson at one "
        "precise moment. You already went through the start of the call; do not introduce "
        "yourself again.",
        "objections": "Objections you already raised: {}.",
        "revealed": "What you already told the salesperson: {}.",
        "last": "The last lines before this moment:",
        "you": "You",
        "seller": "Salesperson",
        "opening": "You resume with this line, and the conversation goes on from it: “{}”",
    },
}


def _invalid(message: str, code: str) -> AppError:
    return AppError(message, code=code, status_code=422)


def _clip(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _QUOTE_CHARS else flat[: _QUOTE_CHARS - 1].rstrip() + "…"


def check_moment(row: dict[str, Any], user_id: uuid.UUID, from_turn: int) -> None:
    """The original must be the caller's own finished session, and the turn one of its persona
    turns: another's session is a 404 (only the owner retries their call), the rest 422s."""
    if row["user_id"] != user_id:
        raise NotFound("session not found")
    if row["status"] != "ended":
        raise _invalid("only a finished session can be retried", "session_not_finished")
    transcript = row["transcript"] or []
    if not 0 <= from_turn < len(transcript):
        raise _invalid(
            f"from_turn must be a turn of the session (0 to {len(transcript) - 1})",
            "turn_out_of_range",
        )
    if transcript[from_turn].get("speaker") != "persona":
        raise _invalid("from_turn must be one of the persona's turns", "not_a_persona_turn")


def _mentioned(needles: list[str], said: str) -> list[str]:
    """The needles (objections, facts) whose words the persona already said."""
    return [n for n in needles if n.strip() and fold(n) in said]


def situation(persona: Persona, transcript: list[dict[str, Any]], from_turn: int) -> str:
    """The situation up to `from_turn`, in the persona's language, for its prompt."""
    words = _WORDS["en" if persona.locale.lower().startswith("en") else "pt"]
    before = transcript[:from_turn]
    said = fold(" ".join(str(t.get("text") or "") for t in before if t.get("speaker") == "persona"))
    lines = [words["lead"]]
    raised = _mentioned([o.text for o in persona.objections], said)
    opening = str(transcript[from_turn].get("text") or "")
    if raised:
        lines.append(words["objections"].format("; ".join(f"“{_clip(o)}”" for o in raised)))
    revealed = _mentioned([f.fact for f in persona.hidden_facts], said)
    if revealed:
        lines.append(words["revealed"].format("; ".join(f"“{_clip(f)}”" for f in revealed)))
    if before:
        lines.append(words["last"])
        for turn in before[-_LAST_EXCHANGES:]:
            who = words["you"] if turn.get("speaker") == "persona" else words["seller"]
            lines.append(f"- {who}: “{_clip(str(turn.get('text') or ''))}”")
    lines.append(words["opening"].format(_clip(opening)))
    return "\n".join(lines)


def replay_persona(
    persona: Persona, original: uuid.UUID, transcript: list[dict[str, Any]], from_turn: int
) -> Persona:
    """The original's persona set to open at `from_turn`, knowing the situation so far."""
    opening = " ".join(str(transcript[from_turn].get("text") or "").split())
    context = RetryContext(
        of=original,
        from_turn=from_turn,
        situation=situation(persona, transcript, from_turn),
        # a retry of a retry stands where the first one began, plus what was said since
        salesperson_before=[
            *(persona.retry.salesperson_before if persona.retry else []),
            *(
                str(t.get("text") or "")
                for t in transcript[:from_turn]
                if t.get("speaker") == "salesperson"
            ),
        ],
    )
    return persona.model_copy(update={"first_message": opening, "retry": context})
