"""The sweeper's work on call recordings: finish the copies that failed, apply the retention.

A copy that failed when the report was applied (Vapi's URL down, storage down, the worker died)
stays owed; each sweep claims those whose last attempt is older than a few minutes, up to
`recording_copy_max_attempts` in all, and copies them with no connection held. Recordings older
than the company's `recording_retention_days` are deleted from storage first, then forgotten by
their session (a failed forget is retried next sweep; deleting twice is harmless).
"""

from __future__ import annotations

from dojo import recordings
from dojo.db import service_transaction
from dojo.observability import logger
from dojo.providers.storage import RECORDINGS
from dojo.settings import get_settings
from sessions.store import recordings as store

BATCH = 20


def retry_copies() -> dict[str, int]:
    """Copy the owed recordings due again; returns copied / failed / still owed."""
    settings = get_settings()
    with service_transaction() as conn:
        rows = store.claim_copies(
            conn,
            stale_seconds=settings.recording_copy_stale_seconds,
            max_attempts=settings.recording_copy_max_attempts,
            limit=BATCH,
        )
    copied = 0
    for row in rows:
        if row["recording_url"] is None:
            continue
        job = recordings.CopyJob(
            row["id"], row["company_id"], row["vapi_call_id"], row["recording_url"], row["attempt"]
        )
        copied += recordings.copy(job)
    with service_transaction() as conn:
        backlog = store.copy_backlog(conn, settings.recording_copy_max_attempts)
    return {
        "recordings_copied": copied,
        "recordings_copy_failed": len(rows) - copied,
        "recordings_owed": backlog.get("owed", 0),
        "recordings_given_up": backlog.get("given_up", 0),
    }


def apply_retention() -> int:
    """Delete recordings past their company's retention; returns how many were deleted."""
    with service_transaction() as conn:
        rows = store.expired(
            conn, default_days=get_settings().recording_retention_days, limit=BATCH * 5
        )
    deleted = 0
    for row in rows:
        try:
            RECORDINGS.get().remove(row["recording_path"])
        except Exception:
            logger.exception("recording delete failed", extra={"session": str(row["id"])})
            continue
        with service_transaction() as conn:
            store.forget(conn, row["id"], row["recording_path"])
        deleted += 1
    return deleted
