"""Every generation is a job: recorded by the request, run by the request itself (a fast provider)
or by the hook (a model), followed at its `status_url`.

The job is authorised when the manager asks for it (role, tenant and material are checked, and
one unfinished job per company is a unique index); the worker acts for that manager with their
tenant claims, so RLS keeps every read and write inside the company exactly as in a request.
Success stores the personas and marks the job done in one transaction, fenced by the claim's
attempt: a worker that lost its claim to another finds the job changed, and its personas roll
back. Failure stores nothing and records a reason a manager can read.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from dojo.auth import Principal, Role
from dojo.db import Connection, membership, service_transaction, tenant_transaction
from dojo.errors import AppError, Conflict
from dojo.observability import logger
from dojo.settings import get_settings
from personas import generate, sampling, service
from personas.models import GenerateIn, GenerationJobOut, GenerationOut, PersonaOut
from personas.store import personas as store

UNEXPECTED = "the persona generation failed unexpectedly; nothing was saved. Try again."
NO_REQUESTER = (
    "the manager who asked for this generation is no longer a manager of the company;"
    " nothing was saved"
)
IN_PROGRESS = "a persona generation is already in progress; wait for it to finish"
STATUS_URL = "/api/v1/personas/generations/{}"

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


def start(principal: Principal, body: GenerateIn, *, replace: bool) -> GenerationJobOut:
    """Record a generation job and answer it; an `inline` provider runs it first.

    The answer is the same whatever the provider: the job, done or failed already when the
    provider is fast, pending when the hook will run it.
    """
    inline = generate.GENERATOR.get().inline  # no provider: 503 before anything is recorded
    job = _enqueue(principal, body, replace=replace, claimed=inline)
    if inline:
        execute(job)
    with tenant_transaction(principal.claims) as conn:
        out = view(conn, job["id"])
    assert out is not None  # the manager who recorded the job reads it
    return out


def _enqueue(
    principal: Principal, body: GenerateIn, *, replace: bool, claimed: bool
) -> dict[str, Any]:
    """Check there is material and record the job (its trigger calls the hook unless claimed).

    One unfinished job per company: a second request while one runs is a 409 naming the running
    job, so a double click cannot start two generations.
    """
    company_id = service.company_of(principal)
    with tenant_transaction(principal.claims) as conn:
        if not sampling.has_material(conn, company_id):
            raise Conflict(service.NO_MATERIAL, code="no_documents")
        # the caller is verified as a manager of this company: the job row is the service's
        store.as_service(conn)
        job = store.insert_job(
            conn,
            company_id=company_id,
            user_id=principal.user_id,
            kind="regenerate" if replace else "generate",
            request=body.model_dump(mode="json"),
            claimed=claimed,
        )
        if job is None:
            running = store.open_job(conn, company_id)
            details = {}
            if running is not None:
                details = {"generation_id": str(running), "status_url": STATUS_URL.format(running)}
            raise Conflict(IN_PROGRESS, code="generation_in_progress", details=details)
    return job


def view(conn: Connection, generation_id: uuid.UUID) -> GenerationJobOut | None:
    """A job as its manager follows it (None when the caller may not see it)."""
    job = store.get_job(conn, generation_id)
    if job is None:
        return None
    result = None
    if job["status"] == "done" and job["result"] is not None:
        personas = [
            PersonaOut.model_validate(r) for r in store.generation_personas(conn, generation_id)
        ]
        result = GenerationOut.model_validate({**job["result"], "personas": personas})
    return GenerationJobOut.model_validate(
        {
            **job,
            "generation_id": job["id"],
            "status_url": STATUS_URL.format(job["id"]),
            "result": result,
        }
    )


def _requester(job: dict[str, Any]) -> Principal:
    """The manager who asked, as they are now: the job runs with their present rights (RLS reads
    their membership), so one removed or demoted since the request saves nothing."""
    user_id = job["requested_by"]
    present = membership(user_id) if user_id is not None else None
    if present is None or present[0] != job["company_id"] or Role[present[1]] < Role.manager:
        raise AppError(NO_REQUESTER, code="requester_gone")
    company_id, role = present
    return Principal(
        user_id=user_id,
        company_id=company_id,
        role=role,
        claims={
            "sub": str(user_id),
            "role": "authenticated",
            "company_id": str(company_id),
            "user_role": role,
        },
    )


def process(generation_id: uuid.UUID, company_id: uuid.UUID) -> Outcome:
    """Run the job if it can be claimed (a duplicate delivery finds nothing: `skipped`)."""
    settings = get_settings()
    with service_transaction() as conn:
        job = store.claim_job(
            conn,
            generation_id,
            company_id,
            settings.personas_stale_seconds,
            settings.personas_max_attempts,
        )
    if job is None:
        return Outcome(generation_id, "skipped")
    return execute(job)


def execute(job: dict[str, Any]) -> Outcome:
    """Run a job this worker holds the claim of (its `attempts` is the fencing token)."""
    generation_id: uuid.UUID = job["id"]
    attempt = int(job["attempts"])

    def done(conn: Connection, out: GenerationOut) -> None:
        store.as_service(conn)
        summary = out.model_dump(mode="json", exclude={"personas"})
        if not store.finish_job(
            conn, generation_id, attempt, status="done", count=out.count, result=summary
        ):
            raise ClaimLost

    try:
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
        finished = store.finish_job(
            conn,
            generation_id,
            attempt,
            status="failed",
            error=(error.message, error.code, error.details),
        )
    logger.warning(
        "persona job failed",
        extra={"job": str(generation_id), "code": error.code, "recorded": finished},
    )
    return Outcome(generation_id, "failed" if finished else "skipped", error=error.message)
