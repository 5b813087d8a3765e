"""Every request and response of the grading function, as pydantic models (the OpenAPI contract).

A scorecard (`Feedback`) is one of three shapes, told apart by `status`: still pending (or given
up), too little conversation to grade, or graded. Everything a reader sees is here; what is only
stored (per-sample scores, usage) is not.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from dojo.auth import RoleName

SessionStatus = Literal["created", "active", "ended", "failed"]
GradingStatus = Literal[
    "graded", "insufficient", "already_graded", "in_progress", "not_found", "not_ended"
]


class _Out(BaseModel):
    """A response: every field is always present in the answer (defaults included)."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


# --- requests -----------------------------------------------------------------------------------


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


class GradingEvent(BaseModel):
    """The hook's body: a session ended (grade it) or a manager asked for a regrade."""

    type: Literal["session.ended", "session.regrade"]
    session_id: uuid.UUID
    company_id: uuid.UUID


# --- the hook and the regrade job ---------------------------------------------------------------


class GradingOutcome(_Out):
    """What one delivery of the grading hook did (a regrade may also find no request, or fail)."""

    session_id: uuid.UUID
    status: GradingStatus | Literal["no_request", "failed"]
    overall: float | None = None


class RegradeJob(_Out):
    """The 202 answer to a regrade: poll `status_url` (the scorecard) until `regrading` is false.

    `regrading` while the grader works in the background; a grader fast enough to finish before
    the answer (offline) already says how it ended: graded, insufficient or failed.
    """

    session_id: uuid.UUID
    status: Literal["regrading", "graded", "insufficient", "failed"]
    status_url: str


# --- the scorecard ------------------------------------------------------------------------------


class Quote(_Out):
    """A salesperson quote and the index of the transcript turn it comes from."""

    turn: int
    quote: str


class FeedbackItem(_Out):
    """A strength, an improvement or a recommendation (`try`: a better phrasing to use)."""

    model_config = ConfigDict(populate_by_name=True)

    category: str
    text: str
    quote: str
    turn: int
    try_: str | None = Field(default=None, alias="try")


class CategoryScore(_Out):
    """A rubric category as shown: the override where set, with the model's score beside it."""

    key: str
    name: str
    weight: float
    score: float | None
    model_score: float | None
    overridden: bool
    justification: str | None
    evidence: list[Quote]


class MetricBand(_Out):
    """A published reference range for a metric, with its source, in the reader's language."""

    low: float | None
    high: float | None
    target: float | None
    source: str
    confidence: Literal["primary", "secondary", "assumption"]
    note: str


class FillerCount(_Out):
    """A filler word and how often the salesperson said it."""

    word: str
    count: int


class MetricItem(_Out):
    """One conversation metric computed by code, beside its reference band.

    The extra fields belong to some metrics only: `basis` (talk ratio), `words` (longest turns),
    `count`/`top` (fillers), `by_customer`/`overlap_*` (interruptions).
    """

    key: str
    name: str
    value: float | None
    unit: str
    band: MetricBand | None = None
    status: Literal["below", "within", "above", "n/a"] | None = None
    basis: Literal["time", "words"] | None = None
    words: int | None = None
    count: int | None = None
    top: list[FillerCount] | None = None
    by_customer: int | None = None
    overlap_seconds: float | None = None
    overlap_pct: float | None = None


class BySpeaker(_Out):
    """A count per side of the conversation."""

    salesperson: int
    customer: int


class QuestionExample(_Out):
    """A question the salesperson asked, and whether it was open or closed."""

    turn: int
    text: str
    kind: Literal["open", "closed"]


class Questions(_Out):
    """The salesperson's questions: counts and the first examples."""

    total: int
    open: int
    closed: int
    examples: list[QuestionExample] = []


class Metrics(_Out):
    """The conversation's measures and the metric list shown on the scorecard."""

    mode: str | None
    duration_seconds: float | None
    turns: BySpeaker | None
    words: BySpeaker | None
    questions: Questions | None
    items: list[MetricItem]


class GraderInfo(_Out):
    """Who graded: the stored name, whether a language model was involved, and a label."""

    name: str
    offline: bool
    label: str


