"""Ask the coach about a graded call: one short read, the coach's answer with no connection open,
the usage recorded, the citations checked.

Same visibility as the scorecard (the owner, managers and admins of the company; anyone else gets
404 without learning whether the session exists). The question is embedded before the read (an
outside call), the call and its material are read in one tenant transaction that is closed
before the coach answers, and what the answer used is recorded in a second short transaction.
"""

from __future__ import annotations

import uuid
from typing import Any

from dojo import usage
from dojo.auth import Principal
from dojo.db import tenant_transaction
from dojo.errors import Conflict, NotFound
from dojo.retrieval import Hit
from grading import coach, material, rubric, transcript
from grading.messages import caller_locale, text
from grading.models import AskOut, GraderInfo
from grading.store import coach as store
from grading.views import effective_scores

ASK_CHUNKS = 4


def _context(row: dict[str, Any], hits: list[Hit]) -> coach.CallContext:
    return coach.CallContext(
        turns=transcript.parse(row["transcript"]),
        rubric=rubric.load(row["rubric_version"]),
        locale=row["locale"],
        persona_name=row["persona_name"],
        scores=effective_scores(row),
        improvements=list(row["improvements"] or []),
        material=hits,
    )


def _read(principal: Principal, session_id: uuid.UUID, question: str) -> coach.CallContext:
    (vector,) = material.vectors([question])
    with tenant_transaction(principal.claims) as conn:
        row = store.call_row(conn, session_id)
        locale = caller_locale(conn)
        if row is None:
            raise NotFound(text("session_not_found", locale))
        if row["status"] != "graded":
            raise Conflict(text("coach_not_graded", locale))
        hits = store.knowledge(conn, row["company_id"], question, ASK_CHUNKS, vector)
    return _context(row, hits)


def ask(principal: Principal, session_id: uuid.UUID, question: str) -> AskOut:
    """The coach's answer to a question about a graded session the caller may see."""
    question = " ".join(question.split())
    call = _read(principal, session_id, question)
    coach_impl = coach.COACH.get()
    answer = coach_impl.ask(question, call)
    # spent whether or not the answer reaches the caller: recorded at once
    assert principal.company_id is not None  # CurrentUser is a present member
    with tenant_transaction(principal.claims) as conn:
        for used in answer.usage:
            usage.record(conn, principal.company_id, used, ref_id=session_id)
    label = coach_impl.label
    return AskOut(
        answer=answer.text,
        citations=coach.citations(answer.refs, call),
        coach=GraderInfo(
            name=coach_impl.name,
            offline=coach_impl.offline,
            label=label.get(call.locale) or label.get("en-US") or coach_impl.name,
        ),
    )
