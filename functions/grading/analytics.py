"""The manager's analytics: a heatmap of salespeople × categories, trends, the weakest category,
practice activity and the conversation metrics' distributions against their bands.

The database aggregates (the `private.analytics_*` functions, called through
`grading.store.analytics`); the plain functions here turn those rows into the typed answer. The
rules: a cell with fewer than `MIN_SESSIONS` graded sessions is `insufficient` and shows no number;
the team's average is the mean of the averages of people with enough sessions (per session, then
per person, then over people, like the team view), so one prolific salesperson does not outweigh
the others; a change compares the period with the previous period of the same length.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from dojo.db import Connection
from dojo.settings import get_settings
from grading import bands, rubric
from grading.messages import company_locale
from grading.models import MetricBand, RubricCategory
from grading.models.analytics import (
    Activity,
    Analytics,
    AnalyticsQuery,
    CategoryTrend,
    Cell,
    HeatCell,
    Heatmap,
    HeatRow,
    HistogramBin,
    MetricDistribution,
    Period,
    PeriodRange,
    PersonActivity,
    PersonTrend,
    TeamRow,
    TeamTable,
    TrendPoint,
    WeakestCategory,
    WeakestPerson,
    WeekActivity,
)
from grading.store import analytics as store
from grading.views import METRIC_NAMES

MIN_SESSIONS = 3  # below this, an average is noise: the cell says "insufficient"
MOVING_WINDOW = 3
HISTOGRAM_BINS = 10
PERIOD_DAYS: dict[str, int | None] = {"30d": 30, "90d": 90, "365d": 365, "all": None}
METRIC_UNITS = {
    "talk_ratio": "ratio",
    "questions_per_10_min": "questions/10 min",
    "longest_monologue_seconds": "s",
    "patience_seconds": "s",
    "fillers_per_100_words": "per 100 words",
    "words_per_minute": "wpm",
}

Cells = dict[tuple[uuid.UUID, str], tuple[int, float]]


def period_range(period: Period, now: datetime | None = None) -> PeriodRange:
    """The period ending now as [start, end), with the previous period of the same length."""
    end = now or datetime.now(UTC)
    days = PERIOD_DAYS[period]
    if days is None:
        return PeriodRange(period=period, start=None, end=end, previous_start=None)
    start = end - timedelta(days=days)
    return PeriodRange(period=period, start=start, end=end, previous_start=start - (end - start))


def cell(sessions: int, average: float | None, min_sessions: int = MIN_SESSIONS) -> Cell:
    """An average that is shown only when enough sessions stand behind it."""
    if sessions < min_sessions or average is None:
        return Cell(sessions=sessions, average=None, status="insufficient")
    return Cell(sessions=sessions, average=round(average, 2), status="ok")


def _heat(key: str, sessions: int, average: float | None) -> HeatCell:
    return HeatCell(category=key, **cell(sessions, average).model_dump())


def _by_cell(rows: Iterable[dict[str, Any]]) -> Cells:
    return {(r["user_id"], r["category"]): (int(r["sessions"]), float(r["average"])) for r in rows}


def _name(person: dict[str, Any]) -> str:
    return str(person.get("full_name") or person.get("email") or person["id"])


def _team_row(rows: list[HeatRow], keys: list[str]) -> TeamRow:
    """Per category: the mean of sufficient personal averages; insufficient when nobody has
    enough sessions. Sessions count every graded session of the category."""
    cells = []
    for i, key in enumerate(keys):
        shown = [a for r in rows if (a := r.cells[i].average) is not None]
        total = sum(r.cells[i].sessions for r in rows)
        # the team's cell is as good as the personal cells behind it (the minimum applied there)
        cells.append(
            HeatCell(
                category=key,
                sessions=total,
                average=round(sum(shown) / len(shown), 2) if shown else None,
                status="ok" if shown else "insufficient",
            )
        )
    overall = [a for r in rows if (a := r.overall.average) is not None]
    people = sum(1 for r in rows if any(c.status == "ok" for c in r.cells))
    return TeamRow(
        sessions=sum(r.sessions for r in rows),
        people=people,
        overall=Cell(
            sessions=sum(r.overall.sessions for r in rows),
            average=round(sum(overall) / len(overall), 2) if overall else None,
            status="ok" if overall else "insufficient",
        ),
        cells=cells,
    )


def heatmap(
    people: list[dict[str, Any]], current: Cells, categories: list[RubricCategory]
) -> Heatmap:
    """The heatmap of `people` (in order) over the rubric's categories."""
    keys = [c.key for c in categories]
    rows = []
    for person in people:
        overall_n, overall_avg = current.get((person["id"], "overall"), (0, None))
        cells = [_heat(k, *current.get((person["id"], k), (0, None))) for k in keys]
        rows.append(
            HeatRow(
                user_id=person["id"],
                name=_name(person),
                email=person.get("email"),
                role=person["role"],
                sessions=overall_n,
                overall=cell(overall_n, overall_avg),
                cells=cells,
            )
        )
    return Heatmap(
        min_sessions=MIN_SESSIONS, categories=categories, rows=rows, team=_team_row(rows, keys)
    )


