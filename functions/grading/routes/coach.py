"""The `/api/v1/feedback` coach route: ask the coach about a graded call."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from dojo.auth import CurrentUser
from dojo.http import CredentialsFirst
from grading import ask
from grading.models import AskIn, AskOut

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback"], route_class=CredentialsFirst)


@router.post("/sessions/{session_id}/ask", response_model=AskOut)
def ask_coach(principal: CurrentUser, session_id: uuid.UUID, body: AskIn) -> AskOut:
    """Ask a question about this call ("how should I have answered the price objection?"): an
    answer grounded in the transcript, the rubric and the knowledge base, with citations.

    Same access as the scorecard (404 otherwise); 409 while the session has no graded scorecard.
    No database connection is held while the coach answers.
    """
    return ask.ask(principal, session_id, body.question)
