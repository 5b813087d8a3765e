"""Grading a session end to end: one `feedback` row per session, whatever happens.

Idempotency: the session row is locked (`for update skip locked`) for the whole grading, so
concurrent deliveries of the same event cannot both grade — the second sees the lock and answers
"in progress" — and the insert is `on conflict (session_id)` besides. A delivery after the
feedback exists changes nothing. A failure rolls the attempt back, then records the error and
counts the attempt in a separate transaction; the session stays `ended` without feedback, so the
sweeper (bounded by `grading_max_attempts`) or a manager's regrade can finish it. An
"insufficient" result is replaced once the session has a real conversation to grade.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from typing import Any

from dojo import usage
from dojo.db import Connection, service_transaction
from dojo.errors import AppError
from dojo.observability import Metric, count, logger
from grading import metrics, rubric, transcript
from grading.grader import GRADER
from grading.models import GradingStatus
from grading.scorecard import INSUFFICIENT, Scorecard
from grading.store import feedback as store

MIN_SALESPERSON_WORDS = 5
_ERROR_CHARS = 500


@dataclass(frozen=True)
class Outcome:
    """What one grading request did."""

    status: GradingStatus
    session_id: uuid.UUID
    overall: float | None = None


def is_insufficient(turns: list[transcript.Turn]) -> bool:
    """True for an empty or one-sided conversation: nothing fair can be scored."""
    rep_words = sum(t.words for t in turns if t.speaker == "salesperson")
    customer = any(t.speaker == "persona" for t in turns)
    return not customer or rep_words < MIN_SALESPERSON_WORDS


def score(
    raw_transcript: Any,
    mode: str,
    persona: dict[str, Any],
    rubric_version: str,
    locale: str,
) -> Scorecard:
    """Metrics and rubric scores for a transcript (no database): the pure core of grading."""
    frozen = rubric.load(rubric_version)
    turns = transcript.parse(raw_transcript)
    computed = metrics.compute(turns, mode, locale)
    grader = GRADER.get()
    if is_insufficient(turns):
        computed["grading"] = {"reason": INSUFFICIENT.get(locale, INSUFFICIENT["en-US"])}
        card = Scorecard(
            status="insufficient",
            grader=grader.name,
            rubric_version=frozen.version,
            metrics=computed,
        )
    else:
        card = grader.grade(turns, computed, frozen, persona, locale)
    # what the scorecard says about its grader is stored with it (see `grading.grader`)
    return dataclasses.replace(card, grader_offline=grader.offline, grader_label=dict(grader.label))


def _refresh_override(conn: Connection, session_id: uuid.UUID, card: Scorecard) -> None:
    # The manager's overridden categories stay; the others now come from the new model scores,
    # so the overridden overall is recomputed (the rubric's weighted mean, as always).
    overridden = store.override_scores(conn, session_id)
    if not overridden or card.status != "graded":
        return
    merged = {k: v["score"] for k, v in card.scores.items()} | overridden
    store.set_override_overall(conn, session_id, rubric.load(card.rubric_version).overall(merged))


def _save(conn: Connection, session: dict[str, Any], card: Scorecard, replace: bool) -> None:
    # A regrade replaces the model's scores; a manager's override is kept.
    store.save_feedback(conn, session, card, replace=replace)
    if replace:
        _refresh_override(conn, session["id"], card)
    store.count_attempt(conn, session["id"], session["company_id"])
    for used in card.usage:
        usage.record(conn, session["company_id"], used, ref_id=session["id"])


def _record_failure(session_id: uuid.UUID, exc: Exception) -> None:
    message = exc.message if isinstance(exc, AppError) else f"{type(exc).__name__}: {exc}"
    try:
        with service_transaction() as conn:
            store.record_failure(conn, session_id, message[:_ERROR_CHARS])
    except Exception:  # the database itself is down: the sweeper retries later anyway
        logger.exception("could not record the grading failure", extra={"session": str(session_id)})


def grade_session(
    session_id: uuid.UUID, company_id: uuid.UUID | None = None, *, regrade: bool = False
) -> Outcome:
    """Grade one ended session exactly once (or again with `regrade`); see the module doc."""
    try:
        with service_transaction() as conn:
            session = store.lock_session(conn, session_id, company_id)
            if session is None:
                exists = store.session_exists(conn, session_id, company_id)
                return Outcome("in_progress" if exists else "not_found", session_id)
            if session["status"] != "ended":
                return Outcome("not_ended", session_id)
            done = store.feedback_state(conn, session_id)
            if done is not None and done["status"] == "graded" and not regrade:
                return Outcome("already_graded", session_id, float(done["overall"]))
            card = score(
                session["transcript"],
                session["mode"],
                session["persona_snapshot"] or {},
                session["rubric_version"],
                session["locale"],
            )
            # "Insufficient" is not final: a voice call's transcript can arrive after the session
            # ended (the end-of-call report re-sends the event), and then it is graded for real.
            if done is not None and card.status == "insufficient" and not regrade:
                return Outcome("already_graded", session_id)
            _save(conn, session, card, replace=done is not None)
    except Exception as exc:
        logger.warning("grading failed", extra={"session_id": str(session_id), "error": str(exc)})
        count(Metric.GRADINGS_FAILED)
        _record_failure(session_id, exc)
        raise
    logger.info(
        "session graded",
        extra={"session_id": str(session_id), "status": card.status, "grader": card.grader},
    )
    return Outcome(card.status, session_id, card.overall)
