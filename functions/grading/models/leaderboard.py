"""The leaderboard's models (`GET /api/v1/feedback/leaderboard`): who leads a period, by category
or overall, with ties and people below the minimum shown as such."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from grading.models import _Out

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
