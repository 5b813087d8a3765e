"""SQL of the weekly manager digest (service role, each statement scoped to one company)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from dojo.db import Connection

_WAITING = """
select p.company_id, p.id as user_id
  from public.profiles p
 where p.role in ('manager', 'admin')
   and exists (select 1 from public.profiles s
                where s.company_id = p.company_id and s.role = 'salesperson')
   and not exists (select 1 from public.notifications n
                    where n.user_id = p.id and n.kind = 'weekly_digest' and n.subject_key = %s)
 order by p.company_id
"""


def managers_waiting(conn: Connection, week: str) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Managers and admins (of companies with salespeople) with no digest for `week` yet."""
    waiting: dict[uuid.UUID, list[uuid.UUID]] = {}
    for row in conn.execute(_WAITING, (week,)).fetchall():
        waiting.setdefault(row["company_id"], []).append(row["user_id"])
    return waiting


# Each salesperson's graded sessions in the week, their average, their average over the four
# weeks before (a manager's override counts where there is one) and their overdue assignments.
_PEOPLE = """
with fb as (
  select f.user_id, coalesce(f.override_overall, f.overall) as overall, f.created_at
    from public.feedback f
   where f.company_id = %(company)s and f.status = 'graded'
     and f.created_at >= %(before)s and f.created_at < %(until)s
)
select p.id as user_id, coalesce(p.full_name, p.email, '?') as name,
       count(fb.user_id) filter (where fb.created_at >= %(since)s) as sessions,
       avg(fb.overall) filter (where fb.created_at >= %(since)s) as week_average,
       avg(fb.overall) filter (where fb.created_at < %(since)s) as before_average,
       (select count(*) from public.assignment_assignees aa
         where aa.user_id = p.id and aa.company_id = p.company_id
           and aa.status = 'overdue') as overdue
  from public.profiles p
  left join fb on fb.user_id = p.id
 where p.company_id = %(company)s and p.role = 'salesperson'
 group by p.id, p.full_name, p.email, p.company_id
 order by name
"""

# The team's category averages in the week, weakest first (a manager's score where there is one).
_CATEGORIES = """
select c.key as category,
       avg(coalesce((f.override_scores ->> c.key)::numeric, (c.value ->> 'score')::numeric))
         as average
  from public.feedback f
 cross join lateral jsonb_each(f.scores) c
 where f.company_id = %(company)s and f.status = 'graded'
   and f.created_at >= %(since)s and f.created_at < %(until)s
   and jsonb_typeof(c.value) = 'object'
 group by c.key
 order by average, category
"""


def team_week(
    conn: Connection, company_id: uuid.UUID, since: dt.datetime, until: dt.datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(salespeople with their week, category averages weakest first) for [since, until)."""
    params = {
        "company": company_id,
        "since": since,
        "until": until,
        "before": since - dt.timedelta(weeks=4),
    }
    people: list[dict[str, Any]] = conn.execute(_PEOPLE, params).fetchall()
    categories: list[dict[str, Any]] = conn.execute(_CATEGORIES, params).fetchall()
    return people, categories
