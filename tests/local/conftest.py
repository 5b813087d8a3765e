"""A company with something in every table, for the hostile-input tests and the API sweep."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from dojo_local import accounts
from tests.conftest import LocalWorld, User
from tests.functions.sessions.data import insert_material, insert_persona


@dataclass
class Seeded:
    """An admin, a manager and a salesperson of one company, and ids that exist in it."""

    admin: User
    manager: User
    seller: User
    persona_id: uuid.UUID
    document_id: uuid.UUID
    session_id: uuid.UUID

    def ids(self) -> dict[str, uuid.UUID]:
        """Parameter name -> an id of this company."""
        return {
            "persona_id": self.persona_id,
            "document_id": self.document_id,
            "session_id": self.session_id,
            "user_id": self.seller.id,
        }


def _user(world: LocalWorld, sql: psycopg.Connection[Any], company: str, role: str) -> User:
    email = f"{role}-{uuid.uuid4().hex[:8]}@nuvemfiscal.com.br"
    user_id = accounts.ensure_user(sql, email, company=company, role=role, full_name=email)
    row = sql.execute("select company_id from public.profiles where id = %s", (user_id,))
    company_id = row.fetchone()["company_id"]  # type: ignore[index]
    token = accounts.issue_token(world.env.database_url, email, world.env.issuer)
    headers = {"authorization": f"Bearer {token}"}
    return User(user_id, email, company_id, company, role, token, headers)


def seed_company(world: LocalWorld, sql: psycopg.Connection[Any], api: TestClient) -> Seeded:
    """The company, with a ready document, an active persona and a text session under way."""
    admin, manager, seller = (
        _user(world, sql, "Nuvem Fiscal", role) for role in ("admin", "manager", "salesperson")
    )
    chunk = insert_material(sql, admin.company_id)[0]
    row = sql.execute("select document_id from public.knowledge_base where id = %s", (chunk,))
    document_id = row.fetchone()["document_id"]  # type: ignore[index]
    persona_id = insert_persona(sql, admin.company_id)
    started = api.post(
        "/api/v1/sessions/start",
        headers=seller.headers,
        json={"persona_id": str(persona_id), "mode": "text"},
    )
    assert started.status_code == 201, started.text
    session_id = uuid.UUID(started.json()["session_id"])
    return Seeded(admin, manager, seller, persona_id, document_id, session_id)


@pytest.fixture
def seeded(world: LocalWorld, sql: psycopg.Connection[Any], api: TestClient) -> Seeded:
    """A seeded company in emptied tables, for one test."""
    return seed_company(world, sql, api)
