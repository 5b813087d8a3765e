"""A session's scorecard as people read it: scores, evidence, metrics beside their bands.

Every read runs in the caller's tenant transaction, so Row Level Security decides visibility:
a salesperson sees their own sessions, managers and admins their company's, and anything else
is simply not there (404, never "forbidden"). A manager's override is what the scorecard shows as
the score; the model's score stays beside it. What the scorecard says about its grader (offline
or not, its label) was stored with the feedback by the grader that graded it.
"""

from __future__ import annotations

import uuid
from typing import Any

from dojo.db import Connection
from dojo.errors import NotFound
from dojo.settings import get_settings
from grading import bands, drills, rubric
from grading.messages import caller_locale, text
from grading.models import (
    CategoryScore,
    Feedback,
    GradedFeedback,
    GraderInfo,
    InsufficientFeedback,
    Metrics,
    Override,
    PendingFeedback,
)
from grading.store import coach as coach_store
from grading.store import feedback as store

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


def _grader(row: dict[str, Any], locale: str) -> GraderInfo:
    label = row["grader_label"] or {}
    shown = label.get(locale) or label.get("en-US") or row["grader"]
    return GraderInfo(name=row["grader"], offline=row["grader_offline"], label=shown)


def _metrics(stored: dict[str, Any], locale: str) -> Metrics:
    lang = 0 if locale == "pt-BR" else 1
    listed = []
    for key, names in METRIC_NAMES.items():
        if key in stored:
            item = {"key": key, "name": names[lang], **stored[key]}
            if isinstance(item.get("band"), dict):
                item["band"] = bands.band_in(key, item["band"], locale)
            listed.append(item)
    return Metrics.model_validate(
        {
            "mode": stored.get("mode"),
            "duration_seconds": stored.get("duration_seconds"),
            "turns": stored.get("turns"),
            "words": stored.get("words"),
            "questions": stored.get("questions"),
            "items": listed,
        }
    )


def _pending(row: dict[str, Any], base: dict[str, Any]) -> PendingFeedback:
    """No feedback yet: pending, retrying, or given up after the allowed attempts."""
    exhausted = row["grading_attempts"] >= get_settings().grading_max_attempts
    failed = row["grading_error"] is not None
    # the raw error is for operators (logs, grading_error); people read the catalog
    message = "grading_pending"
    if failed:
        message = "grading_failed" if exhausted else "grading_retrying"
    return PendingFeedback(
        **base,
        status="failed" if failed and exhausted else "pending",
        session_status=row["session_status"],
        message=text(message, row["locale"]),
        grading_attempts=row["grading_attempts"],
    )


def _categories(row: dict[str, Any], frozen: rubric.Rubric, locale: str) -> list[CategoryScore]:
    shown = effective_scores(row)
    override = row["override_scores"] or {}
    categories = []
    for category in frozen.categories:
        judged = row["scores"].get(category.key, {})
        categories.append(
            CategoryScore(
                key=category.key,
                name=category.title(locale),
                weight=category.weight,
                score=shown.get(category.key),
                model_score=judged.get("score"),
                overridden=category.key in override,
                justification=judged.get("justification"),
                evidence=judged.get("evidence", []),
            )
        )
    return categories


def _override(row: dict[str, Any]) -> Override | None:
    if row["override_overall"] is None:
        return None
    return Override(
        overall=float(row["override_overall"]),
        scores=row["override_scores"] or {},
        note=row["override_note"],
        by=row["overridden_by"],
        at=row["overridden_at"],
    )


def _graded(
    row: dict[str, Any], view: dict[str, Any], locale: str, personas: list[drills.Persona]
) -> GradedFeedback:
    frozen = rubric.load(row["rubric_version"])
    overall = effective_overall(row)
    drill = drills.next_drill(effective_scores(row), row, frozen, personas, locale)
    return GradedFeedback.model_validate(
        {
            **view,
            "status": "graded",
            "overall": overall,
            "overall_band": frozen.band_label(overall, locale) if overall is not None else None,
            "model_overall": None if row["overall"] is None else float(row["overall"]),
            "categories": _categories(row, frozen, locale),
            "strengths": row["strengths"],
            "improvements": row["improvements"],
            "recommendations": row["recommendations"],
            "override": _override(row),
            "next_drill": drill,
        }
    )


def session_feedback(conn: Connection, session_id: uuid.UUID) -> Feedback:
    """The scorecard of a session the caller may see (404 otherwise)."""
    row = store.scorecard_row(conn, session_id)
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
        return Feedback(_pending(row, base))
    view: dict[str, Any] = {
        **base,
        "grader": _grader(row, locale),
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
        return Feedback(InsufficientFeedback(**view, status="insufficient", message=reason))
    return Feedback(_graded(row, view, locale, coach_store.drill_personas(conn)))