def weakest(heat: Heatmap) -> WeakestCategory | None:
    """The category with the lowest team average and the person weakest in it (both among
    cells with enough sessions); None when no category has enough data."""
    scored = [
        (c, t)
        for c, t in zip(heat.categories, heat.team.cells, strict=True)
        if t.average is not None
    ]
    if not scored:
        return None
    category, team_cell = min(scored, key=lambda pair: (pair[1].average or 0.0, pair[0].key))
    index = heat.categories.index(category)
    ranked = [(r, r.cells[index]) for r in heat.rows if r.cells[index].average is not None]
    person = None
    if ranked:
        row, worst = min(ranked, key=lambda pair: (pair[1].average or 0.0, pair[0].name))
        person = WeakestPerson(
            user_id=row.user_id,
            name=row.name,
            average=worst.average or 0.0,
            sessions=worst.sessions,
        )
    return WeakestCategory(
        category=category.key,
        name=category.name,
        team_average=team_cell.average or 0.0,
        people=len(ranked),
        person=person,
    )


def trends(
    people: list[dict[str, Any]],
    keys: list[str],
    current: Cells,
    previous: Cells | None,
    points: list[dict[str, Any]],
) -> list[PersonTrend]:
    """Each person's category trends: points with the moving average, the period's average and
    its change against the previous period (both with enough sessions; none for `all`)."""
    series: dict[tuple[uuid.UUID, str], list[TrendPoint]] = {}
    for p in points:
        series.setdefault((p["user_id"], p["category"]), []).append(
            TrendPoint(
                session_id=p["session_id"],
                at=p["at"],
                score=float(p["score"]),
                moving_average=float(p["moving_average"]),
            )
        )
    out = []
    for person in people:
        categories = []
        for key in keys:
            now = cell(*current.get((person["id"], key), (0, None)))
            before = cell(*(previous or {}).get((person["id"], key), (0, None)))
            line = series.get((person["id"], key), [])
            change = None
            if now.average is not None and before.average is not None:
                change = round(now.average - before.average, 2)
            categories.append(
                CategoryTrend(
                    category=key,
                    sessions=now.sessions,
                    average=now.average,
                    previous_sessions=before.sessions,
                    previous_average=before.average,
                    change=change,
                    moving_average=line[-1].moving_average if line else None,
                    points=line,
                )
            )
        out.append(PersonTrend(user_id=person["id"], name=_name(person), categories=categories))
    return out


def activity(people: list[dict[str, Any]], rows: list[dict[str, Any]]) -> Activity:
    """Practice per person and ISO week, and the team's totals."""
    weeks: dict[uuid.UUID, list[WeekActivity]] = {}
    for r in rows:
        weeks.setdefault(r["user_id"], []).append(
            WeekActivity(
                week=r["iso_week"],
                week_start=r["week_start"],
                sessions=r["sessions"],
                minutes=float(r["minutes"]),
                voice=r["voice"],
                text=r["text"],
            )
        )
    listed = []
    for person in people:
        mine = weeks.get(person["id"], [])
        listed.append(
            PersonActivity(
                user_id=person["id"],
                name=_name(person),
                sessions=sum(w.sessions for w in mine),
                minutes=round(sum(w.minutes for w in mine), 1),
                voice=sum(w.voice for w in mine),
                text=sum(w.text for w in mine),
                weeks=mine,
            )
        )
    return Activity(
        sessions=sum(p.sessions for p in listed),
        minutes=round(sum(p.minutes for p in listed), 1),
        voice=sum(p.voice for p in listed),
        text=sum(p.text for p in listed),
        weeks=sorted({w.week for p in listed for w in p.weeks}),
        people=listed,
    )


def _band(key: str, locale: str) -> MetricBand | None:
    band = bands.BANDS.get(key)
    return None if band is None else MetricBand(**bands.band_in(key, asdict(band), locale))


