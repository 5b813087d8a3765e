"""Reading what Vapi sends: strict, bounded JSON into the message models.

A request body becomes a message only if Postgres can store what it carries (`strict_json`), with
numbers finite and within the columns' bounds (`messages`). Anything else is a BadRequest, before
anything is written.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from dojo.errors import BadRequest, UpstreamError
from dojo.vapi import strict_json
from dojo.vapi.messages import MODELS, EndOfCallReport, OtherMessage, ServerMessage


def decode_json(body: bytes) -> Any:
    """Strict JSON (no NaN/Infinity), depth-bounded, storable text; BadRequest otherwise."""
    try:
        return strict_json.loads(body)
    except strict_json.UnreadableJSON as exc:
        raise BadRequest(str(exc)) from exc


def _model_error(kind: str, exc: ValidationError) -> str:
    fields = sorted({".".join(str(p) for p in e["loc"]) or e["msg"] for e in exc.errors()})
    return f"malformed {kind} message: {', '.join(fields)}"


def parse_server_message(body: bytes) -> ServerMessage:
    """The message inside a server request body `{"message": {...}}`; BadRequest if malformed."""
    envelope = decode_json(body)
    message = envelope.get("message") if isinstance(envelope, dict) else None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise BadRequest('the body must be {"message": {"type": ...}}')
    model = MODELS.get(message["type"], OtherMessage)
    try:
        return model.model_validate(message)
    except ValidationError as exc:
        raise BadRequest(_model_error(message["type"], exc)) from exc


def report_from_call(call: dict[str, Any]) -> EndOfCallReport:
    """A `GET /call/{id}` answer read as an end-of-call report (same fields, §6.1)."""
    if strict_json.unstorable(call):
        raise UpstreamError("the voice service answered with an unreadable call")
    try:
        return EndOfCallReport.model_validate({**call, "type": "end-of-call-report", "call": call})
    except ValidationError as exc:
        raise UpstreamError("the voice service answered with an unreadable call") from exc
