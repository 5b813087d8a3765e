"""SQL of certifications, their assignments and their holders.

Managers write certifications through RLS; holders are written by the database alone
(`private.decide_certification`, from the triggers on passes and on the certification's set).
"""

from __future__ import annotations

import uuid
from typing import Any

from dojo.db import Connection

_CERTIFICATION = "c.id, c.name, c.validity_days, c.created_at"


def visible_assignments(conn: Connection, assignment_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these assignments the caller can see."""
    rows = conn.execute(
        "select id from public.assignments where id = any(%s)", (assignment_ids,)
    ).fetchall()
    return {r["id"] for r in rows}


def insert(
    conn: Connection,
    *,
    company_id: uuid.UUID,
    created_by: uuid.UUID,
    name: str,
    validity_days: int | None,
) -> uuid.UUID:
    """Create a certification (RLS: managers); its id."""
    row = conn.execute(
        "insert into public.certifications (company_id, created_by, name, validity_days)"
        " values (%s, %s, %s, %s) returning id",
        (company_id, created_by, name, validity_days),
    ).fetchone()
    assert row is not None
    return uuid.UUID(str(row["id"]))


def set_assignments(
    conn: Connection,
    certification_id: uuid.UUID,
    company_id: uuid.UUID,
    assignment_ids: list[uuid.UUID],
) -> None:
    """Make these (verified) assignments the certification's set; triggers re-decide holders."""
    conn.execute(
        "delete from public.certification_assignments"
        " where certification_id = %s and not (assignment_id = any(%s))",
        (certification_id, assignment_ids),
    )
    with conn.cursor() as cur:
        cur.executemany(
            "insert into public.certification_assignments"
            " (certification_id, assignment_id, company_id) values (%s, %s, %s)"
            " on conflict do nothing",
            [(certification_id, a, company_id) for a in assignment_ids],
        )


def update(
    conn: Connection,
    certification_id: uuid.UUID,
    *,
    name: str | None,
    validity_days: int | None,
    no_expiry: bool,
) -> bool:
    """Rename or change the validity (None keeps it; `no_expiry` clears it); False when none."""
    row = conn.execute(
        "update public.certifications set name = coalesce(%(name)s, name),"
        " validity_days = case when %(no_expiry)s then null"
        "   else coalesce(%(validity)s, validity_days) end"
        " where id = %(id)s returning id",
        {"name": name, "validity": validity_days, "no_expiry": no_expiry, "id": certification_id},
    ).fetchone()
    return row is not None


def delete(conn: Connection, certification_id: uuid.UUID) -> bool:
    """Delete a certification and its holders (RLS: managers); False when none."""
    row = conn.execute(
        "delete from public.certifications where id = %s returning id", (certification_id,)
    ).fetchone()
    return row is not None


def listing(conn: Connection, certification_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    """The company's certifications (or one), by name."""
    return conn.execute(
        f"select {_CERTIFICATION} from public.certifications c"
        " where %(id)s::uuid is null or c.id = %(id)s::uuid order by c.name, c.id",
        {"id": certification_id},
    ).fetchall()


def assignments(conn: Connection, certification_ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    """The assignments of these certifications, with their titles."""
    return conn.execute(
        "select ca.certification_id, a.id, a.title from public.certification_assignments ca"
        " join public.assignments a on a.id = ca.assignment_id"
        " where ca.certification_id = any(%s) order by a.due_at, a.id",
        (certification_ids,),
    ).fetchall()


def holders(conn: Connection, certification_ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    """Holders the caller can see (their own; managers everyone's), `expired` by the db clock."""
    return conn.execute(
        "select h.certification_id, h.user_id, p.full_name, h.certified_at, h.expires_at,"
        " h.evidence, coalesce(h.expires_at <= now(), false) as expired"
        " from public.certification_holders h join public.profiles p on p.id = h.user_id"
        " where h.certification_id = any(%s) order by h.certified_at, h.user_id",
        (certification_ids,),
    ).fetchall()
