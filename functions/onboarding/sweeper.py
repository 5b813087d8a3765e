"""The onboarding sweeper (a schedule in production, `dojo sweep` locally).

pg_net delivers at most once and workers can die, so the hook alone cannot be trusted to finish
every document. The sweeper picks up documents whose hook never arrived (`pending` for a while),
whose worker died (`processing` past the stale timeout) and those that failed for a passing reason
(`retryable`, with exponential backoff and a cap on attempts), and processes them itself. It also
fails announced uploads that never arrived once their signed URL expired.

The same schedule runs the notifications pass first (`notifications`: due-date reminders, the
weekly digests due, then the queued emails), bounded in time, so ingestion keeps most of the run.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from dojo.db import service_transaction
from dojo.observability import logger
from dojo.settings import get_settings
from onboarding import digest, ingest, outbox
from onboarding.messages import every_locale
from onboarding.store import pipeline as store
from onboarding.store import reminders as reminder_store

# "Due tomorrow": an assignment due within this many hours is reminded (once per due date).
REMIND_WITHIN_HOURS = 24


def notifications(now: dt.datetime | None = None, budget_seconds: float = 60.0) -> dict[str, Any]:
    """The notifications pass: due-date reminders and the digests due, then the queued emails.

    Overdue notices come from the sessions sweeper deciding who is overdue (a state change is a
    notification, made by the database); this pass only sends their emails.
    """
    with service_transaction() as conn:
        reminders = reminder_store.remind_due_soon(conn, REMIND_WITHIN_HOURS)
    digests = digest.run(now)
    delivery = outbox.deliver(budget_seconds)
    summary = {
        "sweeper": "notifications",
        "reminders": reminders,
        "digests": digests,
        "emails_claimed": delivery.claimed,
        **{f"emails_{k}": v for k, v in sorted(delivery.outcomes.items())},
    }
    busy = reminders or digests or delivery.claimed
    # a pass that found nothing to do (most of them) stays out of the info logs
    (logger.info if busy else logger.debug)("notifications pass", extra=summary)
    return summary


def sweep(*, limit: int = 50, budget_seconds: float = 240.0) -> dict[str, Any]:
    """Run the notifications pass, then finish what the hooks did not; counts per outcome."""
    settings = get_settings()
    started = time.monotonic()
    try:
        notes = notifications(budget_seconds=min(60.0, budget_seconds / 4))
    except Exception:  # a mail outage must not stop ingestion's sweep
        logger.exception("the notifications pass failed; the next run tries again")
        notes = {"failed": True}
    with service_transaction() as conn:
        expired = store.expire_abandoned_uploads(
            conn, settings.upload_url_seconds + 300, every_locale("upload_abandoned")
        )
        # a deleted document's upload link can be used until it expires; no longer than that
        store.forget_deleted_documents(conn, settings.upload_url_seconds + 300)
        rows = store.documents_to_sweep(
            conn,
            settings.onboarding_pending_seconds,
            settings.onboarding_stale_seconds,
            settings.onboarding_max_attempts,
            limit,
        )
    counts: dict[str, int] = {"ready": 0, "failed": 0, "retry": 0, "skipped": 0}
    for row in rows:
        if time.monotonic() - started > budget_seconds:
            break  # the next run continues; a Lambda must not time out mid-document
        result = ingest.process(row["id"], row["company_id"])
        counts[result.outcome] += 1
    summary = {
        "sweeper": "onboarding",
        "found": len(rows),
        "expired_uploads": expired,
        **counts,
        "notifications": notes,
    }
    logger.info("onboarding sweep", extra=summary)
    return summary
