"""All of the sessions function's SQL: `training_sessions`, and what a session reads around it.

Reads go through RLS (the caller's tenant transaction): a session the caller cannot see is a 404.
The table is written only by the service role (authenticated has SELECT only), so writers first
read the row through RLS, then switch the transaction to the service role and lock that row,
scoped to its id and company.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from dojo.auth import Principal
from dojo.db import Connection, jsonb
from dojo.errors import Forbidden, NotFound
from dojo.retrieval import search
from dojo.vapi.transcript import CallReportRecord, TranscriptTurn

_SUMMARY = (
    "s.id, s.company_id, s.user_id, s.persona_id, s.mode, s.status, s.vapi_call_id,"
    " s.rubric_version, s.started_at, s.ended_at, s.ended_reason, s.duration_seconds,"
    " s.created_at, s.updated_at, jsonb_array_length(s.transcript) as turn_count,"
    " s.persona_name, s.persona_role, s.persona_difficulty, s.assignment_id"
)
_FULL = f"{_SUMMARY}, s.transcript, s.recording_url"
# Seconds since the session started, on the database's clock (text turns are timed by it).
_ELAPSED = (
    "extract(epoch from clock_timestamp() - coalesce(s.started_at, s.created_at))::float8"
    " as elapsed"
)


def visible(conn: Connection, session_id: uuid.UUID) -> dict[str, Any]:
    """The session as the caller may see it (RLS), with transcript and `elapsed`; else NotFound."""
    row = conn.execute(
        f"select {_FULL}, {_ELAPSED} from public.training_sessions s where s.id = %s",
        (session_id,),
    ).fetchone()
    if row is None:
        raise NotFound("session not found")
    return row


def owned(conn: Connection, principal: Principal, session_id: uuid.UUID) -> dict[str, Any]:
    """The caller's own session: others' are 404 if invisible, 403 if a manager can see them."""
    row = visible(conn, session_id)
    if row["user_id"] != principal.user_id:
        raise Forbidden("only the salesperson who started this session can do this")
    return row


def as_service(conn: Connection) -> None:
    """Switch this transaction to the service role (after an RLS-checked read)."""
    conn.execute("select set_config('role', 'service_role', true)")


def lock(conn: Connection, row: dict[str, Any]) -> dict[str, Any]:
    """Lock the session row (service role) and return it fresh, with seconds since its start."""
    locked = conn.execute(
        f"select {_FULL}, {_ELAPSED}"
        " from public.training_sessions s where s.id = %s and s.company_id = %s for update",
        (row["id"], row["company_id"]),
    ).fetchone()
    if locked is None:
        raise NotFound("session not found")
    return locked


def insert(
    conn: Connection,
    *,
    session_id: uuid.UUID,
    principal: Principal,
    persona_id: uuid.UUID,
    mode: Literal["voice", "text"],
    status: Literal["created", "active"],
    rubric_version: str,
    transcript: list[TranscriptTurn],
    snapshot: dict[str, Any],
    assignment_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """Create the session (service role; the caller was verified by the tenant transaction);
    with `assignment_id` it is an attempt at that assignment."""
    as_service(conn)
    row = conn.execute(
        "insert into public.training_sessions as s (id, company_id, user_id, persona_id, mode,"
        " status, persona_snapshot, rubric_version, started_at, transcript, assignment_id)"
        " values (%s, %s, %s, %s, %s, %s, %s, %s,"
        " case when %s = 'active' then now() end, %s, %s)"
        f" returning {_FULL}",
        (
            session_id,
            principal.company_id,
            principal.user_id,
            persona_id,
            mode,
            status,
            jsonb(snapshot),
            rubric_version,
            status,
            jsonb([t.model_dump() for t in transcript]),
            assignment_id,
        ),
    ).fetchone()
    assert row is not None
    return row


def append(
    conn: Connection,
    row: dict[str, Any],
    turns: list[TranscriptTurn],
    *,
    end_reason: str | None = None,
) -> dict[str, Any]:
    """Append turns to a locked session; with `end_reason` the session ends (grading follows)."""
    transcript = [*row["transcript"], *(t.model_dump() for t in turns)]
    last_end = max((float(t.get("end") or 0) for t in transcript), default=0.0)
    updated = conn.execute(
        "update public.training_sessions s set transcript = %s,"
        " status = case when %s::text is null then s.status else 'ended' end,"
        " ended_at = case when %s::text is null then s.ended_at else now() end,"
        " ended_reason = coalesce(%s, s.ended_reason),"
        " duration_seconds = case when %s::text is null then s.duration_seconds else %s end"
        f" where s.id = %s and s.company_id = %s returning {_FULL}",
        (
            jsonb(transcript),
            end_reason,
            end_reason,
            end_reason,
            end_reason,
            round(last_end, 2),
            row["id"],
            row["company_id"],
        ),
    ).fetchone()
    assert updated is not None
    return updated


def finish(conn: Connection, row: dict[str, Any], *, reason: str, status: str) -> dict[str, Any]:
    """Record the end of a locked session; a voice session keeps its status until its report."""
    updated = conn.execute(
        "update public.training_sessions s set status = %s,"
        " ended_at = coalesce(s.ended_at, now()), ended_reason = coalesce(s.ended_reason, %s),"
        " duration_seconds = coalesce(s.duration_seconds,"
        "   extract(epoch from now() - coalesce(s.started_at, s.created_at))::numeric(10, 2))"
        f" where s.id = %s and s.company_id = %s returning {_FULL}",
        (status, reason, row["id"], row["company_id"]),
    ).fetchone()
    assert updated is not None
    return updated


def bind_call(conn: Connection, session_id: uuid.UUID, call_id: str) -> None:
    """Bind the Vapi call to its session (service role), once."""
    conn.execute(
        "update public.training_sessions set vapi_call_id = %s"
        " where id = %s and vapi_call_id is null",
        (call_id, session_id),
    )


def fail(conn: Connection, session_id: uuid.UUID, reason: str) -> None:
    """Mark a session whose call could not start as failed (service role)."""
    conn.execute(
        "update public.training_sessions set status = 'failed', ended_at = now(),"
        " ended_reason = %s where id = %s and status = 'created'",
        (reason, session_id),
    )


def apply_call_report(conn: Connection, record: CallReportRecord) -> dict[str, Any] | None:
    """Save a call's report on its session once (service role; the SQL function locks the row).

    Returns `{session_id, company_id, applied}`, or None when no session has this call id.
    """
    return conn.execute(
        "select session_id, company_id, applied from private.session_apply_call_report("
        "%s::text, %s::jsonb, %s::text, %s::text, %s::numeric, %s::numeric,"
        " %s::timestamptz, %s::timestamptz)",
        (
            record.call_id,
            jsonb([t.model_dump() for t in record.transcript]),
            record.recording_url,
            record.ended_reason,
            record.cost,
            record.duration_seconds,
            record.started_at,
            record.ended_at,
        ),
    ).fetchone()


def listing(
    conn: Connection,
    *,
    user_id: uuid.UUID | None,
    status: str | None,
    limit: int,
    offset: int,
) -> list[dict[str, Any]]:
    """Sessions the caller can see (RLS), newest first; `user_id` narrows to one salesperson."""
    return conn.execute(
        f"select {_SUMMARY}, p.full_name as user_name, p.email as user_email"
        " from public.training_sessions s"
        " left join public.profiles p on p.id = s.user_id"
        " where (%s::uuid is null or s.user_id = %s::uuid)"
        " and (%s::text is null or s.status = %s::text)"
        " order by s.created_at desc, s.id limit %s offset %s",
        (user_id, user_id, status, status, limit, offset),
    ).fetchall()


def persona_for_session(
    conn: Connection, persona_id: uuid.UUID | None, difficulty: str | None = None
) -> dict[str, Any] | None:
    """The whole persona a session plays (the chosen one, or a random active one, of
    `difficulty` when given), or None.

    Salespeople cannot read the personas table (its secrets are for managers), so a named SQL
    function serves the caller's present company only; other companies' personas are None.
    """
    return conn.execute(
        "select * from private.persona_for_session(%s, %s)", (persona_id, difficulty)
    ).fetchone()


def persona_snapshot(conn: Connection, session_id: uuid.UUID) -> dict[str, Any]:
    """The persona frozen into the caller's own session (what it hides included)."""
    row = conn.execute("select private.session_persona(%s) as snapshot", (session_id,)).fetchone()
    if row is None or row["snapshot"] is None:
        raise NotFound("session not found")
    return dict(row["snapshot"])


