"""The tenant wall at the SQL level: two companies x three roles x every table x every operation.

Each check runs in its own transaction as role `authenticated` (or `anon`) with the claims our
access token hook produces, exactly as PostgREST and the functions do, and is rolled back.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb

from dojo_local import accounts

ROLES = ("salesperson", "manager", "admin")
TABLES = (
    "companies",
    "profiles",
    "documents",
    "knowledge_base",
    "personas",
    "training_sessions",
    "feedback",
    "usage",
    "invitations",
)


@dataclass
class Tenant:
    company: uuid.UUID
    users: dict[str, uuid.UUID]  # role -> user id ("salesperson" is s1)
    other_salesperson: uuid.UUID
    document: uuid.UUID
    chunk: int
    persona_active: uuid.UUID
    persona_archived: uuid.UUID
    sessions: dict[uuid.UUID, uuid.UUID]  # salesperson -> session
    invitation: uuid.UUID


def _one(conn: psycopg.Connection[Any], query: str, *params: Any) -> Any:
    row = conn.execute(query, params).fetchone()
    assert row is not None
    return next(iter(row.values()))


def _tenant(conn: psycopg.Connection[Any], name: str) -> Tenant:
    users = {
        role: accounts.ensure_user(conn, f"{role}@{name}.test", company=name, role=role)
        for role in ROLES
    }
    s2 = accounts.ensure_user(conn, f"s2@{name}.test", company=name, role="salesperson")
    company = _one(conn, "select company_id from profiles where id = %s", users["admin"])
    doc = _one(
        conn,
        "insert into documents (company_id, storage_path, filename, status)"
        " values (%s, %s, 'kit.pdf', 'ready') returning id",
        company,
        f"{company}/{uuid.uuid4()}/kit.pdf",
    )
    chunk = _one(
        conn,
        "insert into knowledge_base (company_id, document_id, chunk_index, content,"
        " content_hash, embedding_model) values (%s, %s, 0, 'preço do plano', 'h', 'm')"
        " returning id",
        company,
        doc,
    )
    personas = [
        _one(
            conn,
            "insert into personas (company_id, name, role, status) values (%s, %s, 'CFO', %s)"
            " returning id",
            company,
            f"P-{status}",
            status,
        )
        for status in ("active", "archived")
    ]
    sessions = {}
    for seller in (users["salesperson"], s2):
        session = _one(
            conn,
            "insert into training_sessions (company_id, user_id, persona_id, mode, rubric_version)"
            " values (%s, %s, %s, 'text', 'v1') returning id",
            company,
            seller,
            personas[0],
        )
        conn.execute(
            "insert into feedback (session_id, company_id, user_id, overall, grader,"
            " rubric_version) values (%s, %s, %s, 50, 'offline', 'v1')",
            (session, company, seller),
        )
        sessions[seller] = session
    conn.execute(
        "insert into usage (company_id, kind, provider, operation) values (%s, 'llm', 'x', 'y')",
        (company,),
    )
    invitation = _one(
        conn,
        "insert into invitations (company_id, email, token_hash, invited_by, expires_at)"
        " values (%s, %s, %s, %s, now() + interval '7 days') returning id",
        company,
        f"new@{name}.test",
        uuid.uuid4().hex * 2,
        users["admin"],
    )
    return Tenant(company, users, s2, doc, chunk, personas[0], personas[1], sessions, invitation)


@pytest.fixture
def tenants(sql) -> dict[str, Tenant]:
    return {name: _tenant(sql, name) for name in ("alpha", "beta")}


def _claims(tenant: Tenant, role: str) -> dict[str, Any]:
    return {
        "sub": str(tenant.users[role]),
        "role": "authenticated",
        "aud": "authenticated",
        "company_id": str(tenant.company),
        "user_role": role,
    }


class Denied(Exception):
    pass


def run_as(db_url: str, claims: dict[str, Any] | None, query: str, *params: Any) -> list[Any]:
    """Run one statement as the user (or anon when claims is None) and roll back."""
    with psycopg.connect(db_url) as conn:
        try:
            with conn.transaction(force_rollback=True):
                role = "authenticated" if claims else "anon"
                conn.execute(
                    "select set_config('role', %s, true),"
                    " set_config('request.jwt.claims', %s, true)",
                    (role, json.dumps(claims or {"role": "anon"})),
                )
                cur = conn.execute(query, params)
                return cur.fetchall() if cur.description else [None] * cur.rowcount
        except psycopg.errors.InsufficientPrivilege as exc:
            raise Denied(str(exc)) from exc


def _visible(db_url, claims, table) -> set[str]:
    key = "session_id" if table == "feedback" else "id"
    rows = run_as(db_url, claims, f"select {key}::text from public.{table}")
    return {r[0] for r in rows}


@pytest.mark.parametrize("role", ROLES)
def test_select_matrix(db_url, tenants, role):
    me, other = tenants["alpha"], tenants["beta"]
    claims = _claims(me, role)
    manager = role != "salesperson"
    expected = {
        "companies": {str(me.company)},
        "profiles": {str(u) for u in [*me.users.values(), me.other_salesperson]},
        "documents": {str(me.document)},
        "knowledge_base": {str(me.chunk)},
        # the table is for managers (it holds the secrets); salespeople read public.persona_cards
        "personas": {str(me.persona_active), str(me.persona_archived)} if manager else set(),
        "training_sessions": {str(s) for s in me.sessions.values()}
        if manager
        else {str(me.sessions[me.users["salesperson"]])},
        "usage": {"1"} if role == "admin" else set(),
        "invitations": {str(me.invitation)} if manager else set(),
    }
    expected["feedback"] = expected["training_sessions"]
    for table in TABLES:
        seen = _visible(db_url, claims, table)
        if table == "usage":
            other_usage = {"2"}
            assert not (seen & other_usage), "another company's usage leaked"
            assert len(seen) == len(expected["usage"]), table
            continue
        assert seen == expected[table], table
        foreign = _visible(db_url, _claims(other, role), table)
        assert not (seen & foreign), f"{table}: rows shared across companies"


@pytest.mark.parametrize("table", TABLES)
def test_anon_sees_nothing(db_url, tenants, table):
    try:
        rows = run_as(db_url, None, f"select * from public.{table}")
    except Denied:
        return
    assert rows == []


def _insert_statements(t: Tenant, company: uuid.UUID) -> dict[str, tuple[str, tuple[Any, ...]]]:
    return {
        "companies": ("insert into companies (id, name) values (%s, 'x')", (company,)),
        "profiles": (
            "insert into profiles (id, company_id, role) values (%s, %s, 'admin')",
            (t.users["salesperson"], company),
        ),
        "documents": (
            "insert into documents (company_id, storage_path, filename) values (%s, %s, 'a.pdf')",
            (company, f"{company}/{uuid.uuid4()}/a.pdf"),
        ),
        "knowledge_base": (
            "insert into knowledge_base (company_id, document_id, chunk_index, content,"
            " content_hash, embedding_model) values (%s, %s, 99, 'x', 'h', 'm')",
            (company, t.document),
        ),
        "personas": (
            "insert into personas (company_id, name, role) values (%s, 'N', 'R')",
            (company,),
        ),
        "training_sessions": (
            "insert into training_sessions (company_id, user_id, mode, rubric_version)"
            " values (%s, %s, 'text', 'v1')",
            (company, t.users["salesperson"]),
        ),
        "feedback": (
            "insert into feedback (session_id, company_id, user_id, grader, rubric_version,"
            " overall) values (%s, %s, %s, 'me', 'v1', 100)",
            (t.sessions[t.other_salesperson], company, t.users["salesperson"]),
        ),
        "usage": (
            "insert into usage (company_id, kind, provider, operation)"
            " values (%s, 'llm', 'x', 'y')",
            (company,),
        ),
        "invitations": (
            "insert into invitations (company_id, email, token_hash, invited_by, expires_at)"
            " values (%s, 'x@new.test', %s, auth.uid(), now() + interval '1 day')",
            (company, uuid.uuid4().hex * 2),
        ),
    }


MANAGER_WRITABLE = {"documents", "knowledge_base", "personas", "invitations"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("table", TABLES)
def test_insert_matrix(db_url, tenants, role, table):
    me, other = tenants["alpha"], tenants["beta"]
    claims = _claims(me, role)
    query, params = _insert_statements(me, me.company)[table]
    allowed = table in MANAGER_WRITABLE and role != "salesperson"
    if allowed:
        assert run_as(db_url, claims, query, *params) == [None]
    else:
        with pytest.raises(Denied):
            run_as(db_url, claims, query, *params)
    # with the other company's id: always refused
    query, params = _insert_statements(me, other.company)[table]
    with pytest.raises((Denied, psycopg.errors.ForeignKeyViolation)):
        run_as(db_url, claims, query, *params)


_UPDATES = {
    "companies": ("update companies set name = 'renamed' where id = %s", "company"),
    "profiles": ("update profiles set full_name = 'x' where id = %s", "profile"),
    "documents": ("update documents set filename = 'b.pdf' where id = %s", "document"),
    "knowledge_base": ("update knowledge_base set content = 'x' where id = %s", "chunk"),
    "personas": ("update personas set name = 'x' where id = %s", "persona"),
    "training_sessions": ("update training_sessions set status = 'ended' where id = %s", "session"),
    "feedback": ("update feedback set override_note = 'x' where session_id = %s", "session"),
    "usage": ("update usage set cost_usd = 0 where company_id = %s", "company"),
    "invitations": (
        "update invitations set full_name = 'x', invited_by = auth.uid() where id = %s",
        "invitation",
    ),
}


def _target(t: Tenant, kind: str) -> Any:
    return {
        "company": t.company,
        "profile": t.other_salesperson,
        "document": t.document,
        "chunk": t.chunk,
        "persona": t.persona_active,
        "session": t.sessions[t.other_salesperson],
        "invitation": t.invitation,
    }[kind]


def _expected_update(table: str, role: str) -> int | None:
    """Rows changed in one's own company; None = refused outright (no privilege)."""
    if table in ("training_sessions", "usage"):
        return None
    if table in ("companies", "profiles"):
        return 1 if role == "admin" else 0
    return 0 if role == "salesperson" else 1


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("table", TABLES)
def test_update_matrix(db_url, tenants, role, table):
    me, other = tenants["alpha"], tenants["beta"]
    claims = _claims(me, role)
    query, kind = _UPDATES[table]
    expected = _expected_update(table, role)
    for tenant, rows in ((me, expected), (other, 0 if expected is not None else None)):
        if rows is None:
            with pytest.raises(Denied):
                run_as(db_url, claims, query, _target(tenant, kind))
        else:
            assert len(run_as(db_url, claims, query, _target(tenant, kind))) == rows, tenant


