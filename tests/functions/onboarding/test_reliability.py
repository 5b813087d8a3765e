"""Outages, duplicates, concurrency, reprocessing and the no-second-bill guarantee."""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

import httpx
import pytest
import respx

from dojo.errors import ServiceUnavailable
from dojo.providers import storage
from dojo_local import dispatcher
from dojo_local.offline.embeddings import offline_vector
from onboarding import ingest, sweeper
from onboarding.store import pipeline

from .conftest import SALES_TEXT, chunks, document, make_pdf, upload, wait_for

OPENAI = "https://api.openai.test/v1"


def _many_pages(n: int) -> bytes:
    """A PDF whose chunks are all different (so nothing is reused within it)."""
    pages = [
        " ".join(
            f"Cláusula {p}.{i}: o cliente número {p * 100 + i} paga R$ {p * 7 + i},00 por mês."
            for i in range(25)
        )
        for p in range(n)
    ]
    return make_pdf(pages)


class FakeOpenAI:
    """The embeddings endpoint in OpenAI's response shape, counting requests; can fail."""

    def __init__(self, router: respx.MockRouter) -> None:
        self.requests: list[list[str]] = []
        self.fail_from: int | None = None
        self.status = 503
        router.post(f"{OPENAI}/embeddings").mock(side_effect=self.answer)

    def answer(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.requests.append(body["input"])
        if self.fail_from is not None and len(self.requests) > self.fail_from:
            return httpx.Response(self.status, json={"error": {"message": "overloaded"}})
        data = [
            {"object": "embedding", "index": i, "embedding": offline_vector(t)}
            for i, t in enumerate(body["input"])
        ]
        tokens = sum(len(t) // 4 for t in body["input"])
        return httpx.Response(
            200,
            json={
                "object": "list",
                "data": data,
                "model": body["model"],
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            },
        )


@pytest.fixture
def openai_api(mock_http, settings_env) -> FakeOpenAI:
    settings_env(
        embeddings_provider="openai",
        openai_api_key="sk-test",
        openai_base_url=OPENAI,
        openai_max_retries=2,
        openai_retry_wait_seconds=0.001,
        openai_retry_wait_max_seconds=0.01,
        chunk_size=200,
        chunk_overlap=20,
    )
    return FakeOpenAI(mock_http)


def _age(sql: Any, document_id: str, seconds: int) -> None:
    """Pretend the document was last touched `seconds` ago (bypassing the touch trigger)."""
    sql.execute("set session_replication_role = replica")
    sql.execute(
        "update public.documents set updated_at = now() - make_interval(secs => %s),"
        " processing_started_at = now() - make_interval(secs => %s) where id = %s",
        (seconds, seconds, document_id),
    )
    sql.execute("set session_replication_role = origin")


def test_batches_of_100_and_reupload_makes_zero_requests(
    api, make_user, sql, process, openai_api
) -> None:
    manager = make_user("Nuvem", "manager")
    pdf = _many_pages(25)
    [first] = upload(api, manager.headers, [("precos.pdf", pdf)])
    process()
    row = _settled(sql, first)
    assert row["status"] == "ready", row["error"]
    distinct = len({c["content_hash"] for c in chunks(sql, first)})
    assert distinct > 200
    assert len(openai_api.requests) == -(-distinct // 100)  # ceil: one request per 100 chunks
    assert all(len(batch) <= 100 for batch in openai_api.requests)
    assert row["embeddings_created"] == distinct
    assert {c["embedding_model"] for c in chunks(sql, first)} == {"text-embedding-3-small"}

    made = len(openai_api.requests)
    [again] = upload(api, manager.headers, [("precos-copia.pdf", pdf)])
    process()
    assert _settled(sql, again)["status"] == "ready"
    assert document(sql, again)["embeddings_created"] == 0
    reprocess = api.post(f"/api/v1/onboarding/documents/{first}/reprocess", headers=manager.headers)
    assert reprocess.status_code == 202
    process()
    assert _settled(sql, first)["status"] == "ready"
    assert len(openai_api.requests) == made  # zero embedding requests for the same bytes
    usage = sql.execute(
        "select count(*) as n, sum(inputs) as inputs from public.usage where kind = 'embeddings'"
    ).fetchone()
    assert usage["inputs"] == distinct


def _settled(sql: Any, document_id: str) -> dict[str, Any]:
    """The document once its processing is over. A 25-page PDF can outlast the hook's delivery
    timeout on a loaded machine; the function goes on after the caller stops waiting (as Lambda
    does behind pg_net), so the test waits for the row, not for the delivery."""
    wait_for(lambda: document(sql, document_id)["status"] not in ("pending", "processing"), 120)
    return document(sql, document_id)


def test_outage_mid_document_is_retryable_and_the_sweeper_finishes(
    api, make_user, sql, process, openai_api
) -> None:
    manager = make_user("Nuvem", "manager")
    [good] = upload(api, manager.headers, [("bom.pdf", make_pdf([SALES_TEXT]))])
    process()
    good_chunks = chunks(sql, good)
    openai_api.fail_from = len(openai_api.requests) + 1  # the second batch and all after fail
    [doc] = upload(api, manager.headers, [("grande.pdf", _many_pages(25))])
    process()

    row = document(sql, doc)
    assert row["status"] == "failed"
    assert row["retryable"]
    assert row["error_code"] == "embeddings_unavailable"
    assert row["error"] == (
        "O serviço que indexa o conteúdo está indisponível no momento."
        " Vamos tentar de novo automaticamente."
    )
    assert chunks(sql, doc) == []
    assert chunks(sql, good) == good_chunks

    openai_api.fail_from = None  # the service is back
    assert sweeper.sweep()["ready"] == 0  # backoff: too early to retry
    _age(sql, doc, 3600)
    summary = sweeper.sweep()
    assert summary["ready"] == 1
    row = document(sql, doc)
    assert row["status"] == "ready"
    assert row["chunk_count"] == len(chunks(sql, doc)) > 200
    assert chunks(sql, good) == good_chunks


def test_the_sweeper_gives_up_after_max_attempts(api, make_user, sql, process, openai_api) -> None:
    openai_api.fail_from = 0
    manager = make_user("Nuvem", "manager")
    [doc] = upload(api, manager.headers, [("a.txt", SALES_TEXT.encode())])
    process()
    for _ in range(6):
        _age(sql, doc, 7200)
        sweeper.sweep()
    row = document(sql, doc)
    assert row["status"] == "failed"
    assert not row["retryable"]
    assert row["error_code"] == "embeddings_unavailable"
    assert "Desistimos após 5 tentativas" in row["error"]


def test_same_hook_twice_gives_one_set_of_chunks(api, make_user, sql, world) -> None:
    manager = make_user("Nuvem", "manager")
    [doc] = upload(api, manager.headers, [("kit.pdf", make_pdf([SALES_TEXT * 5]))])
    [queued] = dispatcher.pending(world.env.database_url)
    assert queued["body"] == {
        "type": "document.uploaded",
        "document_id": doc,
        "company_id": str(manager.company_id),
    }
    dispatcher.drain(world.env.database_url)
    first = chunks(sql, doc)
    replay = httpx.post(queued["url"], json=queued["body"], headers=queued["headers"])
    assert replay.status_code == 200
    assert replay.json()["outcome"] == "skipped"
    assert chunks(sql, doc) == first
    assert document(sql, doc)["attempts"] == 1


def test_two_workers_on_one_document_give_one_set_of_chunks(api, make_user, sql) -> None:
    manager = make_user("Nuvem", "manager")
    [doc] = upload(api, manager.headers, [("kit.pdf", make_pdf([SALES_TEXT * 20]))])
    sql.execute("delete from net.http_request_queue")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def work() -> None:
        barrier.wait()
        outcomes.append(ingest.process(uuid.UUID(doc), manager.company_id).outcome)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ready", "skipped"]
    rows = chunks(sql, doc)
    assert [c["chunk_index"] for c in rows] == list(range(len(rows)))
    assert document(sql, doc)["chunk_count"] == len(rows)


def test_a_superseded_worker_cannot_write(api, make_user, sql, monkeypatch) -> None:
    manager = make_user("Nuvem", "manager")
    [doc] = upload(api, manager.headers, [("kit.pdf", make_pdf([SALES_TEXT]))])
    sql.execute("delete from net.http_request_queue")
    real_embed = ingest._embed

    def stolen(claim, chunk_list, model):
        # while this worker embeds, the sweeper decides it died and re-claims the document
        sql.execute("update public.documents set attempts = attempts + 1 where id = %s", (doc,))
        return real_embed(claim, chunk_list, model)

    monkeypatch.setattr(ingest, "_embed", stolen)
    assert ingest.process(uuid.UUID(doc), manager.company_id).outcome == "skipped"
    assert chunks(sql, doc) == []


def test_reprocess_replaces_chunks_in_one_transaction(
    api, make_user, sql, process, monkeypatch
) -> None:
    manager = make_user("Nuvem", "manager")
    [doc] = upload(api, manager.headers, [("kit.pdf", make_pdf([SALES_TEXT * 12]))])
    process()
    old = chunks(sql, doc)
    assert len(old) > 2

    calls = {"n": 0}
    real = pipeline.jsonb

    def failing_jsonb(value):
        calls["n"] += 1
        if calls["n"] == 3:  # the crash happens after two chunks were written
            raise RuntimeError("worker died mid-write")
        return real(value)

    monkeypatch.setattr(pipeline, "jsonb", failing_jsonb)
    response = api.post(f"/api/v1/onboarding/documents/{doc}/reprocess", headers=manager.headers)
    assert response.status_code == 202
    process()
    assert chunks(sql, doc) == old  # all or nothing: the old set stands
    row = document(sql, doc)
    assert row["status"] == "failed"
    assert row["retryable"]
    assert row["error_code"] == "unexpected_error"
    assert row["error"] == (
        "O processamento parou por um erro inesperado. Vamos tentar de novo automaticamente."
    )

    monkeypatch.setattr(pipeline, "jsonb", real)
    assert (
        api.post(
            f"/api/v1/onboarding/documents/{doc}/reprocess", headers=manager.headers
        ).status_code
        == 202
    )
    process()
    new = chunks(sql, doc)
    assert document(sql, doc)["status"] == "ready"
    assert [c["content"] for c in new] == [c["content"] for c in old]
    assert not {c["id"] for c in new} & {c["id"] for c in old}  # replaced, not appended


def test_reprocess_while_processing_is_409(api, make_user, sql) -> None:
    manager = make_user("Nuvem", "manager")
    [doc] = upload(api, manager.headers, [("kit.pdf", make_pdf([SALES_TEXT]))])
    sql.execute("update public.documents set status = 'processing' where id = %s", (doc,))
    response = api.post(f"/api/v1/onboarding/documents/{doc}/reprocess", headers=manager.headers)
    assert response.status_code == 409
    assert response.json()["error"]["message"] == (
        "O documento está sendo processado agora; tente de novo quando terminar."
    )


def test_storage_outage_is_retryable_and_says_so_in_english(
    api, make_user, sql, process, monkeypatch
) -> None:
    manager = make_user("Cloudy", "manager")
    sql.execute("update public.companies set locale = 'en-US' where id = %s", (manager.company_id,))
    [doc] = upload(api, manager.headers, [("kit.pdf", make_pdf([SALES_TEXT]))])

    def down(self: object, path: str) -> bytes:
        raise ServiceUnavailable("storage could not download: 503 from upstream")

    monkeypatch.setattr(type(storage.get_storage()), "get", down)
    process()
    row = document(sql, doc)
    assert (row["status"], row["retryable"], row["error_code"]) == (
        "failed",
        True,
        "storage_unavailable",
    )
    assert row["error"] == "file storage is unavailable right now; it will be retried automatically"
    assert "503" not in row["error"]  # the technical cause is logged, not shown


def test_storage_outage_on_delete_is_a_503_in_portuguese(api, make_user, sql, monkeypatch) -> None:
    manager = make_user("Nuvem", "manager")
    [doc] = upload(api, manager.headers, [("kit.pdf", make_pdf([SALES_TEXT]))])

    def down(self: object, path: str) -> None:
        raise ServiceUnavailable("storage could not delete the file: bucket locked")

    monkeypatch.setattr(type(storage.get_storage()), "remove", down)
    response = api.delete(f"/api/v1/onboarding/documents/{doc}", headers=manager.headers)
    assert response.status_code == 503
    assert response.json()["error"]["message"] == (
        "O armazenamento de arquivos está indisponível no momento: tente de novo em instantes."
    )
    assert document(sql, doc) is not None  # nothing deleted


def test_lost_hook_is_finished_by_the_sweeper(api, make_user, sql) -> None:
    manager = make_user("Nuvem", "manager")
    [doc] = upload(api, manager.headers, [("kit.pdf", make_pdf([SALES_TEXT]))])
    sql.execute("delete from net.http_request_queue")  # pg_net lost it
    assert sweeper.sweep()["found"] == 0
    _age(sql, doc, 600)
    assert sweeper.sweep()["ready"] == 1
    assert document(sql, doc)["status"] == "ready"


def test_announced_upload_that_never_arrives_expires(api, make_user, sql, settings_env) -> None:
    settings_env(upload_url_seconds=60)
    manager = make_user("Nuvem", "manager")
    signed = api.post(
        "/api/v1/onboarding/upload-url",
        headers=manager.headers,
        json={"filename": "grande.pdf", "bytes": 1000},
    ).json()
    doc = signed["document_id"]
    assert sweeper.sweep()["expired_uploads"] == 0
    sql.execute(
        "update public.documents set created_at = now() - interval '1 hour' where id = %s", (doc,)
    )
    assert sweeper.sweep()["expired_uploads"] == 1
    row = document(sql, doc)
    assert row["status"] == "failed"
    assert row["error_code"] == "upload_abandoned"
    assert row["error"] == "O envio do arquivo não foi concluído: envie-o de novo."

    american = make_user("Cloudy", "manager")
    sql.execute(
        "update public.companies set locale = 'en-US' where id = %s", (american.company_id,)
    )
    late = api.post(
        "/api/v1/onboarding/upload-url",
        headers=american.headers,
        json={"filename": "big.pdf", "bytes": 1000},
    ).json()["document_id"]
    sql.execute(
        "update public.documents set created_at = now() - interval '1 hour' where id = %s", (late,)
    )
    assert sweeper.sweep()["expired_uploads"] == 1
    assert document(sql, late)["error"] == "the upload was never completed; upload the file again"
    assert document(sql, doc)["error"].startswith("O envio")  # already failed: untouched


def test_a_file_that_cannot_be_stored_fails_with_its_code(api, make_user, sql, monkeypatch) -> None:
    manager = make_user("Nuvem", "manager")

    def full_disk(self: object, path: str, data: bytes, content_type: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(type(storage.get_storage()), "put", full_disk)
    response = api.post(
        "/api/v1/onboarding/upload-documents",
        headers=manager.headers,
        files=[("files", ("kit.txt", SALES_TEXT.encode(), "text/plain"))],
    )
    assert response.status_code == 202
    assert response.json()["message"] == "0 de 1 arquivo(s) recebido(s); o processamento começou."
    [doc] = response.json()["documents"]
    row = document(sql, doc["id"])
    assert (row["status"], row["error_code"]) == ("failed", "store_failed")
    assert row["error"] == "Não foi possível guardar o arquivo: envie-o de novo."
