"""Every Vapi shape in one place: the transient assistant, server messages, replies, auth, REST.

Facts come from `shared/reference/vapi.md` (section numbers below). The assistant is built from
`extra="forbid"` models, so a misspelled or removed field fails here and never reaches Vapi (which
answers 400 "property X should not exist" to unknown properties, §7). Server messages are parsed
tolerantly: Vapi adds fields and message types all the time (§1.2, §2.2), so only what we read is
declared, and unknown types are accepted and ignored by the caller.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic.alias_generators import to_camel

from dojo.db import Connection, jsonb
from dojo.errors import BadRequest, ServiceUnavailable, Unauthorized, UpstreamError
from dojo.observability import logger
from dojo.settings import Settings, get_settings

if TYPE_CHECKING:  # httpx and tenacity load on the first Vapi call, not at cold start
    import httpx

TOOL_NAME = "search_knowledge_base"
WEBHOOK_PATH = "/api/v1/webhooks/vapi"


def webhooks_url(settings: Settings | None = None) -> str:
    """Where Vapi sends server messages and tool calls (the webhooks function)."""
    settings = settings or get_settings()
    return settings.webhooks_url or f"{settings.public_url.rstrip('/')}{WEBHOOK_PATH}"


# --- the transient assistant (CreateAssistantDTO subset, §4) ---------------------------------


class _Outgoing(BaseModel):
    """A payload we send: camelCase on the wire, unknown fields refused."""

    model_config = ConfigDict(
        extra="forbid", alias_generator=to_camel, validate_by_name=True, validate_by_alias=True
    )

    def wire(self) -> dict[str, Any]:
        """The JSON body Vapi receives."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class Server(_Outgoing):
    """Where Vapi posts (§3.2): a credential (HMAC/bearer, secret kept by Vapi) or headers."""

    url: str
    timeout_seconds: int = Field(default=20, ge=1, le=300)
    credential_id: str | None = None
    headers: dict[str, str] | None = None


class SystemMessage(_Outgoing):
    """The model's system prompt."""

    role: Literal["system"] = "system"
    content: str


class FunctionDefinition(_Outgoing):
    """An OpenAI function definition (§5.1)."""

    name: str = Field(pattern=r"^[a-zA-Z0-9_-]{1,64}$")
    description: str
    strict: bool = False
    parameters: dict[str, Any]


class ToolMessage(_Outgoing):
    """What Vapi says while a tool runs: explicit Portuguese avoids English fillers (§5.1)."""

    type: Literal["request-start", "request-response-delayed", "request-failed"]
    content: str
    timing_milliseconds: int | None = Field(default=None, ge=100, le=120_000)


class FunctionTool(_Outgoing):
    """A function tool whose server is the webhooks function."""

    type: Literal["function"] = "function"
    function: FunctionDefinition
    server: Server
    messages: list[ToolMessage] = Field(default_factory=list)


class EndCallTool(_Outgoing):
    """Lets the persona hang up when its end conditions are met."""

    type: Literal["endCall"] = "endCall"


class Model(_Outgoing):
    """The language model of the call."""

    provider: Literal["openai"] = "openai"
    model: str = "gpt-4o"
    messages: list[SystemMessage]
    tools: list[FunctionTool | EndCallTool] = Field(default_factory=list)
    temperature: float = Field(default=0.7, ge=0, le=2)
    max_tokens: int = Field(default=250, ge=50, le=10_000)


class Voice(_Outgoing):
    """ElevenLabs voice; the model is always explicit (the default one is English-only, §4.1)."""

    provider: Literal["11labs"] = "11labs"
    voice_id: str = Field(min_length=1)
    model: Literal["eleven_multilingual_v2", "eleven_flash_v2_5", "eleven_turbo_v2_5", "eleven_v3"]


class Transcriber(_Outgoing):
    """Deepgram speech-to-text."""

    provider: Literal["deepgram"] = "deepgram"
    model: Literal["nova-2", "nova-3"] = "nova-2"
    language: str = "pt-BR"


class TranscriptPlan(_Outgoing):
    """Speaker names in Vapi's own transcript text."""

    enabled: bool = True
    assistant_name: str = "Cliente"
    user_name: str = "Vendedor"


