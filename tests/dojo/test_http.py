"""The common app behaviour: one error shape, request ids, health, no stack traces."""

from __future__ import annotations

import psycopg
from fastapi.testclient import TestClient

from dojo import db
from dojo.errors import Conflict
from dojo.http import create_app


def _app():
    app = create_app("probe", title="probe")

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    @app.get("/conflict")
    def conflict() -> None:
        raise Conflict("already there")

    @app.get("/items/{n}")
    def item(n: int) -> dict[str, int]:
        return {"n": n}

    return app


def test_error_shape_and_request_id_everywhere():
    client = TestClient(_app(), raise_server_exceptions=False)
    for path, status, code in [
        ("/boom", 500, "internal_error"),
        ("/conflict", 409, "conflict"),
        ("/items/abc", 422, "validation_error"),
        ("/nowhere", 404, "not_found"),
    ]:
        response = client.get(path, headers={"x-request-id": "req-123"})
        assert response.status_code == status
        body = response.json()
        assert body["error"]["code"] == code
        assert body["error"]["request_id"] == "req-123"
        assert response.headers["x-request-id"] == "req-123"
        assert "Traceback" not in response.text and "/etc/passwd" not in response.text


def test_method_not_allowed_has_the_shape():
    response = TestClient(_app()).post("/items/1")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_unsafe_request_ids_are_replaced():
    client = TestClient(_app())
    response = client.get("/items/1", headers={"x-request-id": "bad id\nwith newline" * 20})
    rid = response.headers["x-request-id"]
    assert rid and "\n" not in rid and len(rid) <= 128


def test_validation_errors_do_not_echo_input():
    response = TestClient(_app()).get("/items/sk-live-SECRET")
    assert response.status_code == 422
    assert "sk-live-SECRET" not in response.text


def test_every_function_answers_health_and_health_db(db_url):
    from dojo_local.gateway import load_apps

    for flow, app in load_apps().items():
        client = TestClient(app)
        assert client.get("/health").json() == {"status": "ok", "service": flow}
        assert client.get("/health/db").json()["database"] == "ok"


def test_health_db_is_503_when_the_database_is_unreachable(db_url, monkeypatch):
    from dojo.settings import get_settings

    monkeypatch.setenv("DOJO_DATABASE_URL", "postgresql://postgres@/postgres?host=/nonexistent")
    monkeypatch.setenv("DOJO_DB_CONNECT_TIMEOUT", "1")
    get_settings.cache_clear()
    db.close_pool()
    try:
        response = TestClient(_app(), raise_server_exceptions=False).get("/health/db")
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "service_unavailable"
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        db.close_pool()


def test_pool_recovers_from_a_dropped_connection(db_url):
    with db.service_transaction() as conn:
        pid = conn.execute("select pg_backend_pid() as pid").fetchone()["pid"]
    with psycopg.connect(db_url, autocommit=True) as admin:
        killed = admin.execute("select pg_terminate_backend(%s)", (pid,)).fetchone()
    assert killed == (True,)
    db.ping()  # the pool checks the connection and replaces the dead one


def test_tenant_transaction_sets_role_and_claims(db_url, make_user):
    user = make_user("Acme", "manager")
    claims = {"sub": str(user.id), "role": "authenticated", "company_id": str(user.company_id)}
    with db.tenant_transaction(claims) as conn:
        row = conn.execute(
            "select current_user as who, auth.uid() as uid, private.company_id() as company"
        ).fetchone()
    assert row == {"who": "authenticated", "uid": user.id, "company": user.company_id}
    with db.service_transaction() as conn:
        assert conn.execute("select current_user as who").fetchone() == {"who": "service_role"}
    # transaction-local: nothing leaks to the next user of the pooled connection
    with db.get_pool().connection() as conn:
        row = conn.execute(
            "select current_user as who, current_setting('request.jwt.claims', true) as c"
        ).fetchone()
    assert row["who"] == "postgres" and not row["c"]
