"""The admins' operations figures: voice calls per day next to what the models used."""

from __future__ import annotations

from typing import Any

from dojo.db import Connection
from sessions.models import Operations, OperationsDay
from sessions.store import operations as store


def _rate(done: int, started: int) -> float | None:
    return round(done / started, 3) if started else None


def _day(row: dict[str, Any]) -> OperationsDay:
    started, reported = int(row["calls_started"]), int(row["calls_reported"])
    return OperationsDay(
        day=row["day"],
        calls_started=started,
        calls_reported=reported,
        completion_rate=_rate(reported, started),
        avg_duration_seconds=row["avg_duration_seconds"],
        cost_per_call_usd=row["avg_cost_usd"],
        latency_p95_ms=row["latency_p95_ms"],
        model_input_tokens=int(row["model_input_tokens"]),
        model_output_tokens=int(row["model_output_tokens"]),
        model_cost_usd=float(row["model_cost_usd"]),
    )


def report(conn: Connection, days: int) -> Operations:
    """The last `days` UTC days (today included), oldest first, with the period's totals."""
    items = [_day(r) for r in store.daily(conn, days)]
    started = sum(d.calls_started for d in items)
    reported = sum(d.calls_reported for d in items)
    return Operations(
        days=days,
        items=items,
        calls_started=started,
        calls_reported=reported,
        completion_rate=_rate(reported, started),
        model_cost_usd=round(sum(d.model_cost_usd for d in items), 6),
    )
