"""The persona's next text turn, from whichever language-model provider the settings choose.

`ROLEPLAY` is the capability; the OpenAI implementation ships here (registered as "openai"), the
rule-based offline persona lives in the local runtime (`dojo_local.offline.roleplay`).

The model gets the same system prompt as a voice call and two tools: the knowledge-base search
(answered by the `lookup` the caller passes, scoped to the session's company) and `end_call`.
Tool rounds are bounded by count and by the turn's deadline. Nothing here touches the database:
the caller reads the conversation before and writes the answer (with its usage) after, so no
connection waits on the model.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from dojo.errors import ServiceUnavailable, UpstreamError
from dojo.providers.registry import Capability
from dojo.settings import get_settings
from dojo.usage import Usage
from dojo.vapi import TOOL_NAME
from dojo.vapi.replies import single_line
from sessions import prompt
from sessions.persona import Persona

Lookup = Callable[[str], list[str]]
"""Knowledge-base passages for a query, best first (the session's company only)."""


@dataclass(frozen=True)
class Conversation:
    """What the persona needs to answer: who it is, where, what was said, and by when."""

    persona: Persona
    seller: str
    company_id: uuid.UUID
    session_id: uuid.UUID
    transcript: list[dict[str, Any]]
    deadline: float  # time.monotonic() by which the answer must be ready


@dataclass(frozen=True)
class Reply:
    """The persona's answer to one salesperson turn, and what producing it consumed."""

    text: str
    end: bool = False
    end_reason: str | None = None
    usage: tuple[Usage, ...] = ()


class PersonaActor(Protocol):
    """Plays the persona of a text session."""

    def next_turn(self, talk: Conversation, message: str, lookup: Lookup) -> Reply:
        """The persona's answer to `message`; `lookup` searches the seller's knowledge base."""


ROLEPLAY: Capability[PersonaActor] = Capability("sessions.roleplay", kind="llm")


def _tools(locale: str) -> list[dict[str, Any]]:
    portuguese = locale.startswith("pt")
    return [
        {
            "type": "function",
            "function": {
                "name": TOOL_NAME,
                "description": "Busca fatos sobre o produto, preços e condições do vendedor."
                if portuguese
                else "Looks up facts about the seller's product, prices and terms.",
                "parameters": {
                    "type": "object",
                    "properties": {"query": {"type": "string"}},
                    "required": ["query"],
                },
            },
        },
        {
            "type": "function",
            "function": {
                "name": prompt.END_TOOL_TEXT,
                "description": "Encerra a conversa depois da sua despedida."
                if portuguese
                else "Ends the conversation after your goodbye.",
                "parameters": {"type": "object", "properties": {}},
            },
        },
    ]


def _tool_result(lookup: Lookup, arguments: str) -> str:
    try:
        args = json.loads(arguments or "{}")
    except ValueError:
        args = {}
    query = str(args.get("query") or "").strip() if isinstance(args, dict) else ""
    if not query:
        return "Nenhuma consulta informada."
    passages = lookup(query)
    if not passages:
        return "Nada encontrado no material."
    text = " | ".join(f"Trecho {i}: {p}" for i, p in enumerate(passages, 1))
    return single_line(text, get_settings().vapi_tool_result_chars)


def _opening(talk: Conversation, message: str) -> list[dict[str, Any]]:
    """The system prompt, the conversation so far and the new message, in chat form."""
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": prompt.build(talk.persona, mode="text", seller=talk.seller)}
    ]
    for turn in talk.transcript:
        role = "user" if turn.get("speaker") == "salesperson" else "assistant"
        messages.append({"role": role, "content": str(turn.get("text") or "")})
    messages.append({"role": "user", "content": message})
    return messages


def _assistant_turn(content: str, calls: list[dict[str, Any]]) -> dict[str, Any]:
    """The model's tool-calling message, echoed back so it sees its own calls."""
    return {
        "role": "assistant",
        "content": content or None,
        "tool_calls": [
            {
                "id": c["id"],
                "type": "function",
                "function": {"name": c["name"], "arguments": c["arguments"]},
            }
            for c in calls
        ],
    }


class ModelActor:
    """The persona played by the configured chat model (OpenAI or a compatible endpoint)."""

    def next_turn(self, talk: Conversation, message: str, lookup: Lookup) -> Reply:
        """The model's answer as the persona, running its knowledge-base lookups."""
        from dojo.providers import llm

        settings = get_settings()
        messages = _opening(talk, message)
        tools = _tools(talk.persona.locale)
        spent: list[Usage] = []
        ending = False
        for round_ in range(settings.session_tool_rounds + 1):
            last = round_ == settings.session_tool_rounds
            remaining = talk.deadline - time.monotonic()
            if remaining < 1:
                raise ServiceUnavailable(
                    "the persona took too long to answer; send the message again"
                )
            # no SDK retries inside a turn: a retry would outlive the request; the user resends
            reply = llm.chat(
                messages,
                operation="session.reply",
                tools=None if last else tools,
                max_tokens=settings.session_reply_max_tokens,
                timeout=remaining,
                max_retries=0,
            )
            spent.append(reply.usage)
            text = " ".join(reply.content.split())
            if not reply.tool_calls:
                if not text:
                    raise UpstreamError("the persona did not answer; try again")
                return Reply(text, ending, "persona-ended-call" if ending else None, tuple(spent))
            messages.append(_assistant_turn(reply.content, reply.tool_calls))
            for call in reply.tool_calls:
                if call["name"] == prompt.END_TOOL_TEXT:
                    ending = True
                    result = "ok"
                elif call["name"] == TOOL_NAME:
                    result = _tool_result(lookup, call["arguments"])
                else:
                    result = "unknown tool"
                messages.append({"role": "tool", "tool_call_id": call["id"], "content": result})
            if ending and text:
                return Reply(text, True, "persona-ended-call", tuple(spent))
        raise UpstreamError("the persona did not answer; try again")


ROLEPLAY.register("openai", ModelActor)
