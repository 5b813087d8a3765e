"""Text mode: the salesperson's turn, the persona's answer, both stored with times and words.

The session row stays locked while the persona answers, so two messages sent at once are taken
in order instead of interleaving their turns.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from dojo.auth import Principal
from dojo.db import Connection
from dojo.errors import AppError, Conflict, PayloadTooLarge
from dojo.settings import get_settings
from sessions import roleplay, store
from sessions.offline import Reply
from sessions.start import seller_name, spoken_turn

# The persona's goodbye when a limit is reached, in its language.
_TIME_UP = {
    "pt": "Preciso desligar agora, meu tempo acabou. Obrigado pela ligação.",
    "en": "I have to go now, I'm out of time. Thanks for the call.",
}
_TURNS_UP = {
    "pt": "Vamos ter que parar por aqui, já falamos bastante. Obrigado, até mais.",
    "en": "We'll have to stop here, we've talked a lot. Thanks, bye.",
}


class MessageIn(BaseModel):
    """One salesperson message."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)


def post(
    conn: Connection, principal: Principal, session_id: uuid.UUID, body: MessageIn
) -> dict[str, Any]:
    """Store the salesperson's turn and the persona's answer; the persona may end the call."""
    settings = get_settings()
    text = " ".join(body.text.split())
    if not text:
        raise AppError("the message is empty", code="validation_error", status_code=422)
    if len(text) > settings.session_max_message_chars:
        raise PayloadTooLarge(
            f"a message may have at most {settings.session_max_message_chars} characters"
        )
    visible = store.owned(conn, principal, session_id)
    if visible["mode"] != "text":
        raise Conflict("a voice session is spoken in the call, not typed")
    seller = seller_name(conn)
    store.as_service(conn)
    row = store.lock(conn, visible)
    if row["status"] != "active":
        raise Conflict("this session has ended; start a new one to keep practising")
    transcript: list[dict[str, Any]] = row["transcript"]
    said = sum(1 for t in transcript if t.get("speaker") == "salesperson")
    last_end = max((float(t.get("end") or 0) for t in transcript), default=0.0)
    turn = spoken_turn("salesperson", text, max(float(row["elapsed"]), last_end))
    persona = store.persona_of(row)
    language = "en" if persona.locale.lower().startswith("en") else "pt"
    reply: Reply
    if float(row["elapsed"]) > settings.session_max_seconds:
        reply = Reply(_TIME_UP[language], True, "exceeded-max-duration")
    elif said + 1 >= settings.session_max_turns:
        reply = Reply(_TURNS_UP[language], True, "exceeded-max-turns")
    else:
        talk = roleplay.Conversation(
            persona=persona,
            seller=seller,
            company_id=row["company_id"],
            session_id=row["id"],
            transcript=transcript,
        )
        reply = roleplay.answer(conn, talk, text)
    answer = spoken_turn("persona", reply.text, turn.end)
    updated = store.append(
        conn, row, [turn, answer], end_reason=reply.end_reason if reply.end else None
    )
    index = len(transcript)
    return {
        "session_id": updated["id"],
        "status": updated["status"],
        "ended": updated["status"] == "ended",
        "ended_reason": updated["ended_reason"] if updated["status"] == "ended" else None,
        "turns": [
            {"index": index, **turn.model_dump()},
            {"index": index + 1, **answer.model_dump()},
        ],
        "remaining_turns": max(0, settings.session_max_turns - said - 1),
    }
