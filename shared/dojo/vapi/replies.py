"""What we answer to a `tool-calls` message (§5.3): one single-line result or error per call."""

from __future__ import annotations

from pydantic import Field

from dojo.vapi.wire import Outgoing


class ToolCallResult(Outgoing):
    """One answer: `result` or `error`, always a single-line string."""

    tool_call_id: str
    name: str
    # never both, never null: Vapi reads whichever key is present
    result: str | None = Field(default=None, exclude_if=lambda v: v is None)
    error: str | None = Field(default=None, exclude_if=lambda v: v is None)


class ToolCallsReply(Outgoing):
    """The HTTP 200 body answering a `tool-calls` message."""

    results: list[ToolCallResult]


def single_line(text: str, limit: int) -> str:
    """Collapse whitespace (line breaks break Vapi's parsing, §5.3) and cap the length."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