def _histogram(lo: float, hi: float, counts: list[int]) -> list[HistogramBin]:
    width = (hi - lo) / len(counts) if counts else 0.0
    return [
        HistogramBin(
            low=round(lo + i * width, 3), high=round(lo + (i + 1) * width, 3), sessions=count
        )
        for i, count in enumerate(counts)
    ]


def distributions(rows: list[dict[str, Any]], locale: str) -> list[MetricDistribution]:
    """Each dashboard metric's distribution beside its band (every metric listed, measured or
    not, in the scorecard's order)."""
    lang = 0 if locale == "pt-BR" else 1
    found = {r["metric"]: r for r in rows}
    out = []
    for key, unit in METRIC_UNITS.items():
        r = found.get(key)
        q = [round(float(v), 3) for v in r["quantiles"]] if r else [None] * 5
        out.append(
            MetricDistribution(
                key=key,
                name=METRIC_NAMES[key][lang],
                unit=unit,
                sessions=r["sessions"] if r else 0,
                mean=float(r["mean"]) if r else None,
                minimum=float(r["minimum"]) if r else None,
                p10=q[0],
                p25=q[1],
                median=q[2],
                p75=q[3],
                p90=q[4],
                maximum=float(r["maximum"]) if r else None,
                below=r["below"] if r else 0,
                within=r["within"] if r else 0,
                above=r["above"] if r else 0,
                band=_band(key, locale),
                histogram=(
                    _histogram(float(r["minimum"]), float(r["maximum"]), r["histogram"])
                    if r
                    else []
                ),
            )
        )
    return out


def _shown_people(
    people: list[dict[str, Any]], query: AnalyticsQuery, active: set[uuid.UUID]
) -> list[dict[str, Any]]:
    """Salespeople, and anyone else who practised in the period; one person when filtered."""
    if query.user_id is not None:
        return [p for p in people if p["id"] == query.user_id]
    return [p for p in people if p["role"] == "salesperson" or p["id"] in active]


@dataclass
class _Base:
    """What every view of a period reads first: whose cells, who practised, in which words."""

    span: PeriodRange
    scope: store.Scope
    current: Cells
    people: list[dict[str, Any]]
    practice: list[dict[str, Any]]
    locale: str
    frozen: rubric.Rubric
    heat: Heatmap


def _base(
    conn: Connection, company_id: uuid.UUID, query: AnalyticsQuery, now: datetime | None
) -> _Base:
    span = period_range(query.period, now)
    scope = store.Scope(
        company_id, span.start, span.end, query.user_id, query.persona_id, query.mode
    )
    current = _by_cell(store.cells(conn, scope))
    practice = store.activity(conn, scope)
    active = {user for user, _ in current} | {r["user_id"] for r in practice}
    people = _shown_people(store.people(conn, company_id), query, active)
    locale = company_locale(conn, company_id)
    frozen = rubric.load(get_settings().rubric_version)
    categories = [
        RubricCategory(key=c.key, name=c.title(locale), weight=c.weight) for c in frozen.categories
    ]
    heat = heatmap(people, current, categories)
    return _Base(span, scope, current, people, practice, locale, frozen, heat)


def team_table(
    conn: Connection, company_id: uuid.UUID, query: AnalyticsQuery, now: datetime | None = None
) -> TeamTable:
    """The period's heatmap and activity only (the team CSV and tables need no more)."""
    base = _base(conn, company_id, query, now)
    return TeamTable(
        period=base.span, heatmap=base.heat, activity=activity(base.people, base.practice)
    )


def dashboard(
    conn: Connection, company_id: uuid.UUID, query: AnalyticsQuery, now: datetime | None = None
) -> Analytics:
    """The analytics of a company for a period and filters, read in the caller's transaction."""
    base = _base(conn, company_id, query, now)
    span, scope = base.span, base.scope
    previous = None
    if span.start is not None:
        before = replace(scope, start=span.previous_start, end=span.start)
        previous = _by_cell(store.cells(conn, before))
    points = store.trend(conn, scope, MOVING_WINDOW)
    measured = store.metric_distribution(conn, scope, list(METRIC_UNITS), HISTOGRAM_BINS)
    return Analytics(
        period=span,
        filters=query,
        rubric_version=base.frozen.version,
        heatmap=base.heat,
        trends=trends(base.people, base.frozen.keys, base.current, previous, points),
        weakest=weakest(base.heat),
        activity=activity(base.people, base.practice),
        metrics=distributions(measured, base.locale),
        # assignments are not part of this deployment yet: absent, not an empty list
        assignments=None,
    )
