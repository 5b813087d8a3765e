"""The analytics' SQL: calls of the named SQL functions in the grading migration (they aggregate
in the database), the company's people and the sessions list of the CSV export.

Every read runs in the caller's transaction and names the company, so it gives the same rows under
a manager's Row Level Security and as the service role (a salesperson's RLS shows their own).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dojo.db import Connection


@dataclass(frozen=True)
class Scope:
    """Whose sessions count: a company, a period [start, end) and optional filters."""

    company_id: uuid.UUID
    start: datetime | None
    end: datetime
    user_id: uuid.UUID | None = None
    persona_id: uuid.UUID | None = None
    mode: str | None = None

    def params(self) -> tuple[Any, ...]:
        """The positional arguments every analytics SQL function starts with."""
        return (self.company_id, self.start, self.end, self.user_id, self.persona_id, self.mode)


_ARGS = "%s, %s, %s, %s, %s, %s"


def cells(conn: Connection, scope: Scope) -> list[dict[str, Any]]:
    """Per person and category (and 'overall'): graded sessions and the average score."""
    rows: list[dict[str, Any]] = conn.execute(
        f"select * from private.analytics_cells({_ARGS})", scope.params()
    ).fetchall()
    return rows


def trend(conn: Connection, scope: Scope, window: int) -> list[dict[str, Any]]:
    """Per person and category, the scores in time order with their moving average."""
    rows: list[dict[str, Any]] = conn.execute(
        f"select * from private.analytics_trend({_ARGS}, %s)", (*scope.params(), window)
    ).fetchall()
    return rows


def activity(conn: Connection, scope: Scope) -> list[dict[str, Any]]:
    """Ended sessions per person and ISO week: count, minutes, voice and text."""
    rows: list[dict[str, Any]] = conn.execute(
        f"select * from private.analytics_activity({_ARGS})", scope.params()
    ).fetchall()
    return rows


def metric_distribution(
    conn: Connection, scope: Scope, keys: list[str], bins: int
) -> list[dict[str, Any]]:
    """Per metric: quantiles, counts against the band and a histogram of `bins` bins."""
    rows: list[dict[str, Any]] = conn.execute(
        f"select * from private.analytics_metric_distribution({_ARGS}, %s, %s)",
        (*scope.params(), keys, bins),
    ).fetchall()
    return rows


def people(conn: Connection, company_id: uuid.UUID) -> list[dict[str, Any]]:
    """The company's people the caller may see, by name."""
    rows: list[dict[str, Any]] = conn.execute(
        "select p.id, p.full_name, p.email, p.role from public.profiles p"
        " where p.company_id = %s order by coalesce(p.full_name, p.email), p.id",
        (company_id,),
    ).fetchall()
    return rows


_SESSIONS = """
select s.id, coalesce(s.ended_at, s.created_at) as at, s.user_id, p.full_name, p.email,
       s.persona_name, s.mode, s.status,
       round(coalesce(s.duration_seconds, extract(epoch from s.ended_at - s.started_at)) / 60, 1)
         as minutes,
       f.status as feedback_status, f.overall, f.override_overall, f.scores, f.override_scores
  from public.training_sessions s
  left join public.profiles p on p.id = s.user_id and p.company_id = s.company_id
  left join public.feedback f on f.session_id = s.id
 where s.company_id = %(company)s
   and (%(start)s::timestamptz is null or coalesce(s.ended_at, s.created_at) >= %(start)s)
   and coalesce(s.ended_at, s.created_at) < %(end)s
   and (%(user)s::uuid is null or s.user_id = %(user)s::uuid)
 order by at desc, s.id
"""


def sessions(conn: Connection, scope: Scope) -> list[dict[str, Any]]:
    """The sessions the caller sees in the period (RLS: their own, or the company's for a
    manager), newest first, with the person, the persona and the feedback if graded."""
    rows: list[dict[str, Any]] = conn.execute(
        _SESSIONS,
        {
            "company": scope.company_id,
            "start": scope.start,
            "end": scope.end,
            "user": scope.user_id,
        },
    ).fetchall()
    return rows
