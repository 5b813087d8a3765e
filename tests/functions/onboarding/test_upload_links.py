"""Signed upload links create their object once, at most the announced size, and die with their
document: locally (the stand-in refuses, 4xx, and nothing changes) and at the database (the upload
trigger refuses an object for a deleted document; the pipeline refuses a file larger than
announced, which Storage itself cannot). No token reaches a log line."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from psycopg.types.json import Jsonb

from dojo.providers.storage import get_storage
from dojo_local import dispatcher
from dojo_local.server import BackgroundServer
from onboarding import sweeper

from .conftest import SALES_TEXT, document

BASE = "/api/v1/onboarding"


def _announce(api, user, size: int, filename: str = "kit.txt") -> dict:
    response = api.post(
        f"{BASE}/upload-url", headers=user.headers, json={"filename": filename, "bytes": size}
    )
    assert response.status_code == 201, response.text
    return response.json()


def _stored(world, signed: dict) -> Path:
    return Path(world.env.base) / "storage" / "documents" / signed["path"]


def _objects(sql) -> int:
    return sql.execute("select count(*) as n from storage.objects").fetchone()["n"]


def test_a_link_uploads_once_and_a_second_put_changes_nothing(
    api, make_user, sql, process, world
) -> None:
    manager = make_user("Nuvem", "manager")
    first = SALES_TEXT.encode()
    signed = _announce(api, manager, len(first))
    assert httpx.put(signed["url"], content=first).status_code == 200
    assert process() == 1
    before = document(sql, signed["document_id"])
    assert before["status"] == "ready"
    assert before["sha256"] == hashlib.sha256(first).hexdigest()

    again = httpx.put(signed["url"], content=b"x" * len(first))
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "upload_link_used"
    assert _stored(world, signed).read_bytes() == first
    assert document(sql, signed["document_id"]) == before
    assert _objects(sql) == 1
    assert dispatcher.pending(world.env.database_url) == []


def test_a_link_refuses_more_than_announced_without_reading_it_all(
    api, make_user, sql, world
) -> None:
    manager = make_user("Nuvem", "manager")
    signed = _announce(api, manager, 10)
    # content-length says too much: refused before the body is read
    declared = httpx.put(signed["url"], content=b"a" * 1867)
    assert declared.status_code == 413
    assert declared.json()["error"]["details"] == {
        "max_bytes": 10,
        "reason": "larger_than_announced",
    }

    # no content-length (chunked): refused while streaming, at the 11th byte
    def chunks() -> Iterator[bytes]:
        yield b"a" * 8
        yield b"a" * 8
        yield b"a" * 50_000

    streamed = httpx.put(signed["url"], content=chunks())
    assert streamed.status_code == 413
    assert _objects(sql) == 0
    assert not _stored(world, signed).exists()
    row = document(sql, signed["document_id"])
    assert (row["status"], row["storage_object_id"]) == ("pending", None)

    # a refused body does not use the link up: the announced file still lands
    assert httpx.put(signed["url"], content=b"0123456789").status_code == 200
    assert _stored(world, signed).read_bytes() == b"0123456789"


def test_a_link_dies_with_its_document(api, make_user, sql, process, world) -> None:
    manager = make_user("Nuvem", "manager")
    data = SALES_TEXT.encode()
    never_used = _announce(api, manager, len(data))
    used = _announce(api, manager, len(data), "usado.txt")
    assert httpx.put(used["url"], content=data).status_code == 200
    process()
    for signed in (never_used, used):
        deleted = api.delete(f"{BASE}/documents/{signed['document_id']}", headers=manager.headers)
        assert deleted.status_code == 204

    for signed in (never_used, used):
        late = httpx.put(signed["url"], content=data)
        assert late.status_code == 410, late.text
        assert late.json()["error"]["code"] == "upload_link_dead"
        assert not _stored(world, signed).exists()
    assert sql.execute("select count(*) as n from public.documents").fetchone()["n"] == 0
    assert _objects(sql) == 0
    assert dispatcher.pending(world.env.database_url) == []
    listed = api.get(f"{BASE}/documents", headers=manager.headers).json()
    assert listed == []


def test_the_upload_trigger_refuses_an_object_for_a_deleted_document(
    api, make_user, sql, world
) -> None:
    """Production's path: Storage inserts the object row itself, the trigger refuses it."""
    manager = make_user("Nuvem", "manager")
    signed = _announce(api, manager, 100)
    api.delete(f"{BASE}/documents/{signed['document_id']}", headers=manager.headers)
    with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState):
        sql.execute(
            "insert into storage.objects (bucket_id, name, metadata) values ('documents', %s, %s)",
            (signed["path"], Jsonb({"size": 100})),
        )
    assert sql.execute("select count(*) as n from public.documents").fetchone()["n"] == 0
    assert dispatcher.pending(world.env.database_url) == []


def test_the_pipeline_refuses_a_stored_file_larger_than_announced(
    api, make_user, sql, process
) -> None:
    """Storage cannot bind a size to its link: what lands larger than announced is not read."""
    manager = make_user("Nuvem", "manager")
    signed = _announce(api, manager, 10)
    get_storage().put(signed["path"], SALES_TEXT.encode(), "text/plain")  # as Storage
    assert process() == 1
    row = document(sql, signed["document_id"])
    assert (row["status"], row["error_code"], row["retryable"]) == (
        "failed",
        "larger_than_announced",
        False,
    )
    assert "10 bytes" in row["error"]
    assert row["chunk_count"] == 0


def test_deleted_documents_are_forgotten_once_no_link_can_name_them(
    api, make_user, sql, settings_env
) -> None:
    settings_env(upload_url_seconds=60)
    manager = make_user("Nuvem", "manager")
    old, recent = _announce(api, manager, 10), _announce(api, manager, 10)
    for signed in (old, recent):
        api.delete(f"{BASE}/documents/{signed['document_id']}", headers=manager.headers)
    sql.execute(
        "update private.deleted_documents set deleted_at = now() - interval '1 hour' where id = %s",
        (old["document_id"],),
    )
    sweeper.sweep()
    left = sql.execute("select id::text from private.deleted_documents").fetchall()
    assert left == [{"id": recent["document_id"]}]


def test_no_upload_or_invitation_token_reaches_the_access_log(api, make_user, world) -> None:
    manager = make_user("Nuvem", "manager")
    signed = _announce(api, manager, 5)
    server = BackgroundServer(log_level="info").start()
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    access = logging.getLogger("uvicorn.access")
    access.addHandler(handler)
    try:
        local_url = signed["url"].replace(world.server.url, server.url)
        assert httpx.put(local_url, content=b"12345").status_code == 200
        httpx.get(f"{server.url}/invitations/accept/?token=secret-invitation-token")
    finally:
        access.removeHandler(handler)
        server.stop()
    lines = [logging.Formatter("%(message)s").format(r) for r in records]
    assert any("/uploads/<redacted>" in line for line in lines), lines
    assert any("token=<redacted>" in line for line in lines), lines
    assert not any(signed["token"] in line for line in lines)
    assert not any("secret-invitation-token" in line for line in lines)
