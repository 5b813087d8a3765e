"""Running a generation job: claim it, generate, store the set and finish the job atomically.

The job was authorised when the manager asked for it (the API checked role, tenant and material);
the worker acts for that manager with their tenant claims, so RLS keeps every read and write
inside the company exactly as in a request. Success stores the personas and marks the job done
in one transaction, fenced by the claim's attempt: a worker that lost its claim to another
finds the job changed, and its personas roll back. Failure stores nothing and records a reason a
manager can read.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from dojo.auth import Principal
from dojo.db import Connection, jsonb, service_transaction
from dojo.errors import AppError
from dojo.observability import logger
from dojo.settings import get_settings
from personas import service
from personas.schema import GenerateIn, GenerationOut

UNEXPECTED = "the persona generation failed unexpectedly; nothing was saved. Try again."
NO_REQUESTER = "the manager who asked for this generation no longer exists; nothing was saved"

Status = Literal["done", "failed", "skipped"]


@dataclass(frozen=True)
class Outcome:
    """What running (or trying to run) a job did."""

    generation_id: uuid.UUID
    status: Status
    persona_count: int = 0
    error: str | None = None


class ClaimLost(Exception):
    """Another worker took the job over while this one was generating."""


def _finish(
    conn: Connection,
    generation_id: uuid.UUID,
    attempt: int,
    *,
    status: Literal["done", "failed"],
    count: int | None = None,
    result: dict[str, Any] | None = None,
    error: AppError | None = None,
) -> bool:
    row = conn.execute(
        "select private.finish_persona_generation(%s, %s, %s, %s, %s, %s, %s, %s) as ok",
        (
            generation_id,
            attempt,
            status,
            count,
            jsonb(result) if result is not None else None,
            error.message if error else None,
            error.code if error else None,
            jsonb(error.details) if error and error.details else None,
        ),
    ).fetchone()
    return bool(row and row["ok"])


def _requester(job: dict[str, Any]) -> Principal:
    user_id = job["requested_by"]
    company_id = job["company_id"]
    return Principal(
        user_id=user_id,
        company_id=company_id,
        role="manager",
        claims={
            "sub": str(user_id),
            "role": "authenticated",
            "company_id": str(company_id),
            "user_role": "manager",
        },
    )


def process(generation_id: uuid.UUID, company_id: uuid.UUID) -> Outcome:
    """Run the job if it can be claimed (a duplicate delivery finds nothing: `skipped`)."""
    settings = get_settings()
    with service_transaction() as conn:
        job = conn.execute(
            "select * from private.claim_persona_generation(%s, %s, %s, %s)",
            (
                generation_id,
                company_id,
                settings.personas_stale_seconds,
                settings.personas_max_attempts,
            ),
        ).fetchone()
    if job is None:
        return Outcome(generation_id, "skipped")
    attempt = int(job["attempts"])

    def done(conn: Connection, out: GenerationOut) -> None:
        conn.execute("select set_config('role', 'service_role', true)")
        summary = out.model_dump(mode="json", exclude={"personas"})
        if not _finish(
            conn, generation_id, attempt, status="done", count=out.count, result=summary
        ):
            raise ClaimLost

    try:
        if job["requested_by"] is None:
            raise AppError(NO_REQUESTER, code="requester_gone")
        out = service.run(
            _requester(job),
            GenerateIn.model_validate(job["request"]),
            replace=job["kind"] == "regenerate",
            generation_id=generation_id,
            on_stored=done,
        )
    except ClaimLost:
        logger.warning("persona job taken over; set rolled back", extra={"job": str(generation_id)})
        return Outcome(generation_id, "skipped")
    except AppError as exc:
        return _failed(generation_id, attempt, exc)
    except Exception:
        logger.exception("persona job crashed", extra={"job": str(generation_id)})
        return _failed(generation_id, attempt, AppError(UNEXPECTED, code="generation_failed"))
    logger.info("persona job done", extra={"job": str(generation_id), "count": out.count})
    return Outcome(generation_id, "done", persona_count=out.count)


def _failed(generation_id: uuid.UUID, attempt: int, error: AppError) -> Outcome:
    with service_transaction() as conn:
        finished = _finish(conn, generation_id, attempt, status="failed", error=error)
    logger.warning(
        "persona job failed",
        extra={"job": str(generation_id), "code": error.code, "recorded": finished},
    )
    return Outcome(generation_id, "failed" if finished else "skipped", error=error.message)
