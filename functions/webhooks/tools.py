"""`tool-calls`: the persona asks the knowledge base during a voice call.

The company comes from the session bound to the Vapi call id at start, never from the message's
metadata or arguments. Every call gets its own result or error (HTTP 200 always: Vapi ignores
other statuses, reference §1.5); one failing call does not spoil the others (savepoints). No
connection is held while a query is embedded: the session is read in one short transaction, the
queries are embedded with none open, and the searches run in a second one.
"""

from __future__ import annotations

import time
import uuid

from dojo.db import Connection, service_transaction
from dojo.observability import logger
from dojo.retrieval import Query, embed_query, search
from dojo.settings import get_settings
from dojo.vapi import TOOL_NAME
from dojo.vapi.messages import ToolCall, ToolCallsMessage
from dojo.vapi.replies import ToolCallResult, ToolCallsReply, single_line
from webhooks.store import calls as store

UNKNOWN_CALL = "this call is not bound to a training session"


def _error(call: ToolCall, message: str) -> ToolCallResult:
    return ToolCallResult(tool_call_id=call.id, name=call.tool_name or TOOL_NAME, error=message)


def _query(call: ToolCall) -> str:
    args = call.args()
    value = args.get("query") or args.get("question") or args.get("q") or ""
    return " ".join(str(value).split())[:500]


def _prepare(session: store.CallSession | None, call: ToolCall) -> ToolCallResult | Query:
    """The embedded query a call asks for (no connection held: embedding is an outside call),
    or the error that answers it."""
    if session is None:
        return _error(call, UNKNOWN_CALL)
    if session.status in ("ended", "failed"):
        return _error(call, "the session has ended")
    if call.tool_name != TOOL_NAME:
        return _error(call, f"unknown tool {call.tool_name or '(none)'}")
    text = _query(call)
    if not text:
        return _error(call, "the query is empty")
    try:
        return embed_query(text)
    except Exception:
        logger.exception("tool call failed", extra={"tool_call_id": call.id})
        return _error(call, "the knowledge base search failed")


def _search(
    conn: Connection, company_id: uuid.UUID, call: ToolCall, query: Query
) -> ToolCallResult:
    settings = get_settings()
    hits = search(conn, company_id, query.text, k=settings.vapi_tool_top_k, vector=query.vector)
    if not hits:
        text = "Nada encontrado no material sobre isso."
    else:
        text = " | ".join(f"Trecho {i}: {hit.content}" for i, hit in enumerate(hits, 1))
    return ToolCallResult(
        tool_call_id=call.id,
        name=TOOL_NAME,
        result=single_line(text, settings.vapi_tool_result_chars),
    )


def _answer_each(
    session: store.CallSession | None,
    calls: list[ToolCall],
    results: list[ToolCallResult],
) -> None:
    """Append one result per call, in order; a failing search spoils only its own call.

    Every query is embedded first, then all searches run in one short transaction.
    """
    prepared = [_prepare(session, call) for call in calls]
    if session is None or all(isinstance(p, ToolCallResult) for p in prepared):
        results.extend(p for p in prepared if isinstance(p, ToolCallResult))
        return
    with service_transaction() as conn:
        for call, ready in zip(calls, prepared, strict=True):
            if isinstance(ready, ToolCallResult):
                results.append(ready)
                continue
            try:
                with conn.transaction():  # a savepoint: a failure spoils only this call
                    results.append(_search(conn, session.company_id, call, ready))
            except Exception:
                logger.exception("tool call failed", extra={"tool_call_id": call.id})
                results.append(_error(call, "the knowledge base search failed"))


def answer(message: ToolCallsMessage) -> ToolCallsReply:
    """One result per tool call, in order, each a single-line string or an error."""
    started = time.perf_counter()
    calls = message.calls()
    results: list[ToolCallResult] = []
    try:
        with service_transaction() as conn:
            session = store.session_for_call(conn, message.call.id)
        _answer_each(session, calls, results)
    except Exception:
        logger.exception("tool calls failed", extra={"call": message.call.id})
        results += [_error(c, "the knowledge base is unavailable") for c in calls[len(results) :]]
    logger.info(
        "tool calls answered",
        extra={
            "call": message.call.id,
            "calls": len(calls),
            "errors": sum(1 for r in results if r.error),
            "ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
    return ToolCallsReply(results=results)
