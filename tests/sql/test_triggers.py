"""Triggers enqueue exactly the HTTP calls production's pg_net would send, and nothing else."""

from __future__ import annotations

import uuid

import pytest
from psycopg.types.json import Jsonb

from dojo_local import accounts, dispatcher


@pytest.fixture
def company(sql) -> uuid.UUID:
    user = accounts.ensure_user(sql, "m@acme.test", company="Acme", role="manager")
    row = sql.execute("select company_id from profiles where id = %s", (user,)).fetchone()
    return row["company_id"]


def _upload(sql, name: str, size: int = 10) -> None:
    sql.execute(
        "insert into storage.objects (bucket_id, name, metadata) values ('documents', %s, %s)",
        (name, Jsonb({"size": size, "mimetype": "application/pdf"})),
    )


def test_upload_enqueues_one_onboarding_request(sql, db_url, company, world):
    doc = uuid.uuid4()
    _upload(sql, f"{company}/{doc}/kit.pdf", 1234)
    queued = dispatcher.pending(db_url)
    assert len(queued) == 1
    request = queued[0]
    assert request["url"] == f"{world.env.base_url}/internal/onboarding/hook"
    assert request["body"] == {
        "type": "document.uploaded",
        "document_id": str(doc),
        "company_id": str(company),
    }
    assert request["headers"]["X-Dojo-Hook-Secret"] == world.env.hook_secret
    row = sql.execute("select * from documents where id = %s", (doc,)).fetchone()
    assert row["company_id"] == company
    assert row["status"] == "pending"
    assert row["filename"] == "kit.pdf"
    assert row["bytes"] == 1234


@pytest.mark.parametrize(
    "name",
    [
        "loose.pdf",
        "not-a-uuid/x/kit.pdf",
        "{company}/not-a-uuid/kit.pdf",
        "{company}/{doc}/a/b.pdf",
    ],
)
def test_objects_outside_the_convention_enqueue_nothing(sql, db_url, company, name):
    _upload(sql, name.format(company=company, doc=uuid.uuid4()))
    assert dispatcher.pending(db_url) == []
    assert sql.execute("select count(*) as n from documents").fetchone()["n"] == 0


def test_unknown_company_enqueues_nothing(sql, db_url, company):
    _upload(sql, f"{uuid.uuid4()}/{uuid.uuid4()}/kit.pdf")
    assert dispatcher.pending(db_url) == []


def test_other_bucket_enqueues_nothing(sql, db_url, company):
    sql.execute("insert into storage.buckets (id, name) values ('avatars', 'avatars')")
    sql.execute(
        "insert into storage.objects (bucket_id, name) values ('avatars', %s)",
        (f"{company}/{uuid.uuid4()}/me.png",),
    )
    assert dispatcher.pending(db_url) == []


def test_a_document_id_of_another_company_is_not_hijacked(sql, db_url, company):
    other = accounts.ensure_user(sql, "m@beta.test", company="Beta", role="manager")
    other_company = sql.execute(
        "select company_id from profiles where id = %s", (other,)
    ).fetchone()
    doc = uuid.uuid4()
    _upload(sql, f"{company}/{doc}/kit.pdf")
    _upload(sql, f"{other_company['company_id']}/{doc}/evil.pdf")
    assert len(dispatcher.pending(db_url)) == 1
    row = sql.execute("select company_id, filename from documents where id = %s", (doc,)).fetchone()
    assert row == {"company_id": company, "filename": "kit.pdf"}


def test_missing_hook_configuration_never_fails_the_upload(sql, db_url, company, world):
    sql.execute("delete from vault.secrets where name = 'onboarding_hook_url'")
    try:
        doc = uuid.uuid4()
        _upload(sql, f"{company}/{doc}/kit.pdf")
        assert dispatcher.pending(db_url) == []
        status = sql.execute("select status from documents where id = %s", (doc,)).fetchone()
        assert status["status"] == "pending"  # the sweeper finishes it
    finally:
        from dojo_local import migrate

        migrate.configure_hooks(db_url, world.env.base_url, world.env.hook_secret)


def _session(sql, company: uuid.UUID) -> uuid.UUID:
    user = sql.execute("select id from profiles where company_id = %s", (company,)).fetchone()
    return sql.execute(
        "insert into training_sessions (company_id, user_id, mode, rubric_version)"
        " values (%s, %s, 'text', 'v1') returning id",
        (company, user["id"]),
    ).fetchone()["id"]


def test_ending_a_session_enqueues_one_grading_request(sql, db_url, company, world):
    session = _session(sql, company)
    sql.execute("update training_sessions set status = 'active' where id = %s", (session,))
    sql.execute("update training_sessions set transcript = '[]' where id = %s", (session,))
    assert dispatcher.pending(db_url) == []
    sql.execute("update training_sessions set status = 'ended' where id = %s", (session,))
    sql.execute("update training_sessions set status = 'ended' where id = %s", (session,))
    sql.execute("update training_sessions set ended_reason = 'x' where id = %s", (session,))
    queued = dispatcher.pending(db_url)
    assert len(queued) == 1
    assert queued[0]["url"] == f"{world.env.base_url}/internal/grading/hook"
    assert queued[0]["body"] == {
        "type": "session.ended",
        "session_id": str(session),
        "company_id": str(company),
    }


def test_rolled_back_end_enqueues_nothing(sql, db_url, company):
    session = _session(sql, company)
    with sql.transaction(force_rollback=True):
        sql.execute("update training_sessions set status = 'ended' where id = %s", (session,))
    assert dispatcher.pending(db_url) == []


def test_dispatcher_posts_over_http_and_records_the_response(sql, db_url, company, world):
    _upload(sql, f"{company}/{uuid.uuid4()}/kit.pdf")
    assert dispatcher.drain(db_url) == 1
    assert dispatcher.pending(db_url) == []
    response = sql.execute("select status_code, error_msg from net._http_response").fetchone()
    assert response["error_msg"] is None
    assert response["status_code"] is not None
