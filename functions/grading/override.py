"""A manager's override of a session's scores, with a note; the model's scores stay beside it.

The write goes through RLS as the manager (the policy allows managers of the company to update
only the override columns), so the database itself enforces who may override what.
"""

from __future__ import annotations

import uuid
from typing import Any

from dojo.auth import Principal
from dojo.db import Connection
from dojo.errors import BadRequest, Conflict, NotFound
from grading import rubric
from grading.messages import caller_locale, text
from grading.models import OverrideIn
from grading.store import feedback as store


def apply(conn: Connection, principal: Principal, session_id: uuid.UUID, body: OverrideIn) -> None:
    """Set (or clear) the override of a session's feedback the manager can see."""
    row = store.feedback_scores(conn, session_id)
    if row is None:
        raise NotFound(text("feedback_not_found", caller_locale(conn)))
    if body.clear:
        store.clear_override(conn, session_id)
        return
    if row["status"] != "graded":
        raise Conflict(text("too_little_to_override", caller_locale(conn)))
    frozen = rubric.load(row["rubric_version"])
    assert body.scores is not None
    assert body.note is not None
    unknown = sorted(set(body.scores) - set(frozen.keys))
    if unknown:
        raise BadRequest(
            text("unknown_categories", caller_locale(conn), categories=", ".join(unknown)),
            details={"categories": frozen.keys},
        )
    merged: dict[str, Any] = {k: v["score"] for k, v in row["scores"].items()}
    merged.update(body.scores)
    store.set_override(
        conn,
        session_id,
        scores=body.scores,
        overall=frozen.overall(merged),
        note=body.note.strip(),
        by=principal.user_id,
    )
