"""A generation from start to finish, as a job runs it (`personas.jobs`).

Three steps so no database connection waits on the model: (1) a short tenant transaction checks
there is material and samples the context (a manager's focus is embedded before it opens),
(2) the generator runs with no transaction open, (3) a second short tenant transaction stores
the whole set atomically with its usage, and the job's hook marks the job done inside it. A
failed generation stores no personas; the tokens it spent are still recorded (they were billed).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from dojo import retrieval
from dojo import usage as usage_log
from dojo.auth import Principal
from dojo.db import Connection, tenant_transaction
from dojo.errors import Conflict
from dojo.observability import logger
from personas import generate, sampling, voices
from personas.generate import Generated, GenerationFailed
from personas.models import GenerateIn, GenerationOut, PersonaOut
from personas.store import personas as store

NO_MATERIAL = "upload documents first: the company has no ready documents to build personas from"

# Called inside the storing transaction, after the personas are inserted: raising rolls them back.
OnStored = Callable[[Connection, GenerationOut], None]


def company_of(principal: Principal) -> uuid.UUID:
    """The manager's company (the Manager dependency guarantees one)."""
    assert principal.company_id is not None
    return principal.company_id


def _record(principal: Principal, spent: list[usage_log.Usage], ref: uuid.UUID | None) -> None:
    with tenant_transaction(principal.claims) as conn:
        for item in spent:
            usage_log.record(conn, company_of(principal), item, ref)


def run(
    principal: Principal,
    body: GenerateIn,
    *,
    replace: bool,
    generation_id: uuid.UUID,
    on_stored: OnStored,
) -> GenerationOut:
    """Generate, validate and store a persona set; with `replace`, archive the active ones.

    The personas carry the job's `generation_id`; `on_stored` finishes the job in the transaction
    that stores them.
    """
    company_id = company_of(principal)
    # the focus is embedded (an outside call) before the transaction opens
    focus = retrieval.embed_query(body.focus) if body.focus else None
    with tenant_transaction(principal.claims) as conn:
        if not sampling.has_material(conn, company_id):
            raise Conflict(NO_MATERIAL, code="no_documents")
        context = sampling.sample(conn, company_id, focus=focus)
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
    generation_id: uuid.UUID,
    on_stored: OnStored,
) -> GenerationOut:
    company_id = company_of(principal)
    cited = {i for p in result.personas for o in p.objections for i in o.chunk_ids}
    voice_ids = voices.assign([p.gender for p in result.personas])
    with tenant_transaction(principal.claims) as conn:
        if store.existing_chunks(conn, cited) != cited:
            # a document was deleted while the model was writing: its citations would dangle
            raise Conflict("the documents changed during generation; try again")
        rows, archived = store.insert_generation(
            conn,
            company_id=company_id,
            user_id=principal.user_id,
            personas=result.personas,
            voice_ids=voice_ids,
            locale=result.locale or locale,
            generator=result.generator,
            replace=replace,
            generation_id=generation_id,
        )
        for item in result.usage:
            usage_log.record(conn, company_id, item, generation_id)
        out = _out(result, rows, archived, generation_id, context)
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
        notice=result.notice,
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
