"""The persona's next text turn: the language model with the shared prompt, or the offline rules.

Online, the model gets the same system prompt as a voice call and two tools: the knowledge base
search (run here with hybrid retrieval, scoped to the session's company) and `end_call`. Tool
rounds are bounded; every model call's usage is recorded against the company.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from dojo import usage
from dojo.db import Connection
from dojo.errors import ServiceUnavailable, UpstreamError
from dojo.retrieval import search
from dojo.settings import get_settings
from dojo.vapi import TOOL_NAME
from dojo.vapi.replies import single_line
from sessions import prompt
from sessions.offline import OfflinePersona, Reply
from sessions.persona import Persona


@dataclass(frozen=True)
class Conversation:
    """What the persona needs to answer: who it is, where, and what was said."""

    persona: Persona
    seller: str
    company_id: uuid.UUID
    session_id: uuid.UUID
    transcript: list[dict[str, Any]]


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


def lookup(conn: Connection, company_id: uuid.UUID, query: str) -> list[str]:
    """Knowledge-base passages for `query`, best first (the company's chunks only)."""
    settings = get_settings()
    return [hit.content for hit in search(conn, company_id, query, k=settings.vapi_tool_top_k)]


def _tool_result(conn: Connection, company_id: uuid.UUID, arguments: str) -> str:
    try:
        args = json.loads(arguments or "{}")
    except ValueError:
        args = {}
    query = str(args.get("query") or "").strip() if isinstance(args, dict) else ""
    if not query:
        return "Nenhuma consulta informada."
    passages = lookup(conn, company_id, query)
    if not passages:
        return "Nada encontrado no material."
    text = " | ".join(f"Trecho {i}: {p}" for i, p in enumerate(passages, 1))
    return single_line(text, get_settings().vapi_tool_result_chars)


def online(conn: Connection, talk: Conversation, message: str) -> Reply:
    """The model's answer as the persona, running its knowledge-base lookups."""
    from dojo.providers import llm

    settings = get_settings()
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": prompt.build(talk.persona, mode="text", seller=talk.seller)}
    ]
    for turn in talk.transcript:
        role = "user" if turn.get("speaker") == "salesperson" else "assistant"
        messages.append({"role": role, "content": str(turn.get("text") or "")})
    messages.append({"role": "user", "content": message})
    tools = _tools(talk.persona.locale)
    ending = False
    deadline = time.monotonic() + settings.session_turn_budget_seconds
    for round_ in range(settings.session_tool_rounds + 1):
        last = round_ == settings.session_tool_rounds
        remaining = deadline - time.monotonic()
        if remaining < 1:
            raise ServiceUnavailable("the persona took too long to answer; send the message again")
        # no SDK retries inside a turn: a retry would outlive the request; the user resends
        reply = llm.chat(
            messages,
            operation="session.reply",
            tools=None if last else tools,
            max_tokens=settings.session_reply_max_tokens,
            timeout=remaining,
            max_retries=0,
        )
        usage.record(conn, talk.company_id, reply.usage, ref_id=talk.session_id)
        if not reply.tool_calls:
            text = " ".join(reply.content.split())
            if not text:
                raise UpstreamError("the persona did not answer; try again")
            return Reply(text, ending, "persona-ended-call" if ending else None)
        messages.append(
            {
                "role": "assistant",
                "content": reply.content or None,
                "tool_calls": [
                    {
                        "id": c["id"],
                        "type": "function",
                        "function": {"name": c["name"], "arguments": c["arguments"]},
                    }
                    for c in reply.tool_calls
                ],
            }
        )
        for call in reply.tool_calls:
            if call["name"] == prompt.END_TOOL_TEXT:
                ending = True
                result = "ok"
            elif call["name"] == TOOL_NAME:
                result = _tool_result(conn, talk.company_id, call["arguments"])
            else:
                result = "unknown tool"
            messages.append({"role": "tool", "tool_call_id": call["id"], "content": result})
        if ending and reply.content.strip():
            return Reply(" ".join(reply.content.split()), True, "persona-ended-call")
    raise UpstreamError("the persona did not answer; try again")


def offline(conn: Connection, talk: Conversation, message: str) -> Reply:
    """The deterministic offline persona's answer."""
    history = [
        str(t.get("text") or "") for t in talk.transcript if t.get("speaker") == "salesperson"
    ]
    actor = OfflinePersona(talk.persona, lambda q: lookup(conn, talk.company_id, q))
    return actor.reply(history, message)


def answer(conn: Connection, talk: Conversation, message: str) -> Reply:
    """The persona's next turn with the configured language model (offline without a key)."""
    if get_settings().llm_provider == "openai":
        return online(conn, talk, message)
    return offline(conn, talk, message)
