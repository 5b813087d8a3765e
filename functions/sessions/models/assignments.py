"""What the assignments API accepts and answers.

An assignment asks one or more people to practise a persona (or any active persona of a
difficulty) in a mode before a due date, with a pass mark (overall, and optionally per category)
and a number of attempts (null: unlimited). Each assignee's state is decided in the database
(`private.decide_assignee`); these models only carry it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

AssigneeStatus = Literal["assigned", "in_progress", "passed", "failed", "overdue"]
Difficulty = Literal["easy", "medium", "hard"]
# the rubric's categories (grading's rubric 2026-11-v1); sessions never imports grading
CategoryKey = Literal["rapport", "discovery", "objection_handling", "closing"]
Score = Annotated[float, Field(ge=0, le=100)]
Title = Annotated[str, Field(min_length=1, max_length=200)]
Attempts = Annotated[int, Field(ge=1, le=100)]
Row = Mapping[str, Any]
STATUSES: tuple[AssigneeStatus, ...] = ("assigned", "in_progress", "passed", "failed", "overdue")


class AssignmentIn(BaseModel):
    """A new assignment: a persona or a difficulty, and whom (people, or the whole team)."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    persona_id: uuid.UUID | None = None
    difficulty: Difficulty | None = None
    mode: Literal["voice", "text"] = "text"
    assignee_ids: list[uuid.UUID] = Field(default_factory=list, max_length=500)
    whole_team: bool = Field(default=False, description="every salesperson of the company now")
    due_at: AwareDatetime
    pass_mark: Score = Field(description="the overall score an attempt must reach, 0-100")
    category_minimums: dict[CategoryKey, Score] | None = None
    max_attempts: Attempts | None = Field(default=None, description="null: unlimited")

    @model_validator(mode="after")
    def _targets(self) -> Self:
        if (self.persona_id is None) == (self.difficulty is None):
            raise ValueError("give persona_id or difficulty (one of the two)")
        if bool(self.assignee_ids) == self.whole_team:
            raise ValueError("give assignee_ids or whole_team: true (one of the two)")
        return self


class AssignmentPatch(BaseModel):
    """A manager's change to an assignment's terms (every assignee is decided again)."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    due_at: AwareDatetime | None = None
    pass_mark: Score | None = None
    category_minimums: dict[CategoryKey, Score] | None = None
    max_attempts: Attempts | None = None
    unlimited_attempts: bool = Field(default=False, description="true: max_attempts becomes null")
    add_assignee_ids: list[uuid.UUID] = Field(default_factory=list, max_length=500)

    @model_validator(mode="after")
    def _attempts(self) -> Self:
        if self.unlimited_attempts and self.max_attempts is not None:
            raise ValueError("give max_attempts or unlimited_attempts, not both")
        return self


class AssignmentPersona(BaseModel):
    """The persona of an assignment as anyone assigned may see it (no secrets)."""

    id: uuid.UUID
    name: str | None
    role: str | None
    difficulty: str | None


class Assignee(BaseModel):
    """One assignee's state: attempts, and the scorecard (session) that decided it."""

    user_id: uuid.UUID
    name: str | None = None
    email: str | None = None
    status: AssigneeStatus
    attempts: int
    attempts_left: int | None = Field(description="null: unlimited")
    score: float | None = Field(description="the deciding attempt's overall")
    session_id: uuid.UUID | None = Field(description="the deciding attempt (its scorecard)")
    passed_at: datetime | None
    decided_at: datetime

    @classmethod
    def from_row(cls, row: Row, max_attempts: int | None) -> Self:
        """An assignee row (with the person's name and email when the query joined them)."""
        attempts = int(row["attempts"])
        left = None if max_attempts is None else max(0, max_attempts - attempts)
        score = row["score"]
        return cls(
            user_id=row["user_id"],
            name=row.get("full_name"),
            email=row.get("email"),
            status=row["status"],
            attempts=attempts,
            attempts_left=left,
            score=None if score is None else float(score),
            session_id=row["session_id"],
            passed_at=row["passed_at"],
            decided_at=row["decided_at"],
        )


class Assignment(BaseModel):
    """An assignment. In `mine` it carries the caller's state (`status`, `attempts`, ...); in
    `team` (managers) every assignee and a count per status."""

    id: uuid.UUID
    title: str | None
    persona: AssignmentPersona | None
    difficulty: Difficulty | None
    mode: Literal["voice", "text"]
    due_at: datetime
    pass_mark: float
    category_minimums: dict[str, float]
    max_attempts: int | None
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    status: AssigneeStatus | None = None
    attempts: int | None = None
    attempts_left: int | None = None
    score: float | None = None
    session_id: uuid.UUID | None = None
    assignees: list[Assignee] | None = None
    counts: dict[AssigneeStatus, int] | None = None

    @classmethod
    def from_row(
        cls, row: Row, *, mine: Row | None = None, assignees: Sequence[Row] | None = None
    ) -> Self:
        """The view of an assignment row, with the caller's state or with everyone's."""
        persona = None
        if row["persona_id"] is not None:
            persona = AssignmentPersona(
                id=row["persona_id"],
                name=row["persona_name"],
                role=row["persona_role"],
                difficulty=row["persona_difficulty"],
            )
        out = cls(
            id=row["id"],
            title=row["title"],
            persona=persona,
            difficulty=row["difficulty"],
            mode=row["mode"],
            due_at=row["due_at"],
            pass_mark=float(row["pass_mark"]),
            category_minimums={k: float(v) for k, v in row["category_minimums"].items()},
            max_attempts=row["max_attempts"],
            created_by=row["created_by"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )
        if mine is not None:
            state = Assignee.from_row(mine, out.max_attempts)
            out.status, out.attempts, out.attempts_left = (
                state.status,
                state.attempts,
                state.attempts_left,
            )
            out.score, out.session_id = state.score, state.session_id
        if assignees is not None:
            out.assignees = [Assignee.from_row(a, out.max_attempts) for a in assignees]
            out.counts = {s: sum(a.status == s for a in out.assignees) for s in STATUSES}
        return out


class AssignmentList(BaseModel):
    """Assignments, soonest due first."""

    scope: Literal["mine", "team"]
    items: list[Assignment]
