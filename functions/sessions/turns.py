"""Text mode: the salesperson's turn, the persona's answer, both stored with times and words.

No connection is held while the persona answers (a model call takes seconds): the conversation is
read in one short transaction, the persona answers with none open, and both turns are written in
a second short transaction that locks the row and checks that no other turn landed in between
(the transcript's length is the fence). If one did, the persona answers again knowing it, so two
messages sent at once are still taken one after the other instead of interleaving.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from dojo import usage
from dojo.auth import Principal
from dojo.db import Connection, tenant_transaction
from dojo.errors import AppError, Conflict, PayloadTooLarge
from dojo.retrieval import query_vector
from dojo.settings import Settings, get_settings
from dojo.vapi.transcript import TranscriptTurn
from sessions.models import MessageIn, TurnOut, TurnResult
from sessions.persona import from_snapshot
from sessions.roleplay import ROLEPLAY, Conversation, Lookup, Reply
from sessions.start import spoken_turn
from sessions.store import sessions as store

# Answers computed for a transcript that changed meanwhile are redone at most this often.
ATTEMPTS = 3
# The persona's goodbye when a limit is reached, in its language.
_TIME_UP = {
    "pt": "Preciso desligar agora, meu tempo acabou. Obrigado pela ligação.",
    "en": "I have to go now, I'm out of time. Thanks for the call.",
}
_TURNS_UP = {
    "pt": "Vamos ter que parar por aqui, já falamos bastante. Obrigado, até mais.",
    "en": "We'll have to stop here, we've talked a lot. Thanks, bye.",
}
_ENDED = "this session has ended; start a new one to keep practising"


@dataclass(frozen=True)
class _Ask:
    """A salesperson message against the conversation as it was read."""

    talk: Conversation
    turn: TranscriptTurn  # the salesperson's, timed after the last turn
    said: int  # salesperson turns before this one
    elapsed: float  # seconds since the session started


def post(principal: Principal, session_id: uuid.UUID, body: MessageIn) -> TurnResult:
    """Store the salesperson's turn and the persona's answer; the persona may end the call."""
    settings = get_settings()
    text = _checked(body.text, settings)
    deadline = time.monotonic() + settings.session_turn_budget_seconds
    for _ in range(ATTEMPTS):
        with tenant_transaction(principal.claims) as conn:
            ask = _read(conn, principal, session_id, text, deadline)
        reply = _limit_reached(ask, settings) or _answer(principal, ask, text)
        with tenant_transaction(principal.claims) as conn:
            result = _write(conn, principal, ask, reply)
        if result is not None:
            return result
    raise Conflict("other messages kept arriving first; send yours again")


def _checked(raw: str, settings: Settings) -> str:
    text = " ".join(raw.split())
    if not text:
        raise AppError("the message is empty", code="validation_error", status_code=422)
    if len(text) > settings.session_max_message_chars:
        raise PayloadTooLarge(
            f"a message may have at most {settings.session_max_message_chars} characters"
        )
    return text


def _read(
    conn: Connection, principal: Principal, session_id: uuid.UUID, text: str, deadline: float
) -> _Ask:
    """The caller's active text session, as the persona needs it to answer `text`."""
    row = store.owned(conn, principal, session_id)
    if row["mode"] != "text":
        raise Conflict("a voice session is spoken in the call, not typed")
    if row["status"] != "active":
        raise Conflict(_ENDED)
    transcript = row["transcript"]
    last_end = max((float(t.get("end") or 0) for t in transcript), default=0.0)
    elapsed = float(row["elapsed"])
    talk = Conversation(
        persona=from_snapshot(store.persona_snapshot(conn, row["id"])),
        seller=store.company_name(conn),
        company_id=row["company_id"],
        session_id=row["id"],
        transcript=transcript,
        deadline=deadline,
    )
    said = sum(1 for t in transcript if t.get("speaker") == "salesperson")
    turn = spoken_turn("salesperson", text, max(elapsed, last_end))
    return _Ask(talk=talk, turn=turn, said=said, elapsed=elapsed)


def _limit_reached(ask: _Ask, settings: Settings) -> Reply | None:
    """The persona's goodbye when the session ran out of time or turns."""
    language = "en" if ask.talk.persona.locale.lower().startswith("en") else "pt"
    if ask.elapsed > settings.session_max_seconds:
        return Reply(_TIME_UP[language], True, "exceeded-max-duration")
    if ask.said + 1 >= settings.session_max_turns:
        return Reply(_TURNS_UP[language], True, "exceeded-max-turns")
    return None


def _answer(principal: Principal, ask: _Ask, text: str) -> Reply:
    """The configured provider's answer (no connection open); what it used is recorded at once,
    since it was spent whether or not the turn is stored."""
    talk = ask.talk
    reply = ROLEPLAY.get().next_turn(talk, text, _lookup(principal, talk.company_id))
    if reply.usage:
        with tenant_transaction(principal.claims) as conn:
            for spent in reply.usage:
                usage.record(conn, talk.company_id, spent, ref_id=talk.session_id)
    return reply


def _lookup(principal: Principal, company_id: uuid.UUID) -> Lookup:
    """The knowledge-base search the persona may use: embed first, then one short transaction."""
    settings = get_settings()

    def lookup(query: str) -> list[str]:
        query = query.strip()
        if not query:
            return []
        vector = query_vector(query, settings.active_embedding_model)
        with tenant_transaction(principal.claims) as conn:
            return store.knowledge(conn, company_id, query, settings.vapi_tool_top_k, vector)

    return lookup


def _write(conn: Connection, principal: Principal, ask: _Ask, reply: Reply) -> TurnResult | None:
    """Append both turns if the transcript is still the one answered; None if it moved on."""
    visible = store.owned(conn, principal, ask.talk.session_id)
    store.as_service(conn)
    row = store.lock(conn, visible)
    if row["status"] != "active":
        raise Conflict(_ENDED)
    index = len(row["transcript"])
    if index != len(ask.talk.transcript):
        return None
    answer = spoken_turn("persona", reply.text, ask.turn.end)
    updated = store.append(
        conn, row, [ask.turn, answer], end_reason=reply.end_reason if reply.end else None
    )
    settings = get_settings()
    return TurnResult(
        session_id=updated["id"],
        status=updated["status"],
        ended=updated["status"] == "ended",
        ended_reason=updated["ended_reason"] if updated["status"] == "ended" else None,
        turns=[
            TurnOut(index=index, **ask.turn.model_dump()),
            TurnOut(index=index + 1, **answer.model_dump()),
        ],
        remaining_turns=max(0, settings.session_max_turns - ask.said - 1),
    )
