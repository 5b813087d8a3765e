"""All of the grading function's SQL: sessions to grade, feedback rows, overrides, regrade requests.

Reads for people run in the caller's tenant transaction, so Row Level Security decides what is
there (a salesperson sees their own sessions, managers and admins their company's). Grading
writes run as the service role (`dojo.db.service_transaction`), scoped to the session and its
company, under the lease of `private.claim_grading` / `private.release_grading`; a regrade
request is recorded by the SQL function `private.request_regrade`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from dojo.db import Connection, jsonb
from grading.scorecard import Scorecard

# --- the caller ---------------------------------------------------------------------------------


def company_locale(conn: Connection, company_id: uuid.UUID | None = None) -> str | None:
    """The locale of this company, or of the caller's (their tenant transaction shows one)."""
    row = conn.execute(
        "select locale from public.companies where %s::uuid is null or id = %s::uuid",
        (company_id, company_id),
    ).fetchone()
    return str(row["locale"]) if row else None


# --- grading (service role) ---------------------------------------------------------------------

_STATE = """
select s.status, f.status as feedback_status, f.overall
  from public.training_sessions s left join public.feedback f on f.session_id = s.id
 where s.id = %s and (%s::uuid is null or s.company_id = %s::uuid)
"""


def grading_state(
    conn: Connection, session_id: uuid.UUID, company_id: uuid.UUID | None
) -> dict[str, Any] | None:
    """The session's status and its feedback's status and overall (None: no such session)."""
    row: dict[str, Any] | None = conn.execute(
        _STATE, (session_id, company_id, company_id)
    ).fetchone()
    return row


def claim(
    conn: Connection, session_id: uuid.UUID, company_id: uuid.UUID | None, stale_seconds: int
) -> dict[str, Any] | None:
    """Take the grading lease of an ended session (`private.claim_grading`): the session to
    grade with its company's locale and this run's fencing `token`, or None when a live worker
    holds it (or it is not ended)."""
    row: dict[str, Any] | None = conn.execute(
        "select * from private.claim_grading(%s, %s, %s)", (session_id, company_id, stale_seconds)
    ).fetchone()
    return row


def release(conn: Connection, session_id: uuid.UUID, token: int, error: str | None) -> bool:
    """Give the lease back with the run's error (None: graded); False when the run was taken
    over (its token is no longer the session's), and then the caller must write nothing."""
    row = conn.execute(
        "select private.release_grading(%s, %s, %s) as released", (session_id, token, error)
    ).fetchone()
    return bool(row and row["released"])


def feedback_state(conn: Connection, session_id: uuid.UUID) -> dict[str, Any] | None:
    """The stored feedback's status and overall, if the session has feedback."""
    row: dict[str, Any] | None = conn.execute(
        "select status, overall from public.feedback where session_id = %s", (session_id,)
    ).fetchone()
    return row


_INSERT = """
insert into public.feedback as f
  (session_id, company_id, user_id, status, overall, scores, strengths, improvements,
   recommendations, metrics, grader, rubric_version, removed_quotes, grader_offline,
   grader_label)
values (%(session_id)s, %(company_id)s, %(user_id)s, %(status)s, %(overall)s, %(scores)s,
        %(strengths)s, %(improvements)s, %(recommendations)s, %(metrics)s, %(grader)s,
        %(rubric_version)s, %(removed_quotes)s, %(grader_offline)s, %(grader_label)s)
on conflict (session_id) do {action}
returning id
"""

_REPLACE = """update set status = excluded.status, overall = excluded.overall,
  scores = excluded.scores, strengths = excluded.strengths, improvements = excluded.improvements,
  recommendations = excluded.recommendations, metrics = excluded.metrics,
  grader = excluded.grader, rubric_version = excluded.rubric_version,
  removed_quotes = excluded.removed_quotes, grader_offline = excluded.grader_offline,
  grader_label = excluded.grader_label"""


