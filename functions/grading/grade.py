"""Grading a session end to end: one `feedback` row per session, whatever happens.

No connection or row lock is held while the grader (a model: 20-60 s) works. A run claims the
session in one short transaction (`store.claim`: a lease, and a fencing token that counts the
attempt), grades with no connection checked out, and writes the feedback in a second short
transaction that first releases the lease, which only succeeds while the session still carries
this run's token. A run that lost its lease (a dead worker's, taken over once stale) writes
nothing and says so in a log line. Concurrent deliveries of the same event cannot both grade:
the second finds the lease held and answers "in progress"; a delivery after the feedback exists
changes nothing, and the insert is `on conflict (session_id)` besides. A failure releases the
lease with the error recorded; the session stays `ended` without feedback, so the sweeper (bounded
by `grading_max_attempts`, and taking over leases past `grading_stale_seconds`) or a manager's
regrade can finish it. An "insufficient" result is replaced once the session has a real
conversation to grade.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dojo import usage
from dojo.db import Connection, service_transaction
from dojo.errors import AppError
from dojo.observability import Metric, count, logger
from dojo.retrieval import Hit
from dojo.settings import get_settings
from grading import coach, material, metrics, rubric, transcript
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
    knowledge: Sequence[Hit] = (),
) -> Scorecard:
    """Metrics and rubric scores for a transcript (no database): the pure core of grading.

    `knowledge` is the company's material retrieved for the call: the better lines of the
    improvements cite it (see `grading.coach`)."""
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
        card = grader.grade(turns, computed, frozen, persona, locale, knowledge)
        card = coach.with_better_lines(card, turns, frozen, knowledge, persona, locale)
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
    for used in card.usage:
        usage.record(conn, session["company_id"], used, ref_id=session["id"])


class _Superseded(Exception):
    """Another run took the session's lease over: this run's result is dropped."""


def _claim(
    session_id: uuid.UUID, company_id: uuid.UUID | None, regrade: bool
) -> dict[str, Any] | Outcome:
    """The session under this run's lease, or the outcome that says why there is nothing to do
    (one short transaction)."""
    with service_transaction() as conn:
        state = store.grading_state(conn, session_id, company_id)
        if state is None:
            return Outcome("not_found", session_id)
        if state["status"] != "ended":
            return Outcome("not_ended", session_id)
        if state["feedback_status"] == "graded" and not regrade:
            return Outcome("already_graded", session_id, float(state["overall"]))
        claimed = store.claim(conn, session_id, company_id, get_settings().grading_stale_seconds)
    return Outcome("in_progress", session_id) if claimed is None else claimed


def _write(session: dict[str, Any], card: Scorecard, regrade: bool) -> Outcome:
    """Store the scorecard if this run still holds the lease (one short transaction)."""
    session_id = session["id"]
    with service_transaction() as conn:
        if not store.release(conn, session_id, session["token"], None):
            raise _Superseded
        done = store.feedback_state(conn, session_id)
        # "Insufficient" is not final: a voice call's transcript can arrive after the session
        # ended (the end-of-call report re-sends the event), and then it is graded for real.
        if done is not None and card.status == "insufficient" and not regrade:
            return Outcome("already_graded", session_id)
        _save(conn, session, card, replace=done is not None)
    return Outcome(card.status, session_id, card.overall)


def _record_failure(session: dict[str, Any], exc: Exception) -> None:
    message = exc.message if isinstance(exc, AppError) else f"{type(exc).__name__}: {exc}"
    try:
        with service_transaction() as conn:
            if not store.release(conn, session["id"], session["token"], message[:_ERROR_CHARS]):
                logger.info("grading failure not recorded: taken over", extra=_ids(session))
    except Exception:  # the database itself is down: the lease goes stale, the sweeper retries
        logger.exception("could not record the grading failure", extra=_ids(session))


def _ids(session: dict[str, Any]) -> dict[str, str]:
    return {"session_id": str(session["id"]), "token": str(session["token"])}


def grade_session(
    session_id: uuid.UUID, company_id: uuid.UUID | None = None, *, regrade: bool = False
) -> Outcome:
    """Grade one ended session exactly once (or again with `regrade`); see the module doc."""
    session = _claim(session_id, company_id, regrade)
    if isinstance(session, Outcome):
        return session
    try:
        # no connection is checked out here: embedding the coach's queries and the grader are
        # outside calls, and the grader may take a minute
        knowledge = material.for_session(session_id, company_id)
        card = score(
            session["transcript"],
            session["mode"],
            session["persona_snapshot"] or {},
            session["rubric_version"],
            session["locale"],
            knowledge,
        )
        outcome = _write(session, card, regrade)
    except _Superseded:
        logger.warning("grading result dropped: the session was taken over", extra=_ids(session))
        return Outcome("in_progress", session_id)
    except Exception as exc:
        logger.warning("grading failed", extra={**_ids(session), "error": str(exc)})
        count(Metric.GRADINGS_FAILED)
        _record_failure(session, exc)
        raise
    logger.info(
        "session graded",
        extra={**_ids(session), "status": outcome.status, "grader": card.grader},
    )
    return outcome
