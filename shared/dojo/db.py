"""Database access: one pool per process, tenant and service transactions as PostgREST does them.

Every user request runs in one transaction as role `authenticated` with `request.jwt.claims` set,
so Row Level Security (not Python `WHERE` clauses) decides what the user sees. Trusted events
(triggers, Vapi messages, sweepers) use `service_transaction()` and scope their own statements.
Settings are transaction-local (`set_config(..., true)`), which is what Supavisor's transaction
mode allows; prepared statements are off for the same reason.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends

from dojo.auth import Principal, RoleName, member
from dojo.errors import ServiceUnavailable
from dojo.settings import get_settings

# psycopg and its pool load with the first query, not at cold start (a /health answers without
# them); type checkers see the real types.
if TYPE_CHECKING:
    import psycopg
    from psycopg.rows import DictRow
    from psycopg.types.json import Jsonb
    from psycopg_pool import ConnectionPool

    Connection = psycopg.Connection[DictRow]
else:
    Connection = Any

_pool: ConnectionPool[Connection] | None = None
_pool_lock = threading.Lock()

_SET_CONTEXT = (
    "select set_config('role', %s, true), set_config('request.jwt.claims', %s, true),"
    " set_config('statement_timeout', %s, true)"
)


def _configure(conn: Connection) -> None:
    conn.autocommit = True


def jsonb(value: Any) -> Jsonb:
    """`value` as a jsonb query parameter."""
    from psycopg.types.json import Jsonb

    return Jsonb(value)


def get_pool() -> ConnectionPool[Connection]:
    """The process-wide pool, opened on first use and reused across Lambda invocations."""
    global _pool
    if _pool is None:
        with _pool_lock:
            if _pool is None:
                from psycopg.rows import dict_row
                from psycopg_pool import ConnectionPool

                settings = get_settings()
                url = settings.database_url.get_secret_value()
                if not url:
                    raise ServiceUnavailable("the database is not configured (DOJO_DATABASE_URL)")
                pool: ConnectionPool[Connection] = ConnectionPool(
                    url,
                    min_size=0,
                    max_size=settings.db_pool_max,
                    kwargs={
                        "row_factory": dict_row,
                        "prepare_threshold": None,
                        "connect_timeout": int(settings.db_connect_timeout),
                    },
                    configure=_configure,
                    check=ConnectionPool.check_connection,
                    timeout=settings.db_connect_timeout,
                    open=False,
                    name="dojo",
                )
                pool.open(wait=False)
                _pool = pool
    return _pool


def close_pool() -> None:
    """Close the pool (tests and CLI commands that switch databases)."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.close()
            _pool = None


@contextmanager
def _transaction(role: str, claims: Mapping[str, Any]) -> Iterator[Connection]:
    import psycopg

    try:
        with get_pool().connection() as conn, conn.transaction():
            conn.execute(
                _SET_CONTEXT,
                (role, json.dumps(dict(claims)), str(get_settings().db_statement_timeout_ms)),
            )
            yield conn
    except psycopg.OperationalError as exc:  # the pool's PoolTimeout is one too
        raise ServiceUnavailable("the database is unavailable, try again shortly") from exc


@contextmanager
def tenant_transaction(claims: Mapping[str, Any]) -> Iterator[Connection]:
    """One transaction as `authenticated` with these JWT claims: RLS applies to everything."""
    with _transaction("authenticated", claims) as conn:
        yield conn


@contextmanager
def service_transaction() -> Iterator[Connection]:
    """One transaction as `service_role` (bypasses RLS): only for trusted events."""
    with _transaction("service_role", {"role": "service_role"}) as conn:
        yield conn


# The same helpers RLS calls: the API's role checks and the tenant wall read one definition.
_MEMBERSHIP = "select private.company_id() as company_id, private.user_role() as role"


def membership(user_id: uuid.UUID) -> tuple[uuid.UUID, RoleName] | None:
    """The user's present company and role (their row in public.profiles), or None.

    One indexed read in one short transaction, on every request: never cached across requests.
    """
    with tenant_transaction({"sub": str(user_id), "role": "authenticated"}) as conn:
        row = conn.execute(_MEMBERSHIP).fetchone()
    if row is None or row["company_id"] is None or row["role"] is None:
        return None
    role: RoleName = row["role"]
    return row["company_id"], role


def ping() -> None:
    """Round-trip to the database; raises ServiceUnavailable when it cannot."""
    with service_transaction() as conn:
        conn.execute("select 1")


def _tenant_db(principal: Annotated[Principal, Depends(member)]) -> Iterator[Connection]:
    with tenant_transaction(principal.claims) as conn:
        yield conn


# The transaction commits before the response is sent (scope="function"), so a failed commit
# is an error response, never a success that was not saved.
TenantDB = Annotated[Connection, Depends(_tenant_db, scope="function")]
