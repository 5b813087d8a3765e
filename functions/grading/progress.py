"""Scores over time and across the team: a salesperson's progress, the team comparison.

Reads run in the caller's tenant transaction (RLS decides whose feedback is there). A manager's
override is what counts as the score. Team averages are means per session, then per person, then
over people, so one prolific salesperson does not outweigh the others.
"""

from __future__ import annotations

import statistics
import uuid
from datetime import datetime
from typing import Any

from dojo.auth import Principal
from dojo.db import Connection
from dojo.settings import get_settings
from grading import drills, rubric
from grading.messages import caller_locale, company_locale
from grading.models import (
    CategorySeries,
    Progress,
    RubricCategory,
    Series,
    SeriesPoint,
    Team,
    TeamAverage,
    TeamMember,
)
from grading.store import coach as coach_store
from grading.store import feedback as store
from grading.views import effective_overall, effective_scores

MOVING_WINDOW = 3
_TEAM_METRICS = ("talk_ratio", "questions_per_10_min", "fillers_per_100_words")

Point = tuple[uuid.UUID, datetime, float]


def _series(points: list[Point], window: int) -> Series:
    values = [v for _, _, v in points]
    series = []
    for i, (session_id, at, value) in enumerate(points):
        recent = values[max(0, i - window + 1) : i + 1]
        series.append(
            SeriesPoint(
                session_id=session_id,
                at=at,
                score=value,
                moving_average=round(statistics.fmean(recent), 2),
            )
        )
    return Series(
        series=series,
        latest=values[-1] if values else None,
        change_since_last=round(values[-1] - values[-2], 2) if len(values) >= 2 else None,
        moving_average=series[-1].moving_average if series else None,
    )


def my_progress(conn: Connection, principal: Principal, window: int = MOVING_WINDOW) -> Progress:
    """The caller's scores over time, per category and overall, with a moving average, and the
    team's average per category for comparison (an aggregate: nobody's rows are exposed)."""
    rows = store.graded(conn, principal.user_id)
    locale = caller_locale(conn)
    current = rubric.load(get_settings().rubric_version)
    keys = list(current.keys)
    for row in rows:
        keys += [k for k in effective_scores(row) if k not in keys]
    categories = []
    for key in keys:
        points = [
            (r["session_id"], r["at"], effective_scores(r)[key])
            for r in rows
            if key in effective_scores(r)
        ]
        name = current.category(key).title(locale) if key in current.keys else key
        categories.append(
            CategorySeries(key=key, name=name, **_series(points, window).model_dump())
        )
    overall_points = [
        (r["session_id"], r["at"], o) for r in rows if (o := effective_overall(r)) is not None
    ]
    # RLS shows a salesperson only their own feedback; the team average is computed over the
    # company's rows (every read names the caller's present company) and only averages leave.
    # Same connection, last step: a request never holds two connections of the pool.
    assert principal.company_id is not None  # CurrentUser is a present member
    history = [effective_scores(r) for r in rows]
    plan = drills.plan(history, current, coach_store.drill_personas(conn), locale, window)
    store.as_service(conn)
    team_average = team(conn, principal.company_id).team_average
    return Progress(
        user_id=principal.user_id,
        sessions=len(rows),
        window=window,
        overall=_series(overall_points, window),
        categories=categories,
        team_average=team_average,
        plan=plan,
    )


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 2) if values else None


def _member(person: dict[str, Any], sessions: list[dict[str, Any]], keys: list[str]) -> TeamMember:
    """One person's averages: each session contributes one value per category, then the mean."""
    categories = {
        key: _mean([s for r in sessions if (s := effective_scores(r).get(key)) is not None])
        for key in keys
    }
    measured = {
        key: _mean(
            [
                float(v)
                for r in sessions
                if (v := (r["metrics"] or {}).get(key, {}).get("value")) is not None
            ]
        )
        for key in _TEAM_METRICS
    }
    return TeamMember(
        user_id=person["id"],
        full_name=person["full_name"],
        email=person["email"],
        role=person["role"],
        sessions=len(sessions),
        last_activity=person["last_activity"],
        overall=_mean([o for r in sessions if (o := effective_overall(r)) is not None]),
        categories=categories,
        metrics=measured,
        vs_team={},
    )


def _difference(mine: float | None, team: float | None) -> float | None:
    return None if mine is None or team is None else round(mine - team, 2)


def _team_average(members: list[TeamMember], keys: list[str]) -> TeamAverage:
    graded = [m for m in members if m.sessions]

    def mean_of(values: list[float | None]) -> float | None:
        return _mean([v for v in values if v is not None])

    return TeamAverage(
        overall=mean_of([m.overall for m in graded]),
        categories={key: mean_of([m.categories[key] for m in graded]) for key in keys},
        metrics={key: mean_of([m.metrics[key] for m in graded]) for key in _TEAM_METRICS},
        people=len(graded),
    )


def team(conn: Connection, company_id: uuid.UUID, since: datetime | None = None) -> Team:
    """Per salesperson averages per category (per session first, then per person) vs the team.

    Every read names the company, so it is the same under a manager's RLS and as the service role
    (a salesperson's progress compares with the team average computed that way).
    """
    rows = store.graded(conn, None, since, company_id)
    people = store.people(conn, company_id)
    locale = company_locale(conn, company_id)
    current = rubric.load(get_settings().rubric_version)
    by_person: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for row in rows:
        by_person.setdefault(row["user_id"], []).append(row)
    members = [
        _member(person, by_person.get(person["id"], []), current.keys)
        for person in people
        if by_person.get(person["id"]) or person["role"] == "salesperson"
    ]
    average = _team_average(members, current.keys)
    for member in members:
        member.vs_team = {
            key: _difference(member.categories[key], average.categories[key])
            for key in current.keys
        }
    return Team(
        rubric_version=current.version,
        categories=[
            RubricCategory(key=c.key, name=c.title(locale), weight=c.weight)
            for c in current.categories
        ],
        team_average=average,
        members=members,
    )
