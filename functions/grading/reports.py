"""What people read: a session's scorecard, a salesperson's progress, the team comparison.

Every query runs in the caller's tenant transaction, so Row Level Security decides visibility:
a salesperson sees their own sessions, managers and admins their company's, and anything else
is simply not there (404, never "forbidden"). A manager's override is what the views show as
the score; the model's score stays beside it.
"""

from __future__ import annotations

import statistics
import uuid
from datetime import datetime
from typing import Any

from dojo.db import Connection
from dojo.errors import NotFound
from dojo.settings import get_settings
from grading import bands, rubric
from grading.grader_offline import GRADER as OFFLINE_GRADER
from grading.messages import caller_locale, text

METRIC_NAMES = {
    "talk_ratio": ("Proporção de fala do vendedor", "Salesperson talk ratio"),
    "questions_per_10_min": ("Perguntas a cada 10 min", "Questions per 10 min"),
    "longest_monologue_seconds": ("Maior monólogo do vendedor", "Longest salesperson monologue"),
    "longest_customer_turn_seconds": ("Maior fala do cliente", "Longest customer turn"),
    "patience_seconds": (
        "Paciência (pausa antes de responder)",
        "Patience (pause before replying)",
    ),
    "fillers_per_100_words": ("Vícios de linguagem por 100 palavras", "Filler words per 100 words"),
    "words_per_minute": ("Ritmo (palavras por minuto)", "Pace (words per minute)"),
    "interruptions": ("Interrupções", "Interruptions"),
}
OFFLINE_LABEL = {
    "pt-BR": "Avaliação offline por regras (sem modelo de linguagem)",
    "en-US": "Offline rule-based grading (no language model)",
}
MOVING_WINDOW = 3


def _lang(locale: str) -> int:
    return 0 if locale == "pt-BR" else 1


def effective_scores(row: dict[str, Any]) -> dict[str, float]:
    """Per-category scores as shown: the manager's override where set, else the model's."""
    scores = {k: float(v["score"]) for k, v in (row.get("scores") or {}).items()}
    for key, value in (row.get("override_scores") or {}).items():
        scores[key] = float(value)
    return scores


def effective_overall(row: dict[str, Any]) -> float | None:
    """The overall as shown: the override when set, else the computed one."""
    value = row.get("override_overall")
    if value is None:
        value = row.get("overall")
    return None if value is None else float(value)


def _grader(name: str, locale: str) -> dict[str, Any]:
    offline = name == OFFLINE_GRADER
    return {"name": name, "offline": offline, "label": OFFLINE_LABEL[locale] if offline else name}


def _metrics(stored: dict[str, Any], locale: str) -> dict[str, Any]:
    lang = _lang(locale)
    listed = []
    for key, names in METRIC_NAMES.items():
        if key in stored:
            item = {"key": key, "name": names[lang], **stored[key]}
            if isinstance(item.get("band"), dict):
                item["band"] = bands.band_in(key, item["band"], locale)
            listed.append(item)
    return {
        "mode": stored.get("mode"),
        "duration_seconds": stored.get("duration_seconds"),
        "turns": stored.get("turns"),
        "words": stored.get("words"),
        "questions": stored.get("questions"),
        "items": listed,
    }


_SESSION = """
select s.id as session_id, s.user_id, s.mode, s.status as session_status, s.ended_at,
       s.grading_error, s.grading_attempts, s.regrade_requested_at,
       s.persona_snapshot ->> 'name' as persona_name,
       c.locale, f.id as feedback_id, f.status, f.overall, f.scores, f.strengths,
       f.improvements, f.recommendations, f.metrics, f.grader, f.rubric_version,
       f.removed_quotes, f.override_scores, f.override_overall, f.override_note,
       f.overridden_by, f.overridden_at, f.created_at, f.updated_at
  from public.training_sessions s
  join public.companies c on c.id = s.company_id
  left join public.feedback f on f.session_id = s.id
 where s.id = %s
"""


