"""Voice sessions: the transient Vapi assistant for a persona, and the web call around it."""

from __future__ import annotations

import uuid

from dojo.settings import Settings
from dojo.vapi.assistant import (
    ArtifactPlan,
    Assistant,
    CreateWebCall,
    EndCallTool,
    Model,
    SystemMessage,
    Transcriber,
    TranscriptPlan,
    Voice,
    knowledge_base_tool,
    server_for,
    webhooks_url,
)
from sessions import prompt
from sessions.persona import Persona


def default_voice(settings: Settings) -> str:
    """The first configured persona voice (for personas saved without one)."""
    first = settings.persona_voices.split(",")[0]
    return first.split(":")[0].strip()


def assistant_for(
    persona: Persona,
    *,
    seller: str,
    session_id: uuid.UUID,
    company_id: uuid.UUID,
    settings: Settings,
) -> Assistant:
    """The assistant that plays `persona` on a call (validated; secrets stay server side)."""
    url = webhooks_url(settings)
    server = server_for(settings, url)
    tool_server = server_for(settings, url, timeout_seconds=settings.vapi_tool_timeout_seconds)
    portuguese = not persona.locale.lower().startswith("en")
    return Assistant(
        name=persona.name[:40],
        first_message=persona.first_message or ("Alô?" if portuguese else "Hello?"),
        model=Model(
            model=settings.vapi_model,
            messages=[SystemMessage(content=prompt.build(persona, mode="voice", seller=seller))],
            tools=[knowledge_base_tool(tool_server, persona.locale), EndCallTool()],
            temperature=settings.llm_temperature,
            max_tokens=settings.session_reply_max_tokens,
        ),
        voice=Voice.model_validate(
            {
                "voice_id": persona.voice_id or default_voice(settings),
                "model": settings.vapi_voice_model,
            }
        ),
        transcriber=Transcriber.model_validate(
            {
                "model": settings.vapi_transcriber_model,
                "language": "pt-BR" if portuguese else "en-US",
            }
        ),
        max_duration_seconds=settings.vapi_max_duration_seconds,
        artifact_plan=ArtifactPlan(
            recording_enabled=True,
            transcript_plan=TranscriptPlan(
                assistant_name="Cliente" if portuguese else "Customer",
                user_name="Vendedor" if portuguese else "Salesperson",
            ),
        ),
        server=server,
        end_call_message=None,
        metadata={"session_id": str(session_id), "company_id": str(company_id)},
    )


def web_call_request(assistant: Assistant) -> CreateWebCall:
    """The `POST /call/web` body for this assistant."""
    return CreateWebCall(assistant=assistant)
