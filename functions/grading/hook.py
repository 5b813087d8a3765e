"""`POST /internal/grading/hook`: the session-ended trigger's call (pg_net, shared secret).

The secret is compared in constant time; without it the answer is 401 and nothing runs. The
body names the session and its company, and grading is scoped to both. Delivering the same event
twice (or concurrently) grades once: see `grade.grade_session`.
"""

from __future__ import annotations

import hmac
import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header
from pydantic import BaseModel

from dojo.errors import NotFound, Unauthorized
from dojo.settings import get_settings
from grading.grade import grade_session

router = APIRouter(tags=["internal"])


class SessionEnded(BaseModel):
    """The trigger's body."""

    type: Literal["session.ended"]
    session_id: uuid.UUID
    company_id: uuid.UUID


def check_secret(given: str | None) -> None:
    """Raise Unauthorized unless `given` equals the configured hook secret (constant time)."""
    expected = get_settings().hook_secret.get_secret_value()
    if not expected or not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Unauthorized("invalid hook secret")


def _authorized(x_dojo_hook_secret: Annotated[str | None, Header()] = None) -> None:
    # a dependency runs before the body is validated: no secret, no detail about the body
    check_secret(x_dojo_hook_secret)


@router.post("/internal/grading/hook", include_in_schema=False, dependencies=[Depends(_authorized)])
def grading_hook(event: SessionEnded) -> dict[str, Any]:
    """Grade the session that just ended (idempotent)."""
    outcome = grade_session(event.session_id, event.company_id)
    if outcome.status == "not_found":
        raise NotFound("no such session")
    return {"session_id": outcome.session_id, "status": outcome.status, "overall": outcome.overall}
