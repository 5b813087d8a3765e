"""A manager's override of a session's scores, with a note; the model's scores stay beside it.

The write goes through RLS as the manager (the policy allows managers of the company to update
only the override columns), so the database itself enforces who may override what.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, Field, model_validator

from dojo.auth import Principal
from dojo.db import Connection, jsonb
from dojo.errors import BadRequest, Conflict, NotFound
from grading import rubric
from grading.messages import caller_locale, text


class OverrideIn(BaseModel):
    """New scores for some categories and why, or `clear` to go back to the model's scores."""

    scores: dict[str, int] | None = None
    note: str | None = Field(default=None, min_length=1, max_length=2000)
    clear: bool = False

    @model_validator(mode="after")
    def _complete(self) -> OverrideIn:
        if self.clear:
            return self
        if not self.scores or not self.note or not self.note.strip():
            raise ValueError("an override needs scores for at least one category and a note")
        if any(not 0 <= v <= 100 for v in self.scores.values()):
            raise ValueError("scores must be between 0 and 100")
        return self


def apply(conn: Connection, principal: Principal, session_id: uuid.UUID, body: OverrideIn) -> None:
    """Set (or clear) the override of a session's feedback the manager can see."""
    row = conn.execute(
        "select status, scores, rubric_version from public.feedback where session_id = %s",
        (session_id,),
    ).fetchone()
    if row is None:
        raise NotFound(text("feedback_not_found", caller_locale(conn)))
    if body.clear:
        conn.execute(
            "update public.feedback set override_scores = null, override_overall = null,"
            " override_note = null, overridden_by = null, overridden_at = null"
            " where session_id = %s",
            (session_id,),
        )
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
    conn.execute(
        "update public.feedback set override_scores = %s, override_overall = %s,"
        " override_note = %s, overridden_by = %s, overridden_at = now() where session_id = %s",
        (
            jsonb(body.scores),
            frozen.overall(merged),
            body.note.strip(),
            principal.user_id,
            session_id,
        ),
    )