@pytest.mark.parametrize("table", sorted(MANAGER_WRITABLE))
def test_moving_a_row_to_another_company_is_refused(db_url, tenants, table):
    me, other = tenants["alpha"], tenants["beta"]
    key = {
        "documents": "document",
        "knowledge_base": "chunk",
        "personas": "persona",
        "invitations": "invitation",
    }[table]
    with pytest.raises((Denied, psycopg.errors.ForeignKeyViolation)):
        run_as(
            db_url,
            _claims(me, "admin"),
            f"update {table} set company_id = %s where id = %s",
            other.company,
            _target(me, key),
        )


def test_scores_cannot_be_rewritten_by_anyone(db_url, tenants):
    me = tenants["alpha"]
    for role in ROLES:
        with pytest.raises(Denied):
            run_as(
                db_url,
                _claims(me, role),
                "update feedback set overall = 100 where session_id = %s",
                me.sessions[me.users["salesperson"]],
            )


_DELETES = {
    "companies": ("delete from companies where id = %s", "company"),
    "profiles": ("delete from profiles where id = %s", "profile"),
    "documents": ("delete from documents where id = %s", "document"),
    "knowledge_base": ("delete from knowledge_base where id = %s", "chunk"),
    "personas": ("delete from personas where id = %s", "persona"),
    "training_sessions": ("delete from training_sessions where id = %s", "session"),
    "feedback": ("delete from feedback where session_id = %s", "session"),
    "usage": ("delete from usage where company_id = %s", "company"),
    "invitations": ("delete from invitations where id = %s", "invitation"),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("table", TABLES)
def test_delete_matrix(db_url, tenants, role, table):
    me, other = tenants["alpha"], tenants["beta"]
    claims = _claims(me, role)
    query, kind = _DELETES[table]
    if table not in MANAGER_WRITABLE:
        with pytest.raises(Denied):
            run_as(db_url, claims, query, _target(me, kind))
        return
    own = 0 if role == "salesperson" else 1
    if table == "personas" and own:
        # sessions reference the persona: archive, never delete, a persona in use
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            run_as(db_url, claims, query, _target(me, kind))
    else:
        assert len(run_as(db_url, claims, query, _target(me, kind))) == own
    assert len(run_as(db_url, claims, query, _target(other, kind))) == 0


def test_hook_adds_company_and_role_claims(sql, tenants):
    me = tenants["alpha"]
    event = {"user_id": str(me.users["manager"]), "claims": {"sub": "x", "role": "authenticated"}}
    out = _one(sql, "select public.custom_access_token_hook(%s)", Jsonb(event))
    assert out["claims"]["company_id"] == str(me.company)
    assert out["claims"]["user_role"] == "manager"
    stranger = {
        "user_id": str(uuid.uuid4()),
        "claims": {"company_id": "forged", "user_role": "admin"},
    }
    out = _one(sql, "select public.custom_access_token_hook(%s)", Jsonb(stranger))
    assert "company_id" not in out["claims"] and "user_role" not in out["claims"]


def test_hook_is_not_callable_by_users(db_url, tenants):
    with pytest.raises(Denied):
        run_as(
            db_url,
            _claims(tenants["alpha"], "admin"),
            "select public.custom_access_token_hook('{}'::jsonb)",
        )


def test_invitations_keep_their_token_hash_and_admin_invites_to_admins(db_url, tenants):
    me = tenants["alpha"]
    for role in ROLES:
        with pytest.raises(Denied):
            run_as(db_url, _claims(me, role), "select token_hash from public.invitations")
    admin_invite = (
        "insert into invitations (company_id, email, role, token_hash, invited_by, expires_at)"
        " values (%s, 'boss@new.test', 'admin', %s, auth.uid(), now() + interval '1 day')"
    )
    with pytest.raises(Denied):
        run_as(db_url, _claims(me, "manager"), admin_invite, me.company, uuid.uuid4().hex * 2)
    assert run_as(db_url, _claims(me, "admin"), admin_invite, me.company, uuid.uuid4().hex * 2)
    forged_inviter = (
        "insert into invitations (company_id, email, token_hash, invited_by, expires_at)"
        " values (%s, 'x@new.test', %s, %s, now() + interval '1 day')"
    )
    with pytest.raises(Denied):
        run_as(
            db_url,
            _claims(me, "manager"),
            forged_inviter,
            me.company,
            uuid.uuid4().hex * 2,
            me.users["admin"],
        )
