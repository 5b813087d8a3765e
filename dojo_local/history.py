"""Graded practice history written straight into the local database, for tests, benchmarks and
end-to-end pages that need weeks of it (the demo makes its history through the API instead).

A seeded session is what grading would have stored: an ended training session with a persona and
a feedback row with per-category scores, an overall, and the conversation metrics with their band
status. Superuser connection (autocommit); never used by anything deployed.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from dojo_local import accounts

CATEGORIES = ("rapport", "discovery", "objection_handling", "closing")
WEIGHTS = {"rapport": 0.2, "discovery": 0.3, "objection_handling": 0.3, "closing": 0.2}
_BANDS = {
    "talk_ratio": (0.35, 0.50),
    "questions_per_10_min": (3.7, 4.7),
    "longest_monologue_seconds": (None, 120.0),
    "patience_seconds": (1.0, 3.0),
    "fillers_per_100_words": (None, 5.0),
    "words_per_minute": (140.0, 160.0),
}


@dataclass
class Practice:
    """One graded session to seed: who, when, the scores and what else grading stores."""

    user_id: uuid.UUID
    at: datetime
    scores: dict[str, float]
    mode: str = "text"
    persona_id: uuid.UUID | None = None
    persona_name: str = "Carlos Menezes"
    minutes: float = 8.0
    metrics: dict[str, float | None] = field(default_factory=dict)
    override: dict[str, int] | None = None


def _status(key: str, value: float | None) -> str:
    low, high = _BANDS.get(key, (None, None))
    if value is None:
        return "n/a"
    if low is not None and value < low:
        return "below"
    if high is not None and value > high:
        return "above"
    return "within"


def overall(scores: dict[str, float]) -> float:
    """The weighted overall of the rubric's categories (as grading computes it)."""
    return round(sum(WEIGHTS[k] * v for k, v in scores.items() if k in WEIGHTS), 2)


def persona(conn: psycopg.Connection[Any], company_id: uuid.UUID, name: str) -> uuid.UUID:
    """A persona of the company to practise with."""
    row = conn.execute(
        "insert into public.personas (company_id, name, role) values (%s, %s, 'Diretor')"
        " returning id",
        (company_id, name),
    ).fetchone()
    assert row is not None
    return uuid.UUID(str(row[0] if isinstance(row, tuple) else row["id"]))


def seed(conn: psycopg.Connection[Any], company_id: uuid.UUID, practice: Practice) -> uuid.UUID:
    """Store one ended, graded session; returns its id."""
    started = practice.at - timedelta(minutes=practice.minutes)
    row = conn.execute(
        "insert into public.training_sessions (company_id, user_id, persona_id, mode, status,"
        " persona_snapshot, rubric_version, started_at, ended_at, duration_seconds,"
        " grading_attempts)"
        " values (%s, %s, %s, %s, 'ended', %s, '2026-11-v1', %s, %s, %s, 1) returning id",
        (
            company_id,
            practice.user_id,
            practice.persona_id,
            practice.mode,
            Jsonb({"name": practice.persona_name, "role": "Diretor"}),
            started,
            practice.at,
            practice.minutes * 60 if practice.mode == "voice" else None,
        ),
    ).fetchone()
    assert row is not None
    session_id = uuid.UUID(str(row[0] if isinstance(row, tuple) else row["id"]))
    metrics: dict[str, Any] = {"mode": practice.mode, "duration_seconds": practice.minutes * 60}
    for key, value in practice.metrics.items():
        metrics[key] = {"value": value, "status": _status(key, value)}
    override_overall = None
    if practice.override:
        override_overall = overall({**practice.scores, **practice.override})
    conn.execute(
        "insert into public.feedback (session_id, company_id, user_id, status, overall, scores,"
        " metrics, grader, rubric_version, override_scores, override_overall, created_at)"
        " values (%s, %s, %s, 'graded', %s, %s, %s, 'seeded', '2026-11-v1', %s, %s, %s)",
        (
            session_id,
            company_id,
            practice.user_id,
            overall(practice.scores),
            Jsonb({k: {"score": v} for k, v in practice.scores.items()}),
            Jsonb(metrics),
            Jsonb(practice.override) if practice.override else None,
            override_overall,
            practice.at,
        ),
    )
    return session_id


def random_metrics(rng: random.Random, mode: str) -> dict[str, float | None]:
    """Plausible conversation metrics (per-minute and timing metrics only in voice)."""
    voice = mode == "voice"
    return {
        "talk_ratio": round(rng.uniform(0.3, 0.75), 3),
        "questions_per_10_min": round(rng.uniform(1, 8), 2) if voice else None,
        "longest_monologue_seconds": round(rng.uniform(20, 200), 1) if voice else None,
        "patience_seconds": round(rng.uniform(0.3, 3.5), 2) if voice else None,
        "fillers_per_100_words": round(rng.uniform(0, 9), 2),
        "words_per_minute": round(rng.uniform(120, 190), 1) if voice else None,
    }


def seed_team(
    conn: psycopg.Connection[Any],
    company: str,
    *,
    people: int = 20,
    sessions: int = 30,
    days: int = 90,
    seed_value: int = 17,
) -> dict[str, Any]:
    """A company with a manager and `people` salespeople, each with `sessions` graded sessions
    spread over the last `days` days (voice and text, three personas). Returns the ids."""
    rng = random.Random(seed_value)  # noqa: S311 - synthetic, reproducible data
    domain = company.lower().replace(" ", "")
    manager = accounts.ensure_user(
        conn, f"gestor@{domain}.test", company=company, role="manager", full_name="Gestor"
    )
    company_id = accounts.ensure_company(conn, company)
    personas = [persona(conn, company_id, name) for name in ("Ana", "Bruno", "Célia")]
    reps = []
    now = datetime.now(UTC)
    for i in range(people):
        user = accounts.ensure_user(
            conn, f"rep{i}@{domain}.test", company=company, full_name=f"Vendedor {i:02d}"
        )
        reps.append(user)
        skill = rng.uniform(40, 85)
        for _ in range(sessions):
            mode = rng.choice(("voice", "text"))
            scores = {k: round(min(100, max(0, rng.gauss(skill, 12)))) for k in CATEGORIES}
            practice = Practice(
                user_id=user,
                at=now - timedelta(days=rng.uniform(0, days)),
                scores={k: float(v) for k, v in scores.items()},
                mode=mode,
                persona_id=rng.choice(personas),
                minutes=round(rng.uniform(3, 10), 1),
                metrics=random_metrics(rng, mode),
            )
            seed(conn, company_id, practice)
    return {"company_id": company_id, "manager": manager, "people": reps, "personas": personas}