class Override(_Out):
    """A manager's override: the scores they set, the resulting overall, why, who and when."""

    overall: float
    scores: dict[str, int]
    note: str | None
    by: uuid.UUID | None
    at: datetime | None


class _FeedbackBase(_Out):
    session_id: uuid.UUID
    user_id: uuid.UUID
    persona: str | None
    mode: Literal["voice", "text"]
    ended_at: datetime | None
    regrading: bool = Field(description="a manager's regrade is running: poll until false")


class PendingFeedback(_FeedbackBase):
    """Not graded (yet): in progress, retrying, or given up after the allowed attempts."""

    status: Literal["pending", "failed"]
    session_status: SessionStatus
    message: str
    grading_attempts: int


class _GradedBase(_FeedbackBase):
    grader: GraderInfo
    rubric_version: str
    metrics: Metrics
    removed_quotes: int
    regrade_failed: bool = Field(description="the last regrade failed: the scores are the previous")
    created_at: datetime
    updated_at: datetime


class InsufficientFeedback(_GradedBase):
    """Too little conversation to grade: the metrics and why, no scores."""

    status: Literal["insufficient"]
    overall: None = None
    message: str | None
    categories: list[CategoryScore] = []


class GradedFeedback(_GradedBase):
    """A graded session: scores per category with evidence, and what to do next time."""

    status: Literal["graded"]
    overall: float | None
    overall_band: str | None
    model_overall: float | None
    categories: list[CategoryScore]
    strengths: list[FeedbackItem]
    improvements: list[FeedbackItem]
    recommendations: list[FeedbackItem]
    override: Override | None


FeedbackShape = Annotated[
    PendingFeedback | InsufficientFeedback | GradedFeedback, Field(discriminator="status")
]


class Feedback(RootModel[FeedbackShape]):
    """A session's scorecard: pending, insufficient or graded (see `status`)."""


# --- progress and the team ----------------------------------------------------------------------


class SeriesPoint(_Out):
    """One graded session in a series: its score and the moving average up to it."""

    session_id: uuid.UUID
    at: datetime
    score: float
    moving_average: float


class Series(_Out):
    """Scores over time with the latest, the change since the previous and the moving average."""

    series: list[SeriesPoint]
    latest: float | None
    change_since_last: float | None
    moving_average: float | None


class CategorySeries(Series):
    """A rubric category's series."""

    key: str
    name: str


class TeamAverage(_Out):
    """The team's averages (per session, then per person, then over people)."""

    overall: float | None
    categories: dict[str, float | None]
    metrics: dict[str, float | None]
    people: int


class Progress(_Out):
    """The caller's scores over time beside the team's average (aggregates only)."""

    user_id: uuid.UUID
    sessions: int
    window: int
    overall: Series
    categories: list[CategorySeries]
    team_average: TeamAverage


class RubricCategory(_Out):
    """A category of the current rubric, named in the reader's language."""

    key: str
    name: str
    weight: float


class TeamMember(_Out):
    """A person's averages per category and metric, and the difference to the team's."""

    user_id: uuid.UUID
    full_name: str | None
    email: str | None
    role: RoleName
    sessions: int
    last_activity: datetime | None
    overall: float | None
    categories: dict[str, float | None]
    metrics: dict[str, float | None]
    vs_team: dict[str, float | None]


class Team(_Out):
    """Per salesperson averages beside the team average (managers and admins)."""

    rubric_version: str
    categories: list[RubricCategory]
    team_average: TeamAverage
    members: list[TeamMember]


# --- the leaderboard ------------------------------------------------------------------------------

Period = Literal["week", "month", "quarter"]
BoardCategory = Literal["overall", "rapport", "discovery", "objection_handling", "closing"]


class LeaderboardEntry(_Out):
    """One person: ranked (ties share a rank), or listed with too few sessions to rank."""

    user_id: uuid.UUID
    name: str | None
    rank: int | None = Field(description="null: not enough graded sessions in the period")
    tied: bool
    score: float | None = Field(description="mean score of the graded sessions in the period")
    sessions: int
    status: Literal["ranked", "not_enough_sessions"]
    is_me: bool


class Leaderboard(_Out):
    """Who leads, by the mean of their graded sessions in the period (the override counts)."""

    period: Period
    category: BoardCategory
    since: datetime
    min_sessions: int
    entries: list[LeaderboardEntry]
