"""What we send to start a call: the transient assistant (CreateAssistantDTO subset, §4).

Every model refuses unknown fields (see `wire.Outgoing`), so the assistant Vapi receives is the one
written here, camelCase on the wire.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from dojo.errors import ServiceUnavailable
from dojo.settings import Settings, get_settings
from dojo.vapi import TOOL_NAME
from dojo.vapi.wire import Outgoing

WEBHOOK_PATH = "/api/v1/webhooks/vapi"


def webhooks_url(settings: Settings | None = None) -> str:
    """Where Vapi sends server messages and tool calls (the webhooks function)."""
    settings = settings or get_settings()
    return settings.webhooks_url or f"{settings.public_url.rstrip('/')}{WEBHOOK_PATH}"


class Server(Outgoing):
    """Where Vapi posts (§3.2): a credential (HMAC/bearer, secret kept by Vapi) or headers."""

    url: str
    timeout_seconds: int = Field(default=20, ge=1, le=300)
    credential_id: str | None = None
    headers: dict[str, str] | None = None


class SystemMessage(Outgoing):
    """The model's system prompt."""

    role: Literal["system"] = "system"
    content: str


class FunctionDefinition(Outgoing):
    """An OpenAI function definition (§5.1)."""

    name: str = Field(pattern=r"^[a-zA-Z0-9_-]{1,64}$")
    description: str
    strict: bool = False
    parameters: dict[str, Any]


class ToolMessage(Outgoing):
    """What Vapi says while a tool runs: explicit Portuguese avoids English fillers (§5.1)."""

    type: Literal["request-start", "request-response-delayed", "request-failed"]
    content: str
    timing_milliseconds: int | None = Field(default=None, ge=100, le=120_000)


class FunctionTool(Outgoing):
    """A function tool whose server is the webhooks function."""

    type: Literal["function"] = "function"
    function: FunctionDefinition
    server: Server
    messages: list[ToolMessage] = Field(default_factory=list)


class EndCallTool(Outgoing):
    """Lets the persona hang up when its end conditions are met."""

    type: Literal["endCall"] = "endCall"


class Model(Outgoing):
    """The language model of the call."""

    provider: Literal["openai"] = "openai"
    model: str = "gpt-4o"
    messages: list[SystemMessage]
    tools: list[FunctionTool | EndCallTool] = Field(default_factory=list)
    temperature: float = Field(default=0.7, ge=0, le=2)
    max_tokens: int = Field(default=250, ge=50, le=10_000)


class Voice(Outgoing):
    """ElevenLabs voice; the model is always explicit (the default one is English-only, §4.1)."""

    provider: Literal["11labs"] = "11labs"
    voice_id: str = Field(min_length=1)
    model: Literal["eleven_multilingual_v2", "eleven_flash_v2_5", "eleven_turbo_v2_5", "eleven_v3"]


class Transcriber(Outgoing):
    """Deepgram speech-to-text."""

    provider: Literal["deepgram"] = "deepgram"
    model: Literal["nova-2", "nova-3"] = "nova-2"
    language: str = "pt-BR"


class TranscriptPlan(Outgoing):
    """Speaker names in Vapi's own transcript text."""

    enabled: bool = True
    assistant_name: str = "Cliente"
    user_name: str = "Vendedor"


class ArtifactPlan(Outgoing):
    """Recording and transcript artifacts."""

    recording_enabled: bool = True
    transcript_plan: TranscriptPlan | None = None


class AnalysisToggle(Outgoing):
    """One of Vapi's analysis plans, switched on or off."""

    enabled: bool


class AnalysisPlan(Outgoing):
    """Vapi's built-in analysis is off: it grades the AI customer and delays the report (§4.4)."""

    summary_plan: AnalysisToggle = AnalysisToggle(enabled=False)
    success_evaluation_plan: AnalysisToggle = AnalysisToggle(enabled=False)


class MonitorPlan(Outgoing):
    """Live call control: gives the call a `monitor.controlUrl` so we can end it."""

    listen_enabled: bool = False
    control_enabled: bool = True


ServerMessageType = Literal["end-of-call-report", "status-update", "tool-calls"]
# The server messages we consume (§1.1): nothing else is sent, so nothing else costs us requests.
_CONSUMED: list[ServerMessageType] = ["end-of-call-report", "status-update", "tool-calls"]


class Assistant(Outgoing):
    """The transient assistant of one training call."""

    name: str = Field(max_length=40)
    first_message: str
    first_message_mode: Literal["assistant-speaks-first", "assistant-waits-for-user"] = (
        "assistant-speaks-first"
    )
    model: Model
    voice: Voice
    transcriber: Transcriber
    max_duration_seconds: int = Field(default=600, ge=10, le=43_200)
    artifact_plan: ArtifactPlan = ArtifactPlan()
    analysis_plan: AnalysisPlan = AnalysisPlan()
    monitor_plan: MonitorPlan = MonitorPlan()
    server_messages: list[ServerMessageType] = Field(default_factory=lambda: list(_CONSUMED))
    server: Server
    end_call_message: str | None = Field(default=None, max_length=1000)
    metadata: dict[str, str] = Field(default_factory=dict)


class CreateWebCall(Outgoing):
    """`POST /call/web` with an inline assistant (§6.1)."""

    assistant: Assistant
    room_delete_on_user_leave_enabled: bool = True


def server_for(settings: Settings, url: str, timeout_seconds: int = 20) -> Server:
    """The `server` object pointing at `url` with our configured authentication.

    HMAC needs a Vapi credential (`credentialId`, the secret stays in Vapi). Bearer may use the
    credential too, or a static header carrying the shared secret.
    """
    if settings.vapi_credential_id:
        return Server(
            url=url, timeout_seconds=timeout_seconds, credential_id=settings.vapi_credential_id
        )
    secret = settings.vapi_webhook_secret.get_secret_value()
    if settings.vapi_auth_mode == "bearer" and secret:
        header = settings.vapi_bearer_header
        value = f"Bearer {secret}" if header.lower() == "authorization" else secret
        return Server(url=url, timeout_seconds=timeout_seconds, headers={header: value})
    raise ServiceUnavailable(
        "voice calls are not configured: set DOJO_VAPI_CREDENTIAL_ID (hmac) or"
        " DOJO_VAPI_WEBHOOK_SECRET with DOJO_VAPI_AUTH_MODE=bearer"
    )


def knowledge_base_tool(server: Server, locale: str) -> FunctionTool:
    """The `search_knowledge_base` tool as the persona sees it."""
    portuguese = locale.startswith("pt")
    description = (
        "Busca fatos sobre o produto, os preços e as condições da empresa do vendedor, no"
        " material oficial dela. Use antes de afirmar qualquer fato sobre o produto."
        if portuguese
        else "Looks up facts about the seller's product, prices and terms in their official"
        " material. Use it before stating any fact about the product."
    )
    return FunctionTool(
        function=FunctionDefinition(
            name=TOOL_NAME,
            description=description,
            parameters={
                "type": "object",
                "properties": {
                    "query": {
                        "type": "string",
                        "description": "a pergunta, em poucas palavras"
                        if portuguese
                        else "the question, in a few words",
                    }
                },
                "required": ["query"],
            },
        ),
        server=server,
        messages=[
            ToolMessage(
                type="request-start", content="Hum, deixa eu ver..." if portuguese else "Hmm..."
            ),
            ToolMessage(
                type="request-failed",
                content="Não lembro direito agora." if portuguese else "I don't recall right now.",
            ),
        ],
    )