class ArtifactPlan(_Outgoing):
    """Recording and transcript artifacts."""

    recording_enabled: bool = True
    transcript_plan: TranscriptPlan | None = None


class AnalysisToggle(_Outgoing):
    """One of Vapi's analysis plans, switched on or off."""

    enabled: bool


class AnalysisPlan(_Outgoing):
    """Vapi's built-in analysis is off: it grades the AI customer and delays the report (§4.4)."""

    summary_plan: AnalysisToggle = AnalysisToggle(enabled=False)
    success_evaluation_plan: AnalysisToggle = AnalysisToggle(enabled=False)


class MonitorPlan(_Outgoing):
    """Live call control: gives the call a `monitor.controlUrl` so we can end it."""

    listen_enabled: bool = False
    control_enabled: bool = True


ServerMessageType = Literal["end-of-call-report", "status-update", "tool-calls"]
# The server messages we consume (§1.1): nothing else is sent, so nothing else costs us requests.
_CONSUMED: list[ServerMessageType] = ["end-of-call-report", "status-update", "tool-calls"]


class Assistant(_Outgoing):
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


class CreateWebCall(_Outgoing):
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


# --- server messages (§1, §2, §5.2) -------------------------------------------------------------


class _Incoming(BaseModel):
    """A payload Vapi sends: camelCase accepted, unknown fields ignored, numbers finite."""

    model_config = ConfigDict(
        extra="ignore",
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        allow_inf_nan=False,
    )


# Bounds that keep what we store within its columns (cost numeric(12,6), duration numeric(10,2))
# and keep arithmetic on turn times finite. Real values are far inside them.
Usd = Annotated[float, Field(ge=0, le=100_000)]
Seconds = Annotated[float, Field(ge=-1e9, le=1e9)]
EpochMs = Annotated[float, Field(ge=0, le=1e14)]
MAX_CALL_SECONDS = 10_000_000  # far beyond Vapi's 12-hour maximum call (§4.1)


class CallRef(_Incoming):
    """The call a message is about; its id is the only thing we trust to find the session."""

    id: str = Field(min_length=1, max_length=200)


class ToolCallFunction(_Incoming):
    """The function part of a tool call."""

    name: str | None = None
    arguments: str | dict[str, Any] | None = None


class ToolCall(_Incoming):
    """One tool call. Docs and real payloads disagree on where name and arguments live (§5.2)."""

    id: str = Field(min_length=1)
    function: ToolCallFunction | None = None
    name: str | None = None
    arguments: str | dict[str, Any] | None = None
    parameters: dict[str, Any] | None = None

    @property
    def tool_name(self) -> str:
        """The called tool's name, wherever the payload put it."""
        return (self.function.name if self.function else None) or self.name or ""

    def args(self) -> dict[str, Any]:
        """The arguments as a dict (JSON-decoded when sent as a string); {} when unreadable."""
        raw: Any = (self.function.arguments if self.function else None) or self.arguments
        if raw is None:
            raw = self.parameters
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except ValueError:
                return {}
        return raw if isinstance(raw, dict) else {}


class ToolWithToolCall(_Incoming):
    """An entry of `toolWithToolCallList`: the tool and its call."""

    tool_call: ToolCall


class ToolCallsMessage(_Incoming):
    """`tool-calls`: the model called one or more of our tools; a reply is expected."""

    type: Literal["tool-calls"]
    call: CallRef
    tool_call_list: list[ToolCall] = Field(default_factory=list)
    tool_with_tool_call_list: list[ToolWithToolCall] = Field(default_factory=list)

    def calls(self) -> list[ToolCall]:
        """The calls to answer, in order (from either list)."""
        if self.tool_call_list:
            return self.tool_call_list
        return [t.tool_call for t in self.tool_with_tool_call_list]


class StatusUpdateMessage(_Incoming):
    """`status-update`: the call's status changed."""

    type: Literal["status-update"]
    call: CallRef
    status: str
    ended_reason: str | None = None


class ArtifactMessage(_Incoming):
    """One item of `artifact.messages` (§2.3)."""

    role: str
    message: str | None = None
    time: EpochMs | None = None
    end_time: EpochMs | None = None
    seconds_from_start: Seconds | None = None
    duration: float | None = None


