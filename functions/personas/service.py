"""A manager's generation request from start to finish.

Three steps so no database connection waits on the model: (1) a short tenant transaction checks
there is material and samples the context, (2) the generator runs with no transaction open,
(3) a second short tenant transaction stores the whole set atomically with its usage. A failed
generation stores no personas; the tokens it spent are still recorded (they were billed).

Offline, `run` does all three within the request. With a real model the request only checks
there is material and records a job (`enqueue`, answered 202); `personas.jobs` later calls `run`
for the job, with the requester's tenant claims and a hook that marks the job done inside the
transaction that stores the personas.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from dojo import usage as usage_log
from dojo.auth import Principal
from dojo.db import Connection, jsonb, tenant_transaction
from dojo.errors import Conflict
from dojo.observability import logger
from personas import generate, sampling, store, voices
from personas.generate import Generated, GenerationFailed
from personas.schema import GenerateIn, GenerationAccepted, GenerationOut, PersonaOut

NO_MATERIAL = "upload documents first: the company has no ready documents to build personas from"
OFFLINE_NOTICE = (
    "generated offline (no language model configured): deterministic personas built from your "
    "documents' own terms; configure DOJO_LLM_PROVIDER=openai for richer ones"
)
IN_PROGRESS = "a persona generation is already in progress; wait for it to finish"
STATUS_URL = "/api/v1/personas/generations/{}"

# Called inside the storing transaction, after the personas are inserted: raising rolls them back.
OnStored = Callable[[Connection, GenerationOut], None]


def _company(principal: Principal) -> uuid.UUID:
    assert principal.company_id is not None  # the Manager dependency guarantees a company
    return principal.company_id


def _record(principal: Principal, spent: list[usage_log.Usage], ref: uuid.UUID | None) -> None:
    with tenant_transaction(principal.claims) as conn:
        for item in spent:
            usage_log.record(conn, _company(principal), item, ref)


def enqueue(principal: Principal, body: GenerateIn, *, replace: bool) -> GenerationAccepted:
    """Check there is material and record a generation job; its trigger calls the hook.

    One unfinished job per company (a unique index): a second request while one runs is a 409
    naming the running job, so a double click cannot start two generations.
    """
    company_id = _company(principal)
    with tenant_transaction(principal.claims) as conn:
        if not sampling.has_material(conn, company_id):
            raise Conflict(NO_MATERIAL, code="no_documents")
        # the caller is verified as a manager of this company: the job row is the service's
        conn.execute("select set_config('role', 'service_role', true)")
        row = conn.execute(
            "insert into public.persona_generations (company_id, requested_by, kind, request)"
            " values (%s, %s, %s, %s)"
            " on conflict (company_id) where status in ('pending', 'running') do nothing"
            " returning id, status",
            (
                company_id,
                principal.user_id,
                "regenerate" if replace else "generate",
                jsonb(body.model_dump(mode="json")),
            ),
        ).fetchone()
        if row is None:
            running = conn.execute(
                "select id from public.persona_generations"
                " where company_id = %s and status in ('pending', 'running')",
                (company_id,),
            ).fetchone()
            details = {}
            if running is not None:
                details = {
                    "generation_id": str(running["id"]),
                    "status_url": STATUS_URL.format(running["id"]),
                }
            raise Conflict(IN_PROGRESS, code="generation_in_progress", details=details)
    return GenerationAccepted(
        generation_id=row["id"], status=row["status"], status_url=STATUS_URL.format(row["id"])
    )


def run(
    principal: Principal,
    body: GenerateIn,
    *,
    replace: bool,
    generation_id: uuid.UUID | None = None,
    on_stored: OnStored | None = None,
) -> GenerationOut:
    """Generate, validate and store a persona set; with `replace`, archive the active ones.

    A job passes its own `generation_id` (the personas carry it) and `on_stored`.
    """
    company_id = _company(principal)
    with tenant_transaction(principal.claims) as conn:
        if not sampling.has_material(conn, company_id):
            raise Conflict(NO_MATERIAL, code="no_documents")
        context = sampling.sample(conn, company_id, focus=body.focus)
        locale = store.company_locale(conn, company_id)
        taken = [] if replace else store.active_names(conn)
    if not context.chunks:
        raise Conflict(NO_MATERIAL, code="no_documents")
    request = generate.Request(mix=body.mix, locale=locale, focus=body.focus, taken_names=taken)
    try:
        result = generate.generate(context, request)
    except GenerationFailed as exc:
        _record(principal, exc.usage, None)
        logger.warning("persona generation rejected", extra={"reasons": exc.details})
        raise
    return _store(principal, result, locale, replace, context, generation_id, on_stored)


def _store(
    principal: Principal,
    result: Generated,
    locale: str,
    replace: bool,
    context: sampling.Context,
    generation_id: uuid.UUID | None,
    on_stored: OnStored | None,
) -> GenerationOut:
    company_id = _company(principal)
    cited = {i for p in result.personas for o in p.objections for i in o.chunk_ids}
    voice_ids = voices.assign([p.gender for p in result.personas])
    with tenant_transaction(principal.claims) as conn:
        if store.existing_chunks(conn, cited) != cited:
            # a document was deleted while the model was writing: its citations would dangle
            raise Conflict("the documents changed during generation; try again")
        generation_id, rows, archived = store.insert_generation(
            conn,
            company_id=company_id,
            user_id=principal.user_id,
            personas=result.personas,
            voice_ids=voice_ids,
            locale="pt-BR" if result.generator == "offline" else locale,
            generator=result.generator,
            replace=replace,
            generation_id=generation_id,
        )
        for item in result.usage:
            usage_log.record(conn, company_id, item, generation_id)
        out = _out(result, rows, archived, generation_id, context)
        if on_stored is not None:
            on_stored(conn, out)
    return out


def _out(
    result: Generated,
    rows: list[dict[str, Any]],
    archived: int,
    generation_id: uuid.UUID,
    context: sampling.Context,
) -> GenerationOut:
    return GenerationOut(
        generation_id=generation_id,
        generator=result.generator,
        offline=result.generator == "offline",
        model=result.model,
        notice=OFFLINE_NOTICE if result.generator == "offline" else None,
        count=len(rows),
        difficulty=_mix(rows),
        context={
            "chunks": len(context.chunks),
            "documents": context.documents,
            "tokens": context.tokens,
        },
        dropped_objections=result.dropped_objections,
        attempts=result.attempts,
        archived=archived,
        personas=[PersonaOut.model_validate(r) for r in rows],
    )


def _mix(rows: list[dict[str, Any]]) -> dict[Any, int]:
    counts = {"easy": 0, "medium": 0, "hard": 0}
    for row in rows:
        counts[row["difficulty"]] += 1
    return counts
