"""The analytics dashboard's models: the heatmap, trends, the weakest category, activity and the
conversation metrics' distributions (`GET /api/v1/feedback/analytics`, the team report, the CSVs).

A number computed from too few sessions means nothing, so a cell below the minimum carries
`status: "insufficient"` and no average; the session count is always there.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import Field

from dojo.auth import RoleName
from grading.models import MetricBand, RubricCategory, _Out

Period = Literal["30d", "90d", "365d", "all"]
Mode = Literal["voice", "text"]
CellStatus = Literal["ok", "insufficient"]


class AnalyticsQuery(_Out):
    """What the dashboard covers: a period ending now and optional filters."""

    period: Period = "30d"
    user_id: uuid.UUID | None = None
    persona_id: uuid.UUID | None = None
    mode: Mode | None = None


class PeriodRange(_Out):
    """The period as instants: [start, end), and the previous period of the same length
    [previous_start, start) that changes are measured against (none for `all`)."""

    period: Period
    start: datetime | None
    end: datetime
    previous_start: datetime | None


class Cell(_Out):
    """An average over some sessions; `insufficient` (and no average) below the minimum."""

    sessions: int
    average: float | None
    status: CellStatus


class HeatCell(Cell):
    """A person's (or the team's) cell for one rubric category."""

    category: str


class HeatRow(_Out):
    """A salesperson's row of the heatmap: overall and one cell per category."""

    user_id: uuid.UUID
    name: str
    email: str | None
    role: RoleName
    sessions: int = Field(description="graded sessions in the period and filters")
    overall: Cell
    cells: list[HeatCell]


class TeamRow(_Out):
    """The team's row: per category, the mean of the averages of people with enough sessions."""

    sessions: int
    people: int = Field(description="people with enough sessions in at least one category")
    overall: Cell
    cells: list[HeatCell]


class Heatmap(_Out):
    """Salespeople × categories, with the number of sessions behind every cell."""

    min_sessions: int
    categories: list[RubricCategory]
    rows: list[HeatRow]
    team: TeamRow


class TrendPoint(_Out):
    """A graded session's score in a category and the moving average up to it."""

    session_id: uuid.UUID
    at: datetime
    score: float
    moving_average: float


class CategoryTrend(_Out):
    """A person's category over the period: points, the latest moving average, and the change of
    the period's average against the previous period's (only when both have enough sessions)."""

    category: str
    sessions: int
    average: float | None
    previous_sessions: int
    previous_average: float | None
    change: float | None
    moving_average: float | None
    points: list[TrendPoint]


class PersonTrend(_Out):
    """One salesperson's trend per category."""

    user_id: uuid.UUID
    name: str
    categories: list[CategoryTrend]


class WeakestPerson(_Out):
    """The person with the lowest average (enough sessions) in the weakest category."""

    user_id: uuid.UUID
    name: str
    average: float
    sessions: int


class WeakestCategory(_Out):
    """The category with the lowest team average, and who is weakest in it."""

    category: str
    name: str
    team_average: float
    people: int
    person: WeakestPerson | None


class WeekActivity(_Out):
    """Practice in one ISO week (Monday start, UTC)."""

    week: str = Field(description="ISO week, e.g. 2026-W49")
    week_start: date
    sessions: int
    minutes: float
    voice: int
    text: int


class PersonActivity(_Out):
    """A person's practice in the period: totals and per ISO week (weeks with practice only)."""

    user_id: uuid.UUID
    name: str
    sessions: int
    minutes: float
    voice: int
    text: int
    weeks: list[WeekActivity]


class Activity(_Out):
    """Ended sessions (graded or not) in the period: team totals, the weeks, each person."""

    sessions: int
    minutes: float
    voice: int
    text: int
    weeks: list[str] = Field(description="the ISO weeks with practice, in order")
    people: list[PersonActivity]


class HistogramBin(_Out):
    """Sessions whose value falls in [low, high) (the last bin includes `high`)."""

    low: float
    high: float
    sessions: int


class MetricDistribution(_Out):
    """A conversation metric over the period's graded sessions against its reference band.

    `below`/`within`/`above` count sessions by the band status their scorecard showed; values are
    absent for metrics not measured in the period (e.g. per-minute rates of text sessions).
    """

    key: str
    name: str
    unit: str
    sessions: int
    mean: float | None
    minimum: float | None
    p10: float | None
    p25: float | None
    median: float | None
    p75: float | None
    p90: float | None
    maximum: float | None
    below: int
    within: int
    above: int
    band: MetricBand | None
    histogram: list[HistogramBin]


class AssignmentPassRate(_Out):
    """Of an assignment's assignees, how many passed."""

    assignment_id: uuid.UUID
    title: str
    assignees: int
    passed: int
    pass_rate: float | None


class TeamTable(_Out):
    """A period's heatmap and practice: the team table (CSV, reports)."""

    period: PeriodRange
    heatmap: Heatmap
    activity: Activity


class Analytics(_Out):
    """The manager's analytics for a period (managers and admins of the company)."""

    period: PeriodRange
    filters: AnalyticsQuery
    rubric_version: str
    heatmap: Heatmap
    trends: list[PersonTrend]
    weakest: WeakestCategory | None
    activity: Activity
    metrics: list[MetricDistribution]
    assignments: list[AssignmentPassRate] | None = Field(
        description="pass rates per assignment; null where this deployment has no assignments"
    )
