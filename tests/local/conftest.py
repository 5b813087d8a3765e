"""A company with something in every table, for the hostile-input tests and the API sweep."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from tests.conftest import User
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
        """Path parameter name -> an id of this company."""
        return {
            "persona_id": self.persona_id,
            "document_id": self.document_id,
            "session_id": self.session_id,
            "user_id": self.seller.id,
        }


@pytest.fixture
def seeded(api: TestClient, make_user: Callable[..., User], sql: psycopg.Connection[Any]) -> Seeded:
    """The company, with a ready document, an active persona and a text session under way."""
    admin = make_user("Nuvem Fiscal", "admin")
    manager = make_user("Nuvem Fiscal", "manager")
    seller = make_user("Nuvem Fiscal", "salesperson")
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
