"""What the product cost a company: its usage by month and kind, with the known cost."""

from __future__ import annotations

import datetime as dt

from dojo.db import Connection
from onboarding.models import UsageMonth, UsageReport
from onboarding.store import company as store


def first_of_month(today: dt.date, months_back: int) -> dt.date:
    """The first day of the month `months_back` months before `today`'s."""
    index = today.year * 12 + (today.month - 1) - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def report(conn: Connection, months: int) -> UsageReport:
    """This month and the `months - 1` before, newest first (RLS: the caller's company)."""
    since = first_of_month(dt.datetime.now(dt.UTC).date(), months - 1)
    rows = store.usage_summary(conn, dt.datetime.combine(since, dt.time(), dt.UTC))
    by_month = [
        UsageMonth(
            month=row["month"].strftime("%Y-%m"),
            kind=row["kind"],
            calls=row["calls"],
            input_tokens=row["input_tokens"],
            output_tokens=row["output_tokens"],
            inputs=row["inputs"],
            seconds=float(row["seconds"]),
            cost_usd=round(float(row["cost_usd"]), 6),
            unpriced_calls=row["unpriced_calls"],
        )
        for row in rows
    ]
    total = round(sum(m.cost_usd for m in by_month), 6)
    return UsageReport(since=since.isoformat(), total_cost_usd=total, months=by_month)
