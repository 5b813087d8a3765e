"""Starting a session: text (the persona's first message) or voice (a Vapi web call)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import ValidationError

from dojo.auth import Principal
from dojo.db import Connection, tenant_transaction
from dojo.errors import AppError, Conflict, ServiceUnavailable
from dojo.observability import logger
from dojo.settings import get_settings
from dojo.vapi.assistant import CreateWebCall
from dojo.vapi.client import VapiClient, WebCall
from dojo.vapi.transcript import TranscriptTurn, word_count
from sessions import assignments, prompt, voice
from sessions import persona as personas
from sessions.models import CallJoin, SessionSummary, Started, StartIn
from sessions.persona import Persona
from sessions.store import sessions as store

WORDS_PER_SECOND = 2.5  # ~150 words a minute: text turns get the time they would take to say


def spoken_turn(
    speaker: Literal["salesperson", "persona"], text: str, start: float
) -> TranscriptTurn:
    """A text turn timed as if spoken, starting `start` seconds into the session."""
    words = word_count(text)
    return TranscriptTurn(
        speaker=speaker,
        text=text,
        start=round(start, 2),
        end=round(start + words / WORDS_PER_SECOND, 2),
        words=words,
    )


def _snapshot(persona: Persona) -> dict[str, Any]:
    return {**persona.model_dump(mode="json"), "prompt_version": prompt.PROMPT_VERSION}


def _persona(conn: Connection, body: StartIn) -> Persona:
    """The persona to play: the chosen (or a random) one, or for an assignment's attempt the
    assignment's persona (or a random active one of its difficulty), its assignee row locked."""
    if body.assignment_id is None:
        return personas.load(conn, body.persona_id)
    target = assignments.open_attempt(conn, body.assignment_id)
    return personas.load(conn, target["persona_id"], difficulty=target["difficulty"])


def mode_of(principal: Principal, body: StartIn) -> Literal["voice", "text"]:
    """The mode to start in: an assignment's own, else what was asked (text by default)."""
    if body.assignment_id is None:
        return body.mode or "text"
    with tenant_transaction(principal.claims) as conn:
        mode: Literal["voice", "text"] = assignments.open_attempt(conn, body.assignment_id)["mode"]
    if body.mode is not None and body.mode != mode:
        raise Conflict(f"this assignment is practised in {mode} mode", code="mode_mismatch")
    return mode


def start_text(principal: Principal, body: StartIn) -> Started:
    """A text session: active now, the persona's first message is turn 0."""
    with tenant_transaction(principal.claims) as conn:
        persona = _persona(conn, body)
        first = persona.first_message.strip() or "Alô?"
        row = store.insert(
            conn,
            session_id=uuid.uuid4(),
            principal=principal,
            persona_id=persona.id,
            mode="text",
            status="active",
            rubric_version=get_settings().rubric_version,
            transcript=[spoken_turn("persona", first, 0.0)],
            snapshot=_snapshot(persona),
            assignment_id=body.assignment_id,
        )
    return Started(
        session_id=row["id"],
        session=SessionSummary.from_row(row),
        first_message=first,
        persona=persona.summary(),
    )


def start_voice(principal: Principal, body: StartIn) -> Started:
    """A voice session: the web call is created here and bound to the session before answering.

    The browser gets the call id, its join URL and the public key, nothing else: the prompt, the
    private key and the webhook credential never leave the server. If Vapi refuses, the session is
    marked failed (with the reason) and the error is returned.
    """
    settings = get_settings()
    session_id = uuid.uuid4()
    with tenant_transaction(principal.claims) as conn:
        persona = _persona(conn, body)
        seller = store.company_name(conn)
        assert principal.company_id is not None
        try:
            assistant = voice.assistant_for(
                persona,
                seller=seller,
                session_id=session_id,
                company_id=principal.company_id,
                settings=settings,
            )
        except ValidationError as exc:
            raise ServiceUnavailable("voice calls are misconfigured (voice or model)") from exc
        client = VapiClient(settings)
        store.insert(
            conn,
            session_id=session_id,
            principal=principal,
            persona_id=persona.id,
            mode="voice",
            status="created",
            rubric_version=settings.rubric_version,
            transcript=[],
            snapshot=_snapshot(persona),
            assignment_id=body.assignment_id,
        )
    call = _place_call(principal, session_id, client, voice.web_call_request(assistant))
    with tenant_transaction(principal.claims) as conn:
        store.as_service(conn)
        store.bind_call(conn, session_id, call.id)
        row = store.visible(conn, session_id)
    logger.info("voice session started", extra={"session_id": str(session_id), "call": call.id})
    return Started(
        session_id=session_id,
        session=SessionSummary.from_row(row),
        persona=persona.summary(),
        call=CallJoin(
            id=call.id,
            web_call_url=call.web_call_url,
            public_key=settings.vapi_public_key or None,
        ),
        max_duration_seconds=settings.vapi_max_duration_seconds,
    )


def _place_call(
    principal: Principal, session_id: uuid.UUID, client: VapiClient, request: CreateWebCall
) -> WebCall:
    """Create the web call (no transaction open); if Vapi refuses, the session is marked failed
    with the reason and the error is raised."""
    try:
        return client.create_web_call(request)
    except AppError as exc:
        with tenant_transaction(principal.claims) as conn:
            store.as_service(conn)
            store.fail(conn, session_id, f"voice-start-failed: {exc.code}")
        raise
    finally:
        client.close()
