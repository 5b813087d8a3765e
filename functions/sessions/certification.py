"""Certifications: a named set of assignments; passing all of them certifies, until it expires.

Who holds a certification is decided in the database when an assignee passes (or stops passing)
and when a manager changes the certification's set or validity; this module validates what
managers send and shapes what people read.
"""

from __future__ import annotations

import uuid
from typing import Any

from dojo.auth import Principal
from dojo.db import Connection
from dojo.errors import NotFound
from sessions.assignments import Unprocessable
from sessions.models import (
    Certification,
    CertificationAssignment,
    CertificationIn,
    CertificationList,
    CertificationPatch,
    Holder,
)
from sessions.store import certifications as store


def _assignments(conn: Connection, assignment_ids: list[uuid.UUID]) -> list[uuid.UUID]:
    wanted = list(dict.fromkeys(assignment_ids))
    visible = store.visible_assignments(conn, wanted)
    unknown = [a for a in wanted if a not in visible]
    if unknown:
        raise Unprocessable(
            "some assignments do not exist",
            code="unknown_assignments",
            details={"assignment_ids": [str(a) for a in unknown]},
        )
    return wanted


def create(conn: Connection, principal: Principal, body: CertificationIn) -> Certification:
    """Create a certification over existing assignments; whoever already passed them all holds
    it at once."""
    assert principal.company_id is not None
    wanted = _assignments(conn, body.assignment_ids)
    certification_id = store.insert(
        conn,
        company_id=principal.company_id,
        created_by=principal.user_id,
        name=body.name.strip(),
        validity_days=body.validity_days,
    )
    store.set_assignments(conn, certification_id, principal.company_id, wanted)
    return view(conn, principal, certification_id)


def change(
    conn: Connection, principal: Principal, certification_id: uuid.UUID, body: CertificationPatch
) -> Certification:
    """Rename, change the validity or the set of assignments; holders are decided again."""
    assert principal.company_id is not None
    name = body.name.strip() if body.name else None
    if not store.update(
        conn,
        certification_id,
        name=name,
        validity_days=body.validity_days,
        no_expiry=body.no_expiry,
    ):
        raise NotFound("certification not found")
    if body.assignment_ids is not None:
        wanted = _assignments(conn, body.assignment_ids)
        store.set_assignments(conn, certification_id, principal.company_id, wanted)
    return view(conn, principal, certification_id)


def remove(conn: Connection, certification_id: uuid.UUID) -> None:
    """Delete a certification (its holders go with it)."""
    if not store.delete(conn, certification_id):
        raise NotFound("certification not found")


def _shape(
    row: dict[str, Any],
    principal: Principal,
    assignments: list[dict[str, Any]],
    holders: list[dict[str, Any]],
    team: bool,
) -> Certification:
    mine = next((h for h in holders if h["user_id"] == principal.user_id), None)
    own = Holder.from_row(mine) if mine else None
    return Certification(
        id=row["id"],
        name=row["name"],
        validity_days=row["validity_days"],
        created_at=row["created_at"],
        assignments=[CertificationAssignment(id=a["id"], title=a["title"]) for a in assignments],
        status=own.status if own else "not_certified",
        certified_at=own.certified_at if own else None,
        expires_at=own.expires_at if own else None,
        evidence=own.evidence if own else [],
        holders=[Holder.from_row(h) for h in holders] if team else None,
    )


def listing(conn: Connection, principal: Principal, scope: str) -> CertificationList:
    """The company's certifications with the caller's status; `team` lists every holder."""
    team = scope == "team"
    rows = store.listing(conn)
    ids = [r["id"] for r in rows]
    by_cert: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for a in store.assignments(conn, ids):
        by_cert.setdefault(a["certification_id"], []).append(a)
    held: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for h in store.holders(conn, ids):
        held.setdefault(h["certification_id"], []).append(h)
    items = [
        _shape(r, principal, by_cert.get(r["id"], []), held.get(r["id"], []), team) for r in rows
    ]
    return CertificationList(scope="team" if team else "mine", items=items)


def view(conn: Connection, principal: Principal, certification_id: uuid.UUID) -> Certification:
    """One certification; managers see its holders."""
    rows = store.listing(conn, certification_id)
    if not rows:
        raise NotFound("certification not found")
    return _shape(
        rows[0],
        principal,
        store.assignments(conn, [certification_id]),
        store.holders(conn, [certification_id]),
        principal.at_least("manager"),
    )
