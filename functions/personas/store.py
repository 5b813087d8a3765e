"""Personas in the database, always through the caller's tenant transaction (RLS decides).

A generation is inserted in one transaction under one generation_id: all its personas or none.
Salespeople only ever see active personas and managers all of them; that is the RLS policy's job,
not a WHERE clause here.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from dojo.db import Connection, jsonb
from dojo.errors import BadRequest, NotFound
from personas.schema import PersonaDraft

_COLUMNS = (
    "id, name, role, seniority, company_profile, traits, goals, pains, objections, hidden_facts,"
    " difficulty, end_conditions, speaking_style, voice_id, first_message, locale, status,"
    " generation_id, generator, generator = 'offline' as offline, created_at, updated_at"
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
    generation_id: uuid.UUID | None = None,
) -> tuple[uuid.UUID, list[dict[str, Any]], int]:
    """Store a generation (and, when replacing, archive every other active persona).

    `generation_id` is the job's id when a job runs it; a request run mints a new one.
    """
    generation_id = generation_id or uuid.uuid4()
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
    return generation_id, stored, archived


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
