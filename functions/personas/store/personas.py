"""All of the personas function's SQL: personas, their cards, the sampled context and the jobs.

Personas are read and written through the caller's tenant transaction (RLS decides); the job
functions run as the service role (a worker claims and finishes jobs; the request records one
after checking the caller). A generation is inserted in one transaction under one generation_id:
all its personas or none.
Only managers read the personas table (RLS); everyone reads `public.persona_cards`, which shows
salespeople the active personas without what they hide and managers every one. That is the
database's job, not a WHERE clause here.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from dojo.db import Connection, jsonb
from dojo.errors import BadRequest, NotFound
from personas.models import PersonaDraft

_COLUMNS = (
    "id, name, role, seniority, company_profile, traits, goals, pains, objections, hidden_facts,"
    " difficulty, end_conditions, speaking_style, voice_id, first_message, locale, status,"
    " generation_id, generator, generator = 'offline' as offline, created_at, updated_at"
)
# what a salesperson may read: the cards view (the personas table is for managers only)
_CARD_COLUMNS = (
    "id, name, role, seniority, company_profile, difficulty, locale, status, generator, offline,"
    " created_at, updated_at"
)
_JSON_FIELDS = {
    "company_profile",
    "traits",
    "goals",
    "pains",
    "objections",
    "hidden_facts",
    "end_conditions",
}
StatusFilter = Literal["active", "archived", "all"]


def as_service(conn: Connection) -> None:
    """Switch this transaction to the service role (after the caller was checked)."""
    conn.execute("select set_config('role', 'service_role', true)")


def company_locale(conn: Connection, company_id: uuid.UUID) -> str:
    """The company's locale (pt-BR unless it chose otherwise)."""
    row = conn.execute(
        "select locale from public.companies where id = %s", (company_id,)
    ).fetchone()
    return str(row["locale"]) if row else "pt-BR"


def active_names(conn: Connection) -> list[str]:
    """Names of the company's active personas (a new set must not repeat them)."""
    rows = conn.execute(
        "select name from public.personas where status = 'active' order by name"
    ).fetchall()
    return [str(r["name"]) for r in rows]


def existing_chunks(conn: Connection, ids: set[int]) -> set[int]:
    """Which of `ids` are chunks the caller's company has (RLS hides everyone else's)."""
    if not ids:
        return set()
    rows = conn.execute(
        "select id from public.knowledge_base where id = any(%s)", (sorted(ids),)
    ).fetchall()
    return {int(r["id"]) for r in rows}


def insert_generation(
    conn: Connection,
    *,
    company_id: uuid.UUID,
    user_id: uuid.UUID,
    personas: list[PersonaDraft],
    voice_ids: list[str],
    locale: str,
    generator: str,
    replace: bool,
    generation_id: uuid.UUID,
) -> tuple[list[dict[str, Any]], int]:
    """Store a generation under its job's id (and, when replacing, archive every other active
    persona); the stored rows and how many were archived."""
    archived = 0
    if replace:
        archived = conn.execute(
            "update public.personas set status = 'archived' where status = 'active'"
        ).rowcount
    stored = []
    for persona, voice_id in zip(personas, voice_ids, strict=True):
        row = conn.execute(
            "insert into public.personas (company_id, name, role, seniority, company_profile,"
            " traits, goals, pains, objections, hidden_facts, difficulty, end_conditions,"
            " speaking_style, voice_id, first_message, locale, generation_id, generator,"
            " created_by)"
            " values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            f" returning {_COLUMNS}",
            (
                company_id,
                persona.name.strip(),
                persona.role.strip(),
                persona.seniority.strip() or None,
                jsonb(persona.company_profile.model_dump()),
                jsonb(persona.traits),
                jsonb(persona.goals),
                jsonb(persona.pains),
                jsonb([o.model_dump() for o in persona.objections]),
                jsonb([h.model_dump() for h in persona.hidden_facts]),
                persona.difficulty,
                jsonb(persona.end_conditions),
                persona.speaking_style.strip(),
                voice_id,
                persona.first_message.strip(),
                locale,
                generation_id,
                generator,
                user_id,
            ),
        ).fetchone()
        assert row is not None
        stored.append(row)
    return stored, archived


