"""The `/api/v1/feedback` analytics routes: the manager's dashboard and the CSV exports."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from dojo.auth import CurrentUser, Manager
from dojo.db import TenantDB
from dojo.http import CredentialsFirst
from grading import analytics, exports
from grading.models.analytics import Analytics, AnalyticsQuery, Mode, Period

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback"], route_class=CredentialsFirst)

PeriodQuery = Annotated[Period, Query(description="the period ending now: 30d, 90d, 365d or all")]


class CsvResponse(Response):
    """A CSV file (UTF-8 with a byte order mark)."""

    media_type = "text/csv"


def _csv_doc(what: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI description of a CSV answer; errors stay JSON in the one error shape (named
    here: the app-wide declaration would take the route's CSV media type)."""
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
    return {
        200: {
            "description": f"{what} as CSV: a header row, UTF-8 with a BOM; `;` and decimal "
            "commas for pt-BR companies, `,` for en-US",
            "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}}},
        },
        "4XX": {"description": "the request was refused", "content": error},
        "5XX": {"description": "a failure on our side or upstream", "content": error},
    }


def _csv(body: bytes, name: str) -> CsvResponse:
    return CsvResponse(
        content=body, headers={"content-disposition": f'attachment; filename="{name}"'}
    )


@router.get("/analytics", response_model=Analytics)
def get_analytics(
    principal: Manager,
    conn: TenantDB,
    period: PeriodQuery = "30d",
    user_id: uuid.UUID | None = None,
    persona_id: uuid.UUID | None = None,
    mode: Mode | None = None,
) -> Analytics:
    """The company's analytics for a period (managers and admins): heatmap of salespeople ×
    categories, trends, the weakest category, activity, metric distributions against bands."""
    assert principal.company_id is not None  # Manager is a present member
    query = AnalyticsQuery(period=period, user_id=user_id, persona_id=persona_id, mode=mode)
    return analytics.dashboard(conn, principal.company_id, query)


@router.get(
    "/team.csv", response_class=CsvResponse, response_model=None, responses=_csv_doc("The team")
)
def team_csv(principal: Manager, conn: TenantDB, period: PeriodQuery = "30d") -> CsvResponse:
    """The team table of the period as CSV (managers and admins)."""
    assert principal.company_id is not None
    return _csv(exports.team_file(conn, principal.company_id, period), f"team-{period}.csv")


@router.get(
    "/sessions.csv",
    response_class=CsvResponse,
    response_model=None,
    responses=_csv_doc("The sessions"),
)
def sessions_csv(
    principal: CurrentUser,
    conn: TenantDB,
    period: PeriodQuery = "30d",
    user_id: uuid.UUID | None = None,
) -> CsvResponse:
    """The sessions of the period as CSV: a salesperson's own, the company's for a manager."""
    assert principal.company_id is not None
    body = exports.sessions_file(conn, principal.company_id, period, user_id)
    return _csv(body, f"sessions-{period}.csv")
