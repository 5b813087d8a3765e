"""The personas sweeper (a schedule in production, `dojo sweep` locally).

pg_net delivers a job's hook at most once and a worker can die mid-generation, so the hook alone
cannot be trusted to finish every job. The sweeper fails the jobs that ran out of attempts (with
a reason the manager reads), dispatches the hook again for jobs left pending (a lost delivery)
or running past the stale timeout (a dead worker), and runs a job itself when the hook is not
configured, within a time budget (one generation can take a minute).
"""

from __future__ import annotations

import time
from typing import Any

from dojo.db import service_transaction
from dojo.observability import logger
from dojo.settings import get_settings
from personas import jobs
from personas.store import personas as store


def sweep(*, limit: int = 20, budget_seconds: float = 30.0) -> dict[str, Any]:
    """Finish what the hooks did not; returns counts per outcome."""
    settings = get_settings()
    started = time.monotonic()
    with service_transaction() as conn:
        rows = store.sweep_jobs(
            conn,
            settings.personas_pending_seconds,
            settings.personas_stale_seconds,
            settings.personas_max_attempts,
            limit,
        )
    counts: dict[str, int] = {"failed": 0, "redispatched": 0, "done": 0, "skipped": 0}
    for row in rows:
        counts[row["outcome"]] += 1
        if row["outcome"] != "redispatched" or row["dispatched"]:
            continue
        if time.monotonic() - started > budget_seconds:
            continue  # the next run takes it; a Lambda must not time out mid-generation
        outcome = jobs.process(row["id"], row["company_id"])
        counts[outcome.status] += 1
    summary = {"sweeper": "personas", "found": len(rows), **counts}
    logger.info("personas sweep", extra=summary)
    return summary
