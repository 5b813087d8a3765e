"""The SQL behind the PDF reports: who, with whom and when a session happened, and its transcript.

Reads run in the caller's tenant transaction, so Row Level Security decides: a salesperson finds
their own sessions, managers and admins their company's, and anything else is simply not there.
The scores themselves come from the scorecard's own read (`grading.store.feedback`).
"""

from __future__ import annotations

import uuid
from typing import Any

from dojo.db import Connection

_SESSION = """
select s.id as session_id, s.mode, s.started_at, s.ended_at, s.duration_seconds,
       s.persona_name, s.persona_role, s.transcript,
       c.name as company_name, c.locale,
       p.full_name, p.email
  from public.training_sessions s
  join public.companies c on c.id = s.company_id
  left join public.profiles p on p.id = s.user_id and p.company_id = s.company_id
 where s.id = %s
"""


def session_header(conn: Connection, session_id: uuid.UUID) -> dict[str, Any] | None:
    """The session's company, salesperson, persona, times and transcript, if the caller sees it."""
    row: dict[str, Any] | None = conn.execute(_SESSION, (session_id,)).fetchone()
    return row


def company_header(conn: Connection, company_id: uuid.UUID) -> dict[str, Any] | None:
    """The company's name and locale (the caller's own company: RLS shows no other)."""
    row: dict[str, Any] | None = conn.execute(
        "select name as company_name, locale from public.companies where id = %s", (company_id,)
    ).fetchone()
    return row
