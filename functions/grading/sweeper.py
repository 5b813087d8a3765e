"""The grading sweeper: grades ended sessions that have no feedback yet (bounded attempts).

pg_net delivers the trigger's call at most once; a lost delivery, a crash or a model outage
leaves a session ended without feedback. The sweeper (a schedule in production, `dojo sweep`
locally) picks those up, oldest first, and stops retrying a session after
`grading_max_attempts` runs — a manager can still regrade it by hand. A run that died holding
the session's lease (a Lambda timeout, a crash) is taken over once the lease is older than
`grading_stale_seconds`; each session is claimed, graded and written by `grade_session`, so no
connection is held while the grader works. It also dispatches
again the regrade requests whose hook was lost (see `grading.regrade`).
"""

from __future__ import annotations

import uuid
from typing import Any

from dojo.db import service_transaction
from dojo.errors import AppError
from dojo.observability import logger
from dojo.settings import get_settings
from grading import regrade
from grading.grade import grade_session
from grading.store import feedback as store

BATCH = 25


def pending(limit: int = BATCH) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Ended sessions without feedback that may still be retried: (session, company)."""
    settings = get_settings()
    with service_transaction() as conn:
        return store.ungraded(
            conn, settings.grading_max_attempts, settings.grading_stale_seconds, limit
        )


def sweep(limit: int = BATCH) -> dict[str, Any]:
    """Grade what is pending and re-dispatch lost regrade requests; one failure does not stop
    the others. Returns counts by outcome."""
    counts: dict[str, int] = {}
    for session_id, company_id in pending(limit):
        status: str
        try:
            status = grade_session(session_id, company_id).status
        except AppError as exc:
            status = "failed"
            logger.warning(
                "sweep: grading failed", extra={"session": str(session_id), "error": exc.message}
            )
        except Exception:
            status = "failed"
            logger.exception("sweep: grading crashed", extra={"session": str(session_id)})
        counts[status] = counts.get(status, 0) + 1
    for outcome, n in regrade.sweep(limit).items():
        counts[outcome] = counts.get(outcome, 0) + n
    return {"swept": sum(counts.values()), **counts}