def save_feedback(
    conn: Connection, session: dict[str, Any], card: Scorecard, *, replace: bool
) -> None:
    """Insert the session's feedback; with `replace`, a regrade replaces the model's scores
    (a manager's override columns are left alone)."""
    conn.execute(
        _INSERT.format(action=_REPLACE if replace else "nothing"),
        {
            "session_id": session["id"],
            "company_id": session["company_id"],
            "user_id": session["user_id"],
            "status": card.status,
            "overall": card.overall,
            "scores": jsonb(card.scores),
            "strengths": jsonb(card.strengths),
            "improvements": jsonb(card.improvements),
            "recommendations": jsonb(card.recommendations),
            "metrics": jsonb(card.metrics),
            "grader": card.grader,
            "rubric_version": card.rubric_version,
            "removed_quotes": card.removed_quotes,
            "grader_offline": card.grader_offline,
            "grader_label": jsonb(card.grader_label),
        },
    )


def override_scores(conn: Connection, session_id: uuid.UUID) -> dict[str, int] | None:
    """The manager's overridden category scores of a feedback, if any."""
    row = conn.execute(
        "select override_scores from public.feedback where session_id = %s", (session_id,)
    ).fetchone()
    return None if row is None else row["override_scores"]


def set_override_overall(conn: Connection, session_id: uuid.UUID, overall: float) -> None:
    """Store the overridden overall recomputed after a regrade."""
    conn.execute(
        "update public.feedback set override_overall = %s where session_id = %s",
        (overall, session_id),
    )


_PENDING = """
select s.id, s.company_id from public.training_sessions s
 where s.status = 'ended' and s.grading_attempts < %s
   and not exists (select 1 from public.feedback f where f.session_id = s.id)
   and (s.grading_claimed_at is null
        or s.grading_claimed_at < now() - make_interval(secs => %s))
 order by s.ended_at nulls first, s.created_at
 limit %s
"""


