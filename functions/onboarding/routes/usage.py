"""`GET /api/v1/auth/usage`: what the product cost the caller's company, by month and kind."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from dojo.auth import Admin
from dojo.db import TenantDB
from dojo.http import CredentialsFirst
from onboarding import usage
from onboarding.models import UsageReport

router = APIRouter(prefix="/api/v1/auth", tags=["usage"], route_class=CredentialsFirst)


@router.get("/usage")
def get_usage(
    _: Admin,
    conn: TenantDB,
    months: Annotated[int, Query(ge=1, le=36, description="this month and the N-1 before")] = 12,
) -> UsageReport:
    """Tokens, inputs, call seconds and cost by month and kind (admin; own company only)."""
    return usage.report(conn, months)
