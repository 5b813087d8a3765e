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

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from dojo import usage
from dojo.db import Connection, jsonb, service_transaction
from dojo.errors import AppError
from dojo.observability import logger
from dojo.settings import get_settings
from grading import grader_offline, metrics, rubric, transcript
from grading.scorecard import INSUFFICIENT, Scorecard

Status = Literal[
    "graded", "insufficient", "already_graded", "in_progress", "not_found", "not_ended"
]
MIN_SALESPERSON_WORDS = 5
_ERROR_CHARS = 500


@dataclass(frozen=True)
class Outcome:
    """What one grading request did."""

    status: Status
    session_id: uuid.UUID
    overall: float | None = None


def grader_name() -> str:
    """The grader the configuration selects (model name, or the offline rules)."""
    settings = get_settings()
    if settings.llm_provider == "openai":
        return f"openai:{settings.grading_model or settings.llm_model}"
    return grader_offline.GRADER


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
    if is_insufficient(turns):
        computed["grading"] = {"reason": INSUFFICIENT.get(locale, INSUFFICIENT["en-US"])}
        return Scorecard(
            status="insufficient",
            grader=grader_name(),
            rubric_version=frozen.version,
            metrics=computed,
        )
    if get_settings().llm_provider == "openai":
        from grading import grader_llm

        return grader_llm.grade(turns, computed, frozen, persona, locale)
    return grader_offline.grade(turns, computed, frozen, persona, locale)


_LOCK = """
select s.id, s.company_id, s.user_id, s.mode, s.status, s.transcript, s.persona_snapshot,
       s.rubric_version, c.locale
  from public.training_sessions s join public.companies c on c.id = s.company_id
 where s.id = %s and (%s::uuid is null or s.company_id = %s::uuid)
   for update of s skip locked
"""

_INSERT = """
insert into public.feedback as f
  (session_id, company_id, user_id, status, overall, scores, strengths, improvements,
   recommendations, metrics, grader, rubric_version, removed_quotes)
values (%(session_id)s, %(company_id)s, %(user_id)s, %(status)s, %(overall)s, %(scores)s,
        %(strengths)s, %(improvements)s, %(recommendations)s, %(metrics)s, %(grader)s,
        %(rubric_version)s, %(removed_quotes)s)
on conflict (session_id) do {action}
returning id
"""

_REPLACE = """update set status = excluded.status, overall = excluded.overall,
  scores = excluded.scores, strengths = excluded.strengths, improvements = excluded.improvements,
  recommendations = excluded.recommendations, metrics = excluded.metrics,
  grader = excluded.grader, rubric_version = excluded.rubric_version,
  removed_quotes = excluded.removed_quotes"""


def _refresh_override(conn: Connection, session_id: uuid.UUID, card: Scorecard) -> None:
    # The manager's overridden categories stay; the others now come from the new model scores,
    # so the overridden overall is recomputed (the rubric's weighted mean, as always).
    row = conn.execute(
        "select override_scores from public.feedback where session_id = %s", (session_id,)
    ).fetchone()
    if row is None or not row["override_scores"] or card.status != "graded":
        return
    merged = {k: v["score"] for k, v in card.scores.items()} | row["override_scores"]
    conn.execute(
        "update public.feedback set override_overall = %s where session_id = %s",
        (rubric.load(card.rubric_version).overall(merged), session_id),
    )


def _store(conn: Connection, session: dict[str, Any], card: Scorecard, replace: bool) -> None:
    # A regrade replaces the model's scores; a manager's override is kept.
    conn.execute(
        _INSERT.format(action=_REPLACE if replace else "nothing"),
        {
            "session_id": session["id"],
            "company_id": session["company_id"],
            "user_id": session["user_id"],
            "status": card.status,
            "overall": card.overall,
            "scores": jsonb(card.scores),
            "strengths": jsonb(card.strengths),
            "improvements": jsonb(card.improvements),
            "recommendations": jsonb(card.recommendations),
            "metrics": jsonb(card.metrics),
            "grader": card.grader,
            "rubric_version": card.rubric_version,
            "removed_quotes": card.removed_quotes,
        },
    )
    if replace:
        _refresh_override(conn, session["id"], card)
    conn.execute(
        "update public.training_sessions set grading_error = null,"
        " grading_attempts = grading_attempts + 1 where id = %s and company_id = %s",
        (session["id"], session["company_id"]),
    )
    for used in card.usage:
        usage.record(conn, session["company_id"], used, ref_id=session["id"])


def _record_failure(session_id: uuid.UUID, exc: Exception) -> None:
    message = exc.message if isinstance(exc, AppError) else f"{type(exc).__name__}: {exc}"
    try:
        with service_transaction() as conn:
            conn.execute(
                "update public.training_sessions set grading_error = %s,"
                " grading_attempts = grading_attempts + 1 where id = %s",
                (message[:_ERROR_CHARS], session_id),
            )
    except Exception:  # the database itself is down: the sweeper retries later anyway
        logger.exception("could not record the grading failure", extra={"session": str(session_id)})


def grade_session(
    session_id: uuid.UUID, company_id: uuid.UUID | None = None, *, regrade: bool = False
) -> Outcome:
    """Grade one ended session exactly once (or again with `regrade`); see the module doc."""
    try:
        with service_transaction() as conn:
            session = conn.execute(_LOCK, (session_id, company_id, company_id)).fetchone()
            if session is None:
                exists = conn.execute(
                    "select 1 from public.training_sessions where id = %s"
                    " and (%s::uuid is null or company_id = %s::uuid)",
                    (session_id, company_id, company_id),
                ).fetchone()
                return Outcome("in_progress" if exists else "not_found", session_id)
            if session["status"] != "ended":
                return Outcome("not_ended", session_id)
            done = conn.execute(
                "select status, overall from public.feedback where session_id = %s",
                (session_id,),
            ).fetchone()
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
            _store(conn, session, card, replace=done is not None)
    except Exception as exc:
        logger.warning("grading failed", extra={"session_id": str(session_id), "error": str(exc)})
        _record_failure(session_id, exc)
        raise
    logger.info(
        "session graded",
        extra={"session_id": str(session_id), "status": card.status, "grader": card.grader},
    )
    return Outcome(card.status, session_id, card.overall)
