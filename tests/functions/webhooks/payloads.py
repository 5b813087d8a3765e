"""Vapi server messages in the documented shapes (shared/reference/vapi.md §1, §2, §5.2)."""

from __future__ import annotations

import json
import time
from typing import Any

from dojo.vapi.auth import sign
from tests.functions.sessions.data import WEBHOOK_SECRET

URL = "/api/v1/webhooks/vapi"


def tool_calls(call_id: str, *calls: tuple[str, Any], metadata: dict[str, str] | None = None):
    """`tool-calls` with `toolCallList` (arguments as given: JSON string or object)."""
    items = [
        {
            "id": cid,
            "type": "function",
            "function": {"name": "search_knowledge_base", "arguments": args},
        }
        for cid, args in calls
    ]
    return {
        "message": {
            "type": "tool-calls",
            "timestamp": 1754436160000,
            "toolCallList": items,
            "toolWithToolCallList": [
                {"type": "function", "function": {"name": "search_knowledge_base"}, "toolCall": i}
                for i in items
            ],
            "call": {"id": call_id, "type": "webCall"},
            "assistant": {"metadata": metadata or {}},
        }
    }


def status_update(call_id: str, status: str, reason: str | None = None):
    message: dict[str, Any] = {"type": "status-update", "status": status, "call": {"id": call_id}}
    if reason:
        message["endedReason"] = reason
    return {"message": message}


def end_of_call_report(call_id: str, metadata: dict[str, str] | None = None):
    """A report with the conversation in `artifact.messages` (times in epoch ms)."""
    t0 = 1754436140000
    return {
        "message": {
            "type": "end-of-call-report",
            "timestamp": t0 + 62000,
            "endedReason": "customer-ended-call",
            "startedAt": "2026-08-01T12:00:00.000Z",
            "endedAt": "2026-08-01T12:01:02.500Z",
            "cost": 0.42,
            "analysis": {},
            "artifact": {
                "transcript": "AI: Alô?\nUser: Bom dia...",
                "messages": [
                    {
                        "role": "system",
                        "message": "Você é Carla...",
                        "time": t0,
                        "secondsFromStart": 0,
                    },
                    {
                        "role": "bot",
                        "message": "Alô, aqui é a Carla.",
                        "time": t0 + 1000,
                        "endTime": t0 + 2500,
                        "secondsFromStart": 1.0,
                        "duration": 1500,
                    },
                    {
                        "role": "user",
                        "message": "Bom dia, Carla! Como funciona o contrato atual de vocês?",
                        "time": t0 + 3000,
                        "endTime": t0 + 6200,
                        "secondsFromStart": 3.0,
                        "duration": 3200,
                    },
                    {
                        "role": "tool_calls",
                        "toolCalls": [
                            {
                                "id": "t1",
                                "type": "function",
                                "function": {"name": "search_knowledge_base", "arguments": "{}"},
                            }
                        ],
                        "time": t0 + 6500,
                        "secondsFromStart": 6.5,
                    },
                    {
                        "role": "tool_call_result",
                        "toolCallId": "t1",
                        "name": "search_knowledge_base",
                        "result": "x",
                        "time": t0 + 6600,
                        "secondsFromStart": 6.6,
                    },
                    {
                        "role": "bot",
                        "message": "Vence em março.",
                        "time": t0 + 7000,
                        "endTime": t0 + 8000,
                        "secondsFromStart": 7.0,
                    },
                ],
                "recordingUrl": "https://storage.vapi.ai/rec-1.wav",
            },
            "call": {"id": call_id, "type": "webCall", "status": "ended", "cost": 0.42},
            "assistant": {"metadata": metadata or {}},
        }
    }


def signed(
    payload: Any, *, secret: str = WEBHOOK_SECRET, at: float | None = None
) -> tuple[bytes, dict[str, str]]:
    """The body and Vapi's default HMAC headers (x-timestamp, x-signature)."""
    body = json.dumps(payload).encode() if not isinstance(payload, bytes) else payload
    stamp = str(int((time.time() if at is None else at) * 1000))
    return body, {
        "content-type": "application/json",
        "x-timestamp": stamp,
        "x-signature": sign(body, secret, stamp),
    }
