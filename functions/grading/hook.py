"""`POST /internal/grading/hook`: the session-ended trigger's and regrade requests' call (pg_net,
shared secret).

The secret is compared in constant time; without it the answer is 401 and nothing runs. The
body names the session and its company, and grading is scoped to both. Delivering the same event
twice (or concurrently) grades once: see `grade.grade_session` and, for "session.regrade",
`regrade.run`.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from dojo.errors import NotFound
from dojo.hooks import require_hook_secret
from dojo.http import CredentialsFirst
from grading import regrade
from grading.grade import grade_session
from grading.models import GradingEvent, GradingOutcome

router = APIRouter(tags=["internal"], route_class=CredentialsFirst)


@router.post(
    "/internal/grading/hook",
    response_model=GradingOutcome,
    include_in_schema=False,
    dependencies=[Depends(require_hook_secret)],
)
def grading_hook(event: GradingEvent) -> GradingOutcome:
    """Grade the session that just ended, or run its pending regrade (both idempotent)."""
    if event.type == "session.regrade":
        return regrade.run(event.session_id, event.company_id)
    outcome = grade_session(event.session_id, event.company_id)
    if outcome.status == "not_found":
        raise NotFound("no such session")
    return GradingOutcome(
        session_id=outcome.session_id, status=outcome.status, overall=outcome.overall
    )
