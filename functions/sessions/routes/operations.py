"""`GET /api/v1/sessions/operations`: the admins' daily figures of calls and model use."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from dojo.auth import Admin
from dojo.db import TenantDB
from dojo.http import CredentialsFirst
from sessions import operations
from sessions.models import Operations

router = APIRouter(prefix="/api/v1/sessions", tags=["operations"], route_class=CredentialsFirst)


@router.get("/operations")
def get_operations(
    _: Admin,
    conn: TenantDB,
    days: Annotated[int, Query(ge=1, le=90, description="today and the N-1 days before")] = 30,
) -> Operations:
    """Calls started and reported, duration, cost per call, latency p95, model tokens and cost."""
    return operations.report(conn, days)