def company_name(conn: Connection) -> str:
    """The caller's company name (RLS shows one company: their own)."""
    row = conn.execute("select name from public.companies limit 1").fetchone()
    if row is None:
        raise NotFound("company not found")
    return str(row["name"])


def knowledge(
    conn: Connection, company_id: uuid.UUID, query: str, k: int, vector: tuple[float, ...]
) -> list[str]:
    """The company's knowledge-base passages for `query`, best first (hybrid retrieval).

    `vector` is the query's embedding, made before this transaction began: embedding is an
    outside call, and no connection waits on one.
    """
    return [hit.content for hit in search(conn, company_id, query, k=k, vector=vector)]


def stale(
    conn: Connection,
    *,
    text_idle_seconds: int,
    voice_max_seconds: int,
    voice_grace_seconds: int,
    limit: int,
) -> list[dict[str, Any]]:
    """Sessions nobody finished (service role): see `private.stale_sessions`."""
    return conn.execute(
        "select * from private.stale_sessions(%s, %s, %s, %s)",
        (text_idle_seconds, voice_max_seconds, voice_grace_seconds, limit),
    ).fetchall()


def end_open(conn: Connection, session_id: uuid.UUID, *, status: str, reason: str) -> None:
    """End a session still open (service role); a finished one is left as it is."""
    conn.execute(
        "update public.training_sessions set status = %s, ended_at = coalesce(ended_at, now()),"
        " ended_reason = coalesce(ended_reason, %s)"
        " where id = %s and status in ('created', 'active')",
        (status, reason, session_id),
    )