def ungraded(
    conn: Connection, max_attempts: int, stale_seconds: int, limit: int
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Ended sessions without feedback that may still be retried and that no live worker holds
    (no lease, or one older than `stale_seconds`), oldest first: (session, company)."""
    rows = conn.execute(_PENDING, (max_attempts, stale_seconds, limit)).fetchall()
    return [(r["id"], r["company_id"]) for r in rows]


# --- regrade requests ---------------------------------------------------------------------------


def session_state(conn: Connection, session_id: uuid.UUID) -> dict[str, Any] | None:
    """A session's status and company, as the caller may see it (RLS), or None."""
    row: dict[str, Any] | None = conn.execute(
        "select status, company_id from public.training_sessions where id = %s", (session_id,)
    ).fetchone()
    return row


def as_service(conn: Connection) -> None:
    """Act as the service role for the rest of this transaction (after the RLS-checked reads)."""
    conn.execute("select set_config('role', 'service_role', true)")


def request_regrade(conn: Connection, session_id: uuid.UUID, company_id: uuid.UUID) -> None:
    """Record a regrade request and dispatch the hook (the caller already read the session
    under RLS, which verified the manager; the write runs as the service role)."""
    as_service(conn)
    conn.execute("select private.request_regrade(%s, %s)", (session_id, company_id))


def regrade_marker(
    conn: Connection, session_id: uuid.UUID, company_id: uuid.UUID
) -> datetime | None:
    """When the pending regrade of a session was requested (None: no request pending)."""
    row = conn.execute(
        "select regrade_requested_at from public.training_sessions"
        " where id = %s and company_id = %s",
        (session_id, company_id),
    ).fetchone()
    return None if row is None else row["regrade_requested_at"]


def clear_regrade_marker(conn: Connection, session_id: uuid.UUID, marker: datetime) -> None:
    """Clear exactly the request that was run (a newer one made meanwhile stays pending)."""
    conn.execute(
        "update public.training_sessions set regrade_requested_at = null"
        " where id = %s and regrade_requested_at = %s",
        (session_id, marker),
    )


def sweep_regrades(
    conn: Connection, pending_seconds: int, max_attempts: int, limit: int
) -> list[dict[str, Any]]:
    """Give up on, or dispatch again, the regrade requests whose hook was lost (see the SQL)."""
    rows: list[dict[str, Any]] = conn.execute(
        "select * from private.sweep_regrades(%s, %s, %s)",
        (pending_seconds, max_attempts, limit),
    ).fetchall()
    return rows


# --- overrides (the manager's tenant transaction: RLS allows only the override columns) ---------


def feedback_scores(conn: Connection, session_id: uuid.UUID) -> dict[str, Any] | None:
    """The status, model scores and rubric of a feedback the caller can see."""
    row: dict[str, Any] | None = conn.execute(
        "select status, scores, rubric_version from public.feedback where session_id = %s",
        (session_id,),
    ).fetchone()
    return row


def clear_override(conn: Connection, session_id: uuid.UUID) -> None:
    """Go back to the model's scores."""
    conn.execute(
        "update public.feedback set override_scores = null, override_overall = null,"
        " override_note = null, overridden_by = null, overridden_at = null"
        " where session_id = %s",
        (session_id,),
    )


def set_override(
    conn: Connection,
    session_id: uuid.UUID,
    *,
    scores: dict[str, int],
    overall: float,
    note: str,
    by: uuid.UUID,
) -> None:
    """Set the manager's scores, the overall they give, the note, who and when."""
    conn.execute(
        "update public.feedback set override_scores = %s, override_overall = %s,"
        " override_note = %s, overridden_by = %s, overridden_at = now() where session_id = %s",
        (jsonb(scores), overall, note, by, session_id),
    )


# --- what people read (tenant transaction) ------------------------------------------------------

_SCORECARD = """
select s.id as session_id, s.user_id, s.mode, s.status as session_status, s.ended_at,
       s.grading_error, s.grading_attempts, s.regrade_requested_at,
       s.persona_name, s.persona_id,
       c.locale, f.id as feedback_id, f.status, f.overall, f.scores, f.strengths,
       f.improvements, f.recommendations, f.metrics, f.grader, f.grader_offline, f.grader_label,
       f.rubric_version, f.removed_quotes, f.override_scores, f.override_overall,
       f.override_note, f.overridden_by, f.overridden_at, f.created_at, f.updated_at
  from public.training_sessions s
  join public.companies c on c.id = s.company_id
  left join public.feedback f on f.session_id = s.id
 where s.id = %s
"""


def scorecard_row(conn: Connection, session_id: uuid.UUID) -> dict[str, Any] | None:
    """A session with its feedback (if any) and its company's locale, if the caller sees it."""
    row: dict[str, Any] | None = conn.execute(_SCORECARD, (session_id,)).fetchone()
    return row


_GRADED = """
select f.session_id, f.user_id, f.overall, f.scores, f.override_scores, f.override_overall,
       f.metrics, coalesce(s.ended_at, f.created_at) as at
  from public.feedback f join public.training_sessions s on s.id = f.session_id
 where f.status = 'graded' and (%s::uuid is null or f.company_id = %s::uuid)
   and (%s::uuid is null or f.user_id = %s::uuid)
   and (%s::timestamptz is null or coalesce(s.ended_at, f.created_at) >= %s::timestamptz)
 order by at, f.session_id
"""


def graded(
    conn: Connection,
    user_id: uuid.UUID | None,
    since: datetime | None = None,
    company_id: uuid.UUID | None = None,
) -> list[dict[str, Any]]:
    """Graded feedback the caller sees (one person's, or everyone's), oldest first; naming the
    company gives the same rows under a manager's RLS and as the service role."""
    params = (company_id, company_id, user_id, user_id, since, since)
    rows: list[dict[str, Any]] = conn.execute(_GRADED, params).fetchall()
    return rows


def people(conn: Connection, company_id: uuid.UUID) -> list[dict[str, Any]]:
    """The company's people with their last practice, by name."""
    rows: list[dict[str, Any]] = conn.execute(
        "select p.id, p.full_name, p.email, p.role,"
        " (select max(coalesce(s.ended_at, s.created_at)) from public.training_sessions s"
        "   where s.user_id = p.id and s.company_id = p.company_id) as last_activity"
        " from public.profiles p where p.company_id = %s order by coalesce(p.full_name, p.email)",
        (company_id,),
    ).fetchall()
    return rows