def list_personas(
    conn: Connection, status: StatusFilter = "all", *, limit: int, offset: int = 0
) -> list[dict[str, Any]]:
    """The personas the caller may see, newest generation first (one page)."""
    where = "" if status == "all" else " where status = %s"
    params = () if status == "all" else (status,)
    return conn.execute(
        f"select {_COLUMNS} from public.personas{where}"
        " order by status, created_at desc, difficulty, name, id limit %s offset %s",
        (*params, limit, offset),
    ).fetchall()


def list_cards(
    conn: Connection, status: StatusFilter = "all", *, limit: int, offset: int = 0
) -> list[dict[str, Any]]:
    """The cards of the personas the caller may pick (no secrets), newest first (one page)."""
    where = "" if status == "all" else " where status = %s"
    params = () if status == "all" else (status,)
    return conn.execute(
        f"select {_CARD_COLUMNS} from public.persona_cards{where}"
        " order by status, created_at desc, difficulty, name, id limit %s offset %s",
        (*params, limit, offset),
    ).fetchall()


def get_card(conn: Connection, persona_id: uuid.UUID) -> dict[str, Any]:
    """One persona's card; 404 when the caller may not pick it."""
    row = conn.execute(
        f"select {_CARD_COLUMNS} from public.persona_cards where id = %s", (persona_id,)
    ).fetchone()
    if row is None:
        raise NotFound("persona not found")
    return row


def get(conn: Connection, persona_id: uuid.UUID) -> dict[str, Any]:
    """One persona the caller may see; 404 otherwise (never says whose it is)."""
    row = conn.execute(
        f"select {_COLUMNS} from public.personas where id = %s", (persona_id,)
    ).fetchone()
    if row is None:
        raise NotFound("persona not found")
    return row


