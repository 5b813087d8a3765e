"""Bounded pagination parameters for every list route.

Unbounded integers reached Postgres (`offset` past 2^63 overflowed bigint and answered 500); these
types answer 422 instead. A route sets its own default: `limit: Limit = 50, offset: Offset = 0`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

MAX_LIMIT = 500
MAX_OFFSET = 1_000_000

Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description=f"how many items at most (1 to {MAX_LIMIT})")
]
Offset = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description=f"how many items to skip (0 to {MAX_OFFSET})")
]