class MonoRecording(_Incoming):
    """Mono recording URLs."""

    combined_url: str | None = None


class Recording(_Incoming):
    """Recording URLs (newer shape)."""

    mono: MonoRecording | None = None


class Artifact(_Incoming):
    """The call's artifacts."""

    messages: list[ArtifactMessage] = Field(default_factory=list)
    recording_url: str | None = None
    stereo_recording_url: str | None = None
    recording: Recording | None = None


class CallDetails(CallRef):
    """The call object of an end-of-call report (only what we read)."""

    cost: Usd | None = None
    ended_reason: str | None = None


class EndOfCallReport(_Incoming):
    """`end-of-call-report`: the call ended and its artifacts are final."""

    type: Literal["end-of-call-report"]
    call: CallDetails
    ended_reason: str | None = None
    artifact: Artifact = Artifact()
    started_at: datetime | None = None
    ended_at: datetime | None = None
    cost: Usd | None = None
    # legacy top-level duplicates still seen in real payloads (§2.1)
    duration_seconds: Annotated[float, Field(ge=0, le=MAX_CALL_SECONDS)] | None = None
    messages: list[ArtifactMessage] = Field(default_factory=list)
    recording_url: str | None = None

    @model_validator(mode="after")
    def _plausible_length(self) -> EndOfCallReport:
        if self.duration is not None and self.duration > MAX_CALL_SECONDS:
            raise ValueError("startedAt and endedAt are implausibly far apart")
        return self

    @property
    def transcript_messages(self) -> list[ArtifactMessage]:
        """The conversation, from the artifact (preferred) or the legacy top-level list."""
        return self.artifact.messages or self.messages

    @property
    def recording(self) -> str | None:
        """The best recording URL the report carries."""
        mono = self.artifact.recording.mono if self.artifact.recording else None
        return (
            self.artifact.recording_url
            or (mono.combined_url if mono else None)
            or self.artifact.stereo_recording_url
            or self.recording_url
        )

    @property
    def duration(self) -> float | None:
        """Seconds from start to end (computed, else the legacy field)."""
        if self.started_at and self.ended_at:
            return max(0.0, (self.ended_at - self.started_at).total_seconds())
        return self.duration_seconds

    @property
    def total_cost(self) -> float | None:
        """USD the call cost."""
        return self.cost if self.cost is not None else self.call.cost

    @property
    def reason(self) -> str | None:
        """Why the call ended."""
        return self.ended_reason or self.call.ended_reason


class OtherMessage(_Incoming):
    """Any other message type: acknowledged and ignored."""

    type: str


ServerMessage = ToolCallsMessage | StatusUpdateMessage | EndOfCallReport | OtherMessage
_MODELS: dict[str, type[ToolCallsMessage | StatusUpdateMessage | EndOfCallReport]] = {
    "tool-calls": ToolCallsMessage,
    "status-update": StatusUpdateMessage,
    "end-of-call-report": EndOfCallReport,
}


