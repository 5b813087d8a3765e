"""The weekly manager digest: who is behind, who improved, the team's weakest category.

From `digest_hour_utc` on each ISO week's Monday, every manager and admin of a company with
salespeople gets one digest of the week before. It is a notification like any other (the bell,
and an email by their preference), keyed by the ISO week it covers: the schedule may run every
few minutes, twice at once, or again after a crash, and each manager still gets one digest a week.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dojo.db import Connection, service_transaction
from dojo.settings import get_settings
from onboarding.store import digest as store
from onboarding.store import outbox

# A salesperson "improved" when their week's average beats their four weeks before by this much.
IMPROVED_BY = 5.0
LINK = "/manager/team/"
WINDOW = dt.timedelta(days=2)


Week = tuple[str, dt.datetime, dt.datetime]  # ISO week key ("2026-W49"), its start and end


def covered_week(now: dt.datetime, hour_utc: int) -> Week | None:
    """The ISO week whose digest is due at `now`: (key, since, until), or None.

    The digest of week W is due from Monday of W+1 at `hour_utc` UTC for two days (a schedule
    that was down on Monday still sends it); outside that window nothing is due, so a manager who
    joins on a Friday is not sent a stale digest of the week before.
    """
    monday = dt.datetime.combine(now.date() - dt.timedelta(days=now.weekday()), dt.time(), dt.UTC)
    opens = monday + dt.timedelta(hours=hour_utc)
    if not opens <= now < opens + WINDOW:
        return None
    since = monday - dt.timedelta(weeks=1)
    year, week, _ = since.isocalendar()
    return f"{year}-W{week:02d}", since, monday


def summarize(
    people: list[dict[str, Any]], categories: list[dict[str, Any]], week: str
) -> dict[str, Any]:
    """The digest's subject from the team's week (see store.digest.team_week)."""
    # behind: no graded practice in the week, or an assignment past its due date
    behind = [str(p["name"]) for p in people if not p["sessions"] or p["overdue"]]
    improved = [
        {
            "name": str(p["name"]),
            "from": round(float(p["before_average"]), 1),
            "to": round(float(p["week_average"]), 1),
        }
        for p in people
        if p["week_average"] is not None
        and p["before_average"] is not None
        and float(p["week_average"]) - float(p["before_average"]) >= IMPROVED_BY
    ]
    weakest = None
    if categories:
        lowest = categories[0]
        weakest = {"category": lowest["category"], "average": round(float(lowest["average"]), 1)}
    return {
        "week": week,
        "behind": behind,
        "improved": improved,
        "weakest": weakest,
        "sessions": sum(int(p["sessions"]) for p in people),
    }


def _company_digest(conn: Connection, company_id: Any, managers: list[Any], week: Week) -> int:
    key, since, until = week
    people, categories = store.team_week(conn, company_id, since, until)
    subject = summarize(people, categories, key)
    made = 0
    for manager in managers:
        if outbox.notify(conn, manager, "weekly_digest", subject, LINK, key) is not None:
            made += 1
    return made


def run(now: dt.datetime | None = None) -> int:
    """Create the digests due now that do not exist yet; how many were created."""
    now = now or dt.datetime.now(dt.UTC)
    week = covered_week(now, get_settings().digest_hour_utc)
    if week is None:
        return 0
    with service_transaction() as conn:
        waiting = store.managers_waiting(conn, week[0])
    made = 0
    for company_id, managers in waiting.items():
        # one short transaction per company: a big customer never holds the others up
        with service_transaction() as conn:
            made += _company_digest(conn, company_id, managers, week)
    return made
