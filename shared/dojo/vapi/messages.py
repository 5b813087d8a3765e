"""What Vapi sends us: server messages (§1, §2, §5.2), only the fields we read.

Numbers are finite and bounded so that what we store fits its columns; `parsing` turns a request
body into one of these.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from dojo.vapi import strict_json
from dojo.vapi.wire import Incoming

# Bounds that keep what we store within its columns (cost numeric(12,6), duration numeric(10,2))
# and keep arithmetic on turn times finite. Real values are far inside them.
Usd = Annotated[float, Field(ge=0, le=100_000)]
Seconds = Annotated[float, Field(ge=-1e9, le=1e9)]
EpochMs = Annotated[float, Field(ge=0, le=1e14)]
MAX_CALL_SECONDS = 10_000_000  # far beyond Vapi's 12-hour maximum call (§4.1)


class CallRef(Incoming):
    """The call a message is about; its id is the only thing we trust to find the session."""

    id: str = Field(min_length=1, max_length=200)


class ToolCallFunction(Incoming):
    """The function part of a tool call."""

    name: str | None = None
    arguments: str | dict[str, Any] | None = None


class ToolCall(Incoming):
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
                raw = strict_json.loads(raw)
            except strict_json.UnreadableJSON:
                return {}
        return raw if isinstance(raw, dict) else {}


class ToolWithToolCall(Incoming):
    """An entry of `toolWithToolCallList`: the tool and its call."""

    tool_call: ToolCall


class ToolCallsMessage(Incoming):
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


class StatusUpdateMessage(Incoming):
    """`status-update`: the call's status changed."""

    type: Literal["status-update"]
    call: CallRef
    status: str
    ended_reason: str | None = None


class ArtifactMessage(Incoming):
    """One item of `artifact.messages` (§2.3)."""

    role: str
    message: str | None = None
    time: EpochMs | None = None
    end_time: EpochMs | None = None
    seconds_from_start: Seconds | None = None
    duration: float | None = None


class MonoRecording(Incoming):
    """Mono recording URLs."""

    combined_url: str | None = None


class Recording(Incoming):
    """Recording URLs (newer shape)."""

    mono: MonoRecording | None = None


class Artifact(Incoming):
    """The call's artifacts."""

    messages: list[ArtifactMessage] = Field(default_factory=list)
    recording_url: str | None = None
    stereo_recording_url: str | None = None
    recording: Recording | None = None
    # short-lived, downloadable without our key (added 2026-07-20, §2.4)
    presigned_mono_url: str | None = None


class CallDetails(CallRef):
    """The call object of an end-of-call report (only what we read)."""

    cost: Usd | None = None
    ended_reason: str | None = None


class EndOfCallReport(Incoming):
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


class OtherMessage(Incoming):
    """Any other message type: acknowledged and ignored."""

    type: str


ServerMessage = ToolCallsMessage | StatusUpdateMessage | EndOfCallReport | OtherMessage
MODELS: dict[str, type[ToolCallsMessage | StatusUpdateMessage | EndOfCallReport]] = {
    "tool-calls": ToolCallsMessage,
    "status-update": StatusUpdateMessage,
    "end-of-call-report": EndOfCallReport,
}