MAX_DEPTH = 64  # real messages nest about ten levels deep
# What Postgres text and jsonb cannot hold: NUL, and UTF-16 halves without their pair.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def unstorable(value: Any, max_depth: int = MAX_DEPTH) -> str | None:
    """Why a decoded JSON value cannot be stored as it is (None: it can).

    Iterative, so a deep value cannot exhaust the stack: nesting beyond `max_depth`, or a NUL or
    unpaired surrogate in any string or key.
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            if _UNSTORABLE.search(node):
                return "text must not contain NUL characters or unpaired surrogates"
        elif isinstance(node, dict | list):
            if depth > max_depth:
                return f"JSON nested deeper than {max_depth} levels"
            items = [*node.keys(), *node.values()] if isinstance(node, dict) else node
            stack.extend((item, depth + 1) for item in items)
    return None


def decode_json(body: bytes) -> Any:
    """Strict JSON (no NaN/Infinity), depth-bounded, storable text; BadRequest otherwise."""
    try:
        value = json.loads(body, parse_constant=_refuse_constant)
    except RecursionError as exc:  # the C decoder's own depth limit, far below our body cap
        raise BadRequest(f"JSON nested deeper than {MAX_DEPTH} levels") from exc
    except ValueError as exc:
        raise BadRequest("the body is not JSON") from exc
    problem = unstorable(value)
    if problem:
        raise BadRequest(problem)
    return value


def _model_error(kind: str, exc: ValidationError) -> str:
    fields = sorted({".".join(str(p) for p in e["loc"]) or e["msg"] for e in exc.errors()})
    return f"malformed {kind} message: {', '.join(fields)}"


def parse_server_message(body: bytes) -> ServerMessage:
    """The message inside a server request body `{"message": {...}}`; BadRequest if malformed."""
    envelope = decode_json(body)
    message = envelope.get("message") if isinstance(envelope, dict) else None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise BadRequest('the body must be {"message": {"type": ...}}')
    model = _MODELS.get(message["type"], OtherMessage)
    try:
        return model.model_validate(message)
    except ValidationError as exc:
        raise BadRequest(_model_error(message["type"], exc)) from exc


# --- the transcript we store (voice and text share it) ----------------------------------------

_WORD = re.compile(r"[\wÀ-ÿ]+(?:[-'][\wÀ-ÿ]+)*", re.UNICODE)


def word_count(text: str) -> int:
    """Words in a text (letters and digits, accents included)."""
    return len(_WORD.findall(text))


class TranscriptTurn(BaseModel):
    """One stored turn of `training_sessions.transcript` (seconds from the session start)."""

    speaker: Literal["salesperson", "persona"]
    text: str
    start: float
    end: float
    words: int


def normalise_transcript(messages: list[ArtifactMessage]) -> list[TranscriptTurn]:
    """Vapi's messages as our turns: user = salesperson, bot = persona; system and tools dropped.

    End times come from `endTime - time` (epoch ms): `duration`'s unit disagrees between the spec
    and real payloads (§2.3).
    """
    turns: list[TranscriptTurn] = []
    for item in messages:
        speaker: Literal["salesperson", "persona"]
        if item.role == "user":
            speaker = "salesperson"
        elif item.role in ("bot", "assistant"):
            speaker = "persona"
        else:
            continue
        text = " ".join((item.message or "").split())
        if not text:
            continue
        start = max(0.0, item.seconds_from_start or 0.0)
        spoken = 0.0
        if item.time is not None and item.end_time is not None:
            spoken = max(0.0, (item.end_time - item.time) / 1000.0)
        turns.append(
            TranscriptTurn(
                speaker=speaker,
                text=text,
                start=round(start, 3),
                end=round(start + spoken, 3),
                words=word_count(text),
            )
        )
    turns.sort(key=lambda t: t.start)
    return turns


def report_from_call(call: dict[str, Any]) -> EndOfCallReport:
    """A `GET /call/{id}` answer read as an end-of-call report (same fields, §6.1)."""
    if unstorable(call):
        raise UpstreamError("the voice service answered with an unreadable call")
    try:
        return EndOfCallReport.model_validate({**call, "type": "end-of-call-report", "call": call})
    except ValidationError as exc:
        raise UpstreamError("the voice service answered with an unreadable call") from exc


def apply_call_report(conn: Connection, report: EndOfCallReport) -> dict[str, Any] | None:
    """Save a report on the session bound to its call (once; the SQL function locks the row).

    Returns `{session_id, company_id, applied}`, or None when no session has this call id.
    Runs in a service transaction: the session is found by the call id only.
    """
    turns = normalise_transcript(report.transcript_messages)
    return conn.execute(
        "select session_id, company_id, applied"
        " from private.session_apply_call_report(%s::text, %s::jsonb, %s::text, %s::text,"
        " %s::numeric, %s::numeric, %s::timestamptz, %s::timestamptz)",
        (
            report.call.id,
            jsonb([t.model_dump() for t in turns]),
            report.recording,
            report.reason,
            report.total_cost,
            None if report.duration is None else round(report.duration, 2),
            report.started_at,
            report.ended_at,
        ),
    ).fetchone()


# --- tool-call replies (§5.3) -------------------------------------------------------------------


class ToolCallResult(_Outgoing):
    """One answer: `result` or `error`, always a single-line string."""

    tool_call_id: str
    name: str
    result: str | None = None
    error: str | None = None


class ToolCallsReply(_Outgoing):
    """The HTTP 200 body answering a `tool-calls` message."""

    results: list[ToolCallResult]


def single_line(text: str, limit: int) -> str:
    """Collapse whitespace (line breaks break Vapi's parsing, §5.3) and cap the length."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


# --- authenticating Vapi's requests (§3) ------------------------------------------------------


def _header(headers: Mapping[str, str], name: str) -> str:
    return headers.get(name) or headers.get(name.lower()) or ""


# A plain decimal: epoch seconds or milliseconds, optionally with a fraction. `float()` alone would
# take "nan" (which never compares as stale), "inf", "1e12", "1_754_000_000" or a sign.
_STAMP = re.compile(r"^[0-9]{1,13}(?:\.[0-9]{1,6})?$")


def _moment(stamp: str) -> float:
    """The timestamp header as epoch seconds; Unauthorized unless a plain, finite number."""
    if not _STAMP.fullmatch(stamp):
        raise Unauthorized("invalid signature")
    moment = float(stamp)
    if moment > 1e11:  # milliseconds
        moment /= 1000.0
    if not math.isfinite(moment) or moment <= 0:
        raise Unauthorized("invalid signature")
    return moment


@dataclass(frozen=True)
class HmacClaim:
    """A fresh HMAC signature still to be checked against the body it claims to sign."""

    stamp: str
    signature: str
    secret: str = field(repr=False)

    def verify(self, body: bytes) -> None:
        """Raise Unauthorized unless the signature is the body's (constant-time comparison)."""
        expected = sign(body, self.secret, self.stamp)
        if not hmac.compare_digest(expected.encode(), self.signature.encode()):
            raise Unauthorized("invalid signature")


def authenticate_headers(
    headers: Mapping[str, str], settings: Settings | None = None, now: float | None = None
) -> HmacClaim | None:
    """Everything the headers alone prove, before any of the body is read (fails closed).

    bearer: the configured header carries the secret; nothing is left to check (returns None).
    hmac: signature and timestamp are present and the timestamp is a finite number within the
    freshness window (its unit is not documented, so seconds and milliseconds are both read,
    §3.3); returns the claim to verify against the body. Raises Unauthorized otherwise.
    """
    settings = settings or get_settings()
    secret = settings.vapi_webhook_secret.get_secret_value()
    if not secret:
        raise Unauthorized("webhook authentication is not configured")
    if settings.vapi_auth_mode == "bearer":
        presented = _header(headers, settings.vapi_bearer_header).strip()
        if settings.vapi_bearer_header.lower() == "authorization":
            scheme, _, presented = presented.partition(" ")
            if scheme.lower() != "bearer":
                raise Unauthorized("missing credentials")
        if not presented or not hmac.compare_digest(presented.strip().encode(), secret.encode()):
            raise Unauthorized("invalid credentials")
        return None
    stamp = _header(headers, settings.vapi_hmac_timestamp_header).strip()
    signature = _header(headers, settings.vapi_hmac_signature_header).strip().lower()
    if not stamp or not signature:
        raise Unauthorized("missing signature")
    current = time.time() if now is None else now
    if abs(current - _moment(stamp)) > settings.vapi_hmac_tolerance_seconds:
        raise Unauthorized("stale signature")
    return HmacClaim(stamp=stamp, signature=signature, secret=secret)


def verify_request(
    headers: Mapping[str, str],
    body: bytes,
    settings: Settings | None = None,
    now: float | None = None,
) -> None:
    """Raise Unauthorized unless the request carries our credential (headers, then body).

    hmac: `signature = hex(HMAC-SHA256(secret, "<timestamp>.<raw body>"))` (Vapi's defaults,
    §3.3). bearer: the configured header carries the secret.
    """
    claim = authenticate_headers(headers, settings, now)
    if claim is not None:
        claim.verify(body)


def sign(body: bytes, secret: str, timestamp: str) -> str:
    """The HMAC signature Vapi sends for `body` at `timestamp` (for tests and local tools)."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


# --- REST client (§6) ---------------------------------------------------------------------------


class WebCall(BaseModel):
    """What we keep of a created web call."""

    model_config = ConfigDict(extra="ignore")

    id: str
    web_call_url: str | None = Field(default=None, validation_alias=AliasChoices("webCallUrl"))
    status: str | None = None


class _Retryable(Exception):
    """A failure worth another try: 429, 5xx, timeouts, connection errors."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status


def _validation_messages(response: httpx.Response) -> list[str]:
    try:
        body = response.json()
    except ValueError:
        return []
    message = body.get("message") if isinstance(body, dict) else None
    if isinstance(message, list):
        return [str(m) for m in message][:20]
    return [str(message)] if message else []


class VapiClient:
    """Vapi's REST API with the private key: timeouts, bounded retries with backoff and jitter."""

    def __init__(self, settings: Settings | None = None, http: httpx.Client | None = None) -> None:
        self.settings = settings or get_settings()
        key = self.settings.vapi_private_key.get_secret_value()
        if not key:
            raise ServiceUnavailable("voice calls are not configured (DOJO_VAPI_PRIVATE_KEY)")
        import httpx

        self._http = http or httpx.Client(
            base_url=self.settings.vapi_base_url,
            timeout=self.settings.vapi_timeout_seconds,
            headers={"authorization": f"Bearer {key}"},
        )

    def close(self) -> None:
        """Release the connection pool."""
        self._http.close()

    def _once(self, method: str, url: str, body: dict[str, Any] | None) -> httpx.Response:
        import httpx

        try:
            response = self._http.request(method, url, json=body)
        except httpx.TimeoutException as exc:
            raise _Retryable("timeout") from exc
        except httpx.TransportError as exc:
            raise _Retryable("connection error") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise _Retryable(f"HTTP {response.status_code}", response.status_code)
        return response

    def _request(
        self, method: str, url: str, operation: str, body: dict[str, Any] | None = None
    ) -> httpx.Response:
        from tenacity import (
            RetryError,
            Retrying,
            retry_if_exception_type,
            stop_after_attempt,
            stop_after_delay,
            wait_random_exponential,
        )

        retrying = Retrying(
            retry=retry_if_exception_type(_Retryable),
            stop=stop_after_attempt(self.settings.vapi_max_retries + 1)
            | stop_after_delay(self.settings.vapi_deadline_seconds),
            wait=wait_random_exponential(multiplier=self.settings.vapi_retry_wait_seconds, max=8),
            reraise=True,
        )
        try:
            response = retrying(self._once, method, url, body)
        except (_Retryable, RetryError) as exc:
            status = exc.status if isinstance(exc, _Retryable) else None
            logger.warning("vapi request failed", extra={"operation": operation, "error": str(exc)})
            if status is not None and status >= 500:
                raise UpstreamError(f"the voice service failed to {operation} ({status})") from exc
            raise ServiceUnavailable(
                f"the voice service is unavailable ({exc}); try again shortly"
            ) from exc
        if response.status_code >= 400:
            messages = _validation_messages(response)
            logger.warning(
                "vapi rejected a request",
                extra={
                    "operation": operation,
                    "status": response.status_code,
                    "messages": messages,
                },
            )
            raise UpstreamError(
                f"the voice service refused to {operation} ({response.status_code})",
                details={"vapi_status": response.status_code, "messages": messages},
            )
        return response

    def create_web_call(self, request: CreateWebCall) -> WebCall:
        """Create a web call for an inline assistant; returns its id and join URL."""
        response = self._request("POST", "/call/web", "start the call", request.wire())
        try:
            return WebCall.model_validate(response.json())
        except (ValueError, ValidationError) as exc:
            raise UpstreamError("the voice service answered without a call id") from exc

    def get_call(self, call_id: str) -> dict[str, Any]:
        """The call as Vapi has it (status, artifact, cost, times)."""
        response = self._request("GET", f"/call/{call_id}", "look up the call")
        try:
            call = response.json()
        except ValueError as exc:
            raise UpstreamError("the voice service answered with an unreadable call") from exc
        if not isinstance(call, dict):
            raise UpstreamError("the voice service answered with an unreadable call")
        return call

    def end_call(self, call_id: str) -> bool:
        """Ask Vapi to end a live call; False when it had already ended (or has no control URL)."""
        call = self.get_call(call_id)
        if call.get("status") == "ended":
            return False
        control = (call.get("monitor") or {}).get("controlUrl")
        if not isinstance(control, str) or not control:
            return False
        self._request("POST", control, "end the call", {"type": "end-call"})
        return True