def update(conn: Connection, persona_id: uuid.UUID, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply a manager's validated edit; 404 when the persona is not theirs to edit."""
    cited = {i for o in changes.get("objections") or [] for i in o.get("chunk_ids") or []}
    unknown = cited - existing_chunks(conn, cited)
    if unknown:
        raise BadRequest(
            "objections cite chunks that are not in your knowledge base",
            code="unknown_chunks",
            details={"chunk_ids": sorted(unknown)},
        )
    sets = []
    values: list[Any] = []
    for column, value in changes.items():
        sets.append(f"{column} = %s")
        values.append(jsonb(value) if column in _JSON_FIELDS else value)
    row = conn.execute(
        f"update public.personas set {', '.join(sets)} where id = %s returning {_COLUMNS}",
        (*values, persona_id),
    ).fetchone()
    if row is None:
        raise NotFound("persona not found")
    return row


def set_status(
    conn: Connection, persona_id: uuid.UUID, status: Literal["active", "archived"]
) -> dict[str, Any]:
    """Archive or bring back a persona (doing it twice changes nothing)."""
    row = conn.execute(
        f"update public.personas set status = %s where id = %s and status <> %s"
        f" returning {_COLUMNS}",
        (status, persona_id, status),
    ).fetchone()
    return row if row is not None else get(conn, persona_id)


def get_job(conn: Connection, generation_id: uuid.UUID) -> dict[str, Any] | None:
    """A generation job the caller may see (managers of its company), or None."""
    return conn.execute(
        "select id, kind, status, request, error, error_code, error_details, attempts,"
        " persona_count, result, created_at, updated_at, started_at, finished_at"
        " from public.persona_generations where id = %s",
        (generation_id,),
    ).fetchone()


def generation_personas(conn: Connection, generation_id: uuid.UUID) -> list[dict[str, Any]]:
    """The personas one generation stored, as they are now (edited or archived since)."""
    return conn.execute(
        f"select {_COLUMNS} from public.personas where generation_id = %s"
        " order by difficulty, name",
        (generation_id,),
    ).fetchall()


# --- the context a generation sees --------------------------------------------------------


def has_material(conn: Connection, company_id: uuid.UUID, model: str) -> bool:
    """True when the company has a ready document with chunks embedded by `model`."""
    row = conn.execute(
        "select exists (select 1 from public.knowledge_base kb"
        " join public.documents d on d.id = kb.document_id"
        " where kb.company_id = %s and d.status = 'ready' and kb.embedding_model = %s) as ok",
        (company_id, model),
    ).fetchone()
    return bool(row and row["ok"])


def diverse_chunks(
    conn: Connection, company_id: uuid.UUID, model: str, wanted: int, seeds: list[int]
) -> list[dict[str, Any]]:
    """Up to `wanted` chunks, farthest-point sampled across documents (`seeds` first)."""
    return conn.execute(
        "select id, document_id, filename, chunk_index, content, metadata, pick"
        " from public.diverse_chunks(%s, %s, %s, %s)",
        (company_id, model, wanted, seeds),
    ).fetchall()


# --- generation jobs (service role) -------------------------------------------------------

_JOB_COLUMNS = "id, company_id, requested_by, kind, request, attempts, status"


def insert_job(
    conn: Connection,
    *,
    company_id: uuid.UUID,
    user_id: uuid.UUID,
    kind: str,
    request: dict[str, Any],
    claimed: bool,
) -> dict[str, Any] | None:
    """Record a job, or None when the company already has one unfinished.

    `claimed`: the request runs it itself (a fast provider), so it starts running under its
    first attempt and its trigger dispatches no hook.
    """
    return conn.execute(
        "insert into public.persona_generations"
        " (company_id, requested_by, kind, request, status, attempts, started_at)"
        " values (%s, %s, %s, %s, %s, %s, case when %s then now() end)"
        " on conflict (company_id) where status in ('pending', 'running') do nothing"
        f" returning {_JOB_COLUMNS}",
        (
            company_id,
            user_id,
            kind,
            jsonb(request),
            "running" if claimed else "pending",
            1 if claimed else 0,
            claimed,
        ),
    ).fetchone()


def open_job(conn: Connection, company_id: uuid.UUID) -> uuid.UUID | None:
    """The company's unfinished job, if any."""
    row = conn.execute(
        "select id from public.persona_generations"
        " where company_id = %s and status in ('pending', 'running')",
        (company_id,),
    ).fetchone()
    return row["id"] if row else None


def claim_job(
    conn: Connection,
    generation_id: uuid.UUID,
    company_id: uuid.UUID,
    stale_seconds: int,
    max_attempts: int,
) -> dict[str, Any] | None:
    """Claim a job to run it (atomic); None when there is nothing to claim."""
    return conn.execute(
        "select *, 'running' as status from private.claim_persona_generation(%s, %s, %s, %s)",
        (generation_id, company_id, stale_seconds, max_attempts),
    ).fetchone()


def finish_job(
    conn: Connection,
    generation_id: uuid.UUID,
    attempt: int,
    *,
    status: Literal["done", "failed"],
    count: int | None = None,
    result: dict[str, Any] | None = None,
    error: tuple[str, str, dict[str, Any] | None] | None = None,
) -> bool:
    """Finish a job while it still carries `attempt`; False when another worker took it over.

    `error` is (message, code, details) for a failed job.
    """
    message, code, details = error if error else (None, None, None)
    row = conn.execute(
        "select private.finish_persona_generation(%s, %s, %s, %s, %s, %s, %s, %s) as ok",
        (
            generation_id,
            attempt,
            status,
            count,
            jsonb(result) if result is not None else None,
            message,
            code,
            jsonb(details) if details else None,
        ),
    ).fetchone()
    return bool(row and row["ok"])


def sweep_jobs(
    conn: Connection, pending_seconds: int, stale_seconds: int, max_attempts: int, limit: int
) -> list[dict[str, Any]]:
    """Fail the jobs out of attempts, re-dispatch the lost or stale ones; what each became."""
    return conn.execute(
        "select * from private.sweep_persona_generations(%s, %s, %s, %s)",
        (pending_seconds, stale_seconds, max_attempts, limit),
    ).fetchall()
