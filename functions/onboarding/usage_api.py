"""`GET /api/v1/auth/usage`: what the product cost the caller's company, by month and kind."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from dojo.auth import Admin
from dojo.db import TenantDB
from dojo.http import CredentialsFirst

router = APIRouter(prefix="/api/v1/auth", tags=["usage"], route_class=CredentialsFirst)


class UsageMonth(BaseModel):
    """One month's use of one kind of outside service."""

    month: str  # YYYY-MM, UTC
    kind: Literal["llm", "embeddings", "vapi"]
    calls: int
    input_tokens: int
    output_tokens: int
    inputs: int
    seconds: float
    cost_usd: float  # sum of the calls whose cost is known
    unpriced_calls: int  # calls of a model without a known price (not in cost_usd)


class UsageReport(BaseModel):
    """Usage since `since`, newest month first, with the total known cost."""

    since: str
    currency: Literal["USD"] = "USD"
    total_cost_usd: float
    months: list[UsageMonth]


def _first_of_month(today: dt.date, months_back: int) -> dt.date:
    index = today.year * 12 + (today.month - 1) - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


@router.get("/usage")
def get_usage(
    _: Admin,
    conn: TenantDB,
    months: Annotated[int, Query(ge=1, le=36, description="this month and the N-1 before")] = 12,
) -> UsageReport:
    """Tokens, inputs, call seconds and cost by month and kind (admin; own company only)."""
    since = _first_of_month(dt.datetime.now(dt.UTC).date(), months - 1)
    rows = conn.execute(
        "select * from private.usage_summary(%s)",
        (dt.datetime.combine(since, dt.time(), dt.UTC),),
    ).fetchall()
    report = [
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
    total = round(sum(m.cost_usd for m in report), 6)
    return UsageReport(since=since.isoformat(), total_cost_usd=total, months=report)