def session_feedback(conn: Connection, session_id: uuid.UUID) -> dict[str, Any]:
    """The scorecard of a session the caller may see (404 otherwise)."""
    row = conn.execute(_SESSION, (session_id,)).fetchone()
    if row is None:
        raise NotFound(text("session_not_found", caller_locale(conn)))
    locale = row["locale"]
    base = {
        "session_id": row["session_id"],
        "user_id": row["user_id"],
        "persona": row["persona_name"],
        "mode": row["mode"],
        "ended_at": row["ended_at"],
        # a manager's regrade is queued (model grader): the web app polls until it is false
        "regrading": row["regrade_requested_at"] is not None,
    }
    if row["feedback_id"] is None:
        exhausted = row["grading_attempts"] >= get_settings().grading_max_attempts
        failed = row["grading_error"] is not None
        # the raw error is for operators (logs, grading_error); people read the catalog
        message = "grading_pending"
        if failed:
            message = "grading_failed" if exhausted else "grading_retrying"
        return {
            **base,
            "status": "failed" if failed and exhausted else "pending",
            "session_status": row["session_status"],
            "message": text(message, locale),
            "grading_attempts": row["grading_attempts"],
        }
    view: dict[str, Any] = {
        **base,
        "status": row["status"],
        "grader": _grader(row["grader"], locale),
        "rubric_version": row["rubric_version"],
        "metrics": _metrics(row["metrics"] or {}, locale),
        "removed_quotes": row["removed_quotes"],
        # the last grading attempt failed (a regrade): the feedback shown is the previous one
        "regrade_failed": row["grading_error"] is not None,
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
    if row["status"] == "insufficient":
        reason = (row["metrics"] or {}).get("grading", {}).get("reason")
        return {**view, "overall": None, "message": reason, "categories": []}
    frozen = rubric.load(row["rubric_version"])
    shown = effective_scores(row)
    overall = effective_overall(row)
    override = row["override_scores"] or {}
    categories = []
    for category in frozen.categories:
        judged = row["scores"].get(category.key, {})
        categories.append(
            {
                "key": category.key,
                "name": category.title(locale),
                "weight": category.weight,
                "score": shown.get(category.key),
                "model_score": judged.get("score"),
                "overridden": category.key in override,
                "justification": judged.get("justification"),
                "evidence": judged.get("evidence", []),
            }
        )
    return {
        **view,
        "overall": overall,
        "overall_band": frozen.band_label(overall, locale) if overall is not None else None,
        "model_overall": None if row["overall"] is None else float(row["overall"]),
        "categories": categories,
        "strengths": row["strengths"],
        "improvements": row["improvements"],
        "recommendations": row["recommendations"],
        "override": None
        if row["override_overall"] is None
        else {
            "overall": float(row["override_overall"]),
            "scores": override,
            "note": row["override_note"],
            "by": row["overridden_by"],
            "at": row["overridden_at"],
        },
    }


_GRADED = """
select f.session_id, f.user_id, f.overall, f.scores, f.override_scores, f.override_overall,
       f.metrics, coalesce(s.ended_at, f.created_at) as at
  from public.feedback f join public.training_sessions s on s.id = f.session_id
 where f.status = 'graded' and (%s::uuid is null or f.user_id = %s::uuid)
   and (%s::timestamptz is null or coalesce(s.ended_at, f.created_at) >= %s::timestamptz)
 order by at, f.session_id
"""


def _graded(
    conn: Connection, user_id: uuid.UUID | None, since: datetime | None = None
) -> list[dict[str, Any]]:
    return conn.execute(_GRADED, (user_id, user_id, since, since)).fetchall()


def _series(points: list[tuple[Any, Any, float]], window: int) -> dict[str, Any]:
    values = [v for _, _, v in points]
    series = []
    for i, (session_id, at, value) in enumerate(points):
        recent = values[max(0, i - window + 1) : i + 1]
        series.append(
            {
                "session_id": session_id,
                "at": at,
                "score": value,
                "moving_average": round(statistics.fmean(recent), 2),
            }
        )
    change = round(values[-1] - values[-2], 2) if len(values) >= 2 else None
    return {
        "series": series,
        "latest": values[-1] if values else None,
        "change_since_last": change,
        "moving_average": series[-1]["moving_average"] if series else None,
    }


def progress(conn: Connection, user_id: uuid.UUID, window: int = MOVING_WINDOW) -> dict[str, Any]:
    """The caller's scores over time, per category and overall, with a moving average."""
    rows = _graded(conn, user_id)
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
        categories.append({"key": key, "name": name, **_series(points, window)})
    overall_points = [
        (r["session_id"], r["at"], o) for r in rows if (o := effective_overall(r)) is not None
    ]
    return {
        "user_id": user_id,
        "sessions": len(rows),
        "window": window,
        "overall": _series(overall_points, window),
        "categories": categories,
    }


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 2) if values else None


_TEAM_METRICS = ("talk_ratio", "questions_per_10_min", "fillers_per_100_words")


def team(conn: Connection, since: datetime | None = None) -> dict[str, Any]:
    """Per salesperson averages per category (per session first, then per person) vs the team."""
    rows = _graded(conn, None, since)
    people = conn.execute(
        "select p.id, p.full_name, p.email, p.role,"
        " (select max(coalesce(s.ended_at, s.created_at)) from public.training_sessions s"
        "   where s.user_id = p.id) as last_activity"
        " from public.profiles p order by coalesce(p.full_name, p.email)"
    ).fetchall()
    locale = caller_locale(conn)
    current = rubric.load(get_settings().rubric_version)
    by_person: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for row in rows:
        by_person.setdefault(row["user_id"], []).append(row)

    members = []
    for person in people:
        sessions = by_person.get(person["id"], [])
        if not sessions and person["role"] != "salesperson":
            continue
        # each session contributes one value per category, then the person's mean of those
        categories = {
            key: _mean([s for r in sessions if (s := effective_scores(r).get(key)) is not None])
            for key in current.keys
        }
        overall = _mean([o for r in sessions if (o := effective_overall(r)) is not None])
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
        members.append(
            {
                "user_id": person["id"],
                "full_name": person["full_name"],
                "email": person["email"],
                "role": person["role"],
                "sessions": len(sessions),
                "last_activity": person["last_activity"],
                "overall": overall,
                "categories": categories,
                "metrics": measured,
            }
        )
    graded = [m for m in members if m["sessions"]]
    team_categories = {
        key: _mean([m["categories"][key] for m in graded if m["categories"][key] is not None])
        for key in current.keys
    }
    team_avg = {
        "overall": _mean([m["overall"] for m in graded if m["overall"] is not None]),
        "categories": team_categories,
        "metrics": {
            key: _mean([m["metrics"][key] for m in graded if m["metrics"][key] is not None])
            for key in _TEAM_METRICS
        },
        "people": len(graded),
    }
    for member in members:
        mine = member["categories"]
        member["vs_team"] = {
            key: None
            if mine[key] is None or team_categories[key] is None
            else round(mine[key] - team_categories[key], 2)
            for key in current.keys
        }
    return {
        "rubric_version": current.version,
        "categories": [
            {"key": c.key, "name": c.title(locale), "weight": c.weight} for c in current.categories
        ],
        "team_average": team_avg,
        "members": members,
    }
