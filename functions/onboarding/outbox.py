"""The email pass of the schedule: claim, send with no connection held, record the outcome.

1. One short service transaction leases up to `email_batch` due emails (`private.claim_emails`:
   a fresh lease token each, attempts counted; rows whose sender vanished mid-send become
   `unknown` there and are never sent again).
2. Each email goes to the provider with no database connection checked out.
3. A second short transaction per email records what happened, fenced by the lease token: sent,
   back to pending for a transient refusal (with backoff, while attempts remain), or failed.

So a row is sent at most once, and a pass running twice at the same time (`skip locked`) never
sends the same row twice either.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from dojo.db import service_transaction
from dojo.observability import logger
from dojo.providers.email import EmailRefused, send
from dojo.settings import get_settings
from onboarding import mail
from onboarding.store import outbox as store


@dataclass
class Delivery:
    """What one pass did: emails claimed and their outcomes."""

    claimed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: str) -> None:
        """Count one email's outcome."""
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


def deliver(budget_seconds: float = 120.0) -> Delivery:
    """Send the due emails once each; returns what happened."""
    settings = get_settings()
    web_url = settings.web_url or settings.public_url
    started = time.monotonic()
    with service_transaction() as conn:
        rows = store.claim(conn, settings.email_batch, settings.email_lease_seconds)
    result = Delivery(claimed=len(rows))
    for row in rows:
        message_id: str | None = None
        error: str | None = None
        retry = False
        if time.monotonic() - started > budget_seconds:
            # out of time: give the lease back as a transient refusal, never sent yet
            error, retry = "the pass ran out of time before sending", True
        else:
            try:
                message_id = send(mail.compose(row, web_url))
            except EmailRefused as exc:
                error, retry = str(exc), exc.transient
        with service_transaction() as conn:
            outcome = store.finish(
                conn,
                row["id"],
                row["lease_token"],
                message_id=message_id,
                error=error,
                retry=retry,
                max_attempts=settings.email_max_attempts,
            )
        result.count(outcome)
        if error:
            # the reason only: never the address, the body or a credential
            logger.warning("email not sent", extra={"outbox_id": str(row["id"]), "error": error})
    return result
