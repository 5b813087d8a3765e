"""The documents routes through the real gateway: upload both ways, list, delete, status, search,
the hook's secret, and the tenant wall (another company's document is a 404)."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from .conftest import SALES_TEXT, chunks, document, make_docx, make_pdf, upload

BASE = "/api/v1/onboarding"


def test_signed_upload_url_lands_through_the_same_trigger(
    api, make_user, sql, process, world
) -> None:
    manager = make_user("Nuvem", "manager")
    pdf = make_pdf([SALES_TEXT * 4])
    signed = api.post(
        f"{BASE}/upload-url",
        headers=manager.headers,
        json={"filename": "Proposta Comercial.pdf", "bytes": len(pdf)},
    )
    assert signed.status_code == 201, signed.text
    body = signed.json()
    doc = body["document_id"]
    assert body["method"] == "PUT"
    assert body["path"] == f"{manager.company_id}/{doc}/Proposta_Comercial.pdf"
    assert document(sql, doc)["status"] == "pending"
    assert process() == 0  # nothing arrived yet, nothing to process

    put = httpx.put(body["url"], content=pdf, headers={"content-type": "application/pdf"})
    assert put.status_code == 200, put.text
    assert process() == 1
    row = document(sql, doc)
    assert row["status"] == "ready", row["error"]
    assert row["filename"] == "Proposta Comercial.pdf"
    assert row["storage_object_id"] is not None
    stored = Path(world.env.base) / "storage" / "documents" / body["path"]
    assert stored.read_bytes() == pdf

    forged = body["url"].rsplit(".", 1)[0] + ".0000"
    assert httpx.put(forged, content=pdf).status_code == 401


def test_list_get_status_search_and_delete(api, make_user, sql, process, world) -> None:
    manager = make_user("Nuvem", "manager")
    seller = make_user("Nuvem", "salesperson")
    ids = upload(
        api,
        manager.headers,
        [
            ("planos.pdf", make_pdf(["Planos", SALES_TEXT * 2])),
            ("faq.docx", make_docx([("Suporte", ["O suporte atende por chat e telefone."])])),
            ("vazio.txt", b""),
        ],
    )
    process()

    listed = api.get(f"{BASE}/documents", headers=seller.headers)
    assert listed.status_code == 200
    assert {d["id"] for d in listed.json()} == set(ids)
    failed = api.get(f"{BASE}/documents?status=failed", headers=seller.headers).json()
    assert [d["id"] for d in failed] == [ids[2]]

    status = api.get(f"{BASE}/status", headers=manager.headers).json()
    assert status["documents"] == 3
    assert status["by_status"] == {"pending": 0, "processing": 0, "ready": 2, "failed": 1}
    total_chunks = len(chunks(sql, ids[0])) + len(chunks(sql, ids[1]))
    assert status["chunks"] == total_chunks
    assert status["embeddings_created"] == total_chunks

    hits = api.get(
        f"{BASE}/search",
        params={"q": "quanto custa o plano profissional?", "k": 3},
        headers=seller.headers,
    )
    assert hits.status_code == 200
    best = hits.json()[0]
    assert best["filename"] == "planos.pdf"
    assert best["page"] == 2
    assert "R$ 349" in best["content"]
    assert best["score"] > 0

    assert api.delete(f"{BASE}/documents/{ids[0]}", headers=seller.headers).status_code == 403
    path = document(sql, ids[0])["storage_path"]
    assert api.delete(f"{BASE}/documents/{ids[0]}", headers=manager.headers).status_code == 204
    assert sql.execute("select 1 from public.documents where id = %s", (ids[0],)).fetchone() is None
    assert chunks(sql, ids[0]) == []
    assert sql.execute("select 1 from storage.objects where name = %s", (path,)).fetchone() is None
    assert not (Path(world.env.base) / "storage" / "documents" / path).exists()
    assert api.get(f"{BASE}/documents/{ids[0]}", headers=manager.headers).status_code == 404
    assert len(chunks(sql, ids[1])) > 0


def test_salesperson_cannot_upload(api, make_user) -> None:
    seller = make_user("Nuvem", "salesperson")
    response = api.post(
        f"{BASE}/upload-documents",
        headers=seller.headers,
        files=[("files", ("a.txt", b"ola", "text/plain"))],
    )
    assert response.status_code == 403


def test_hook_requires_the_secret(world, make_user) -> None:
    manager = make_user("Nuvem", "manager")
    body = {
        "type": "document.uploaded",
        "document_id": str(uuid.uuid4()),
        "company_id": str(manager.company_id),
    }
    url = f"{world.server.url}/internal/onboarding/hook"
    assert httpx.post(url, json=body).status_code == 401
    wrong = httpx.post(url, json=body, headers={"X-Dojo-Hook-Secret": "nope"})
    assert wrong.status_code == 401
    right = httpx.post(url, json=body, headers={"X-Dojo-Hook-Secret": world.env.hook_secret})
    assert right.status_code == 200
    assert right.json()["outcome"] == "skipped"


@pytest.mark.parametrize("role", ["salesperson", "manager", "admin"])
def test_other_company_documents_are_404(api, make_user, sql, process, role) -> None:
    owner = make_user("Nuvem", "manager")
    [doc] = upload(api, owner.headers, [("segredo.pdf", make_pdf(["Preço secreto R$ 999"]))])
    process()
    other = make_user("Concorrente", role)
    h = other.headers
    assert api.get(f"{BASE}/documents/{doc}", headers=h).status_code == 404
    assert api.get(f"{BASE}/documents", headers=h).json() == []
    assert api.get(f"{BASE}/status", headers=h).json()["documents"] == 0
    assert api.get(f"{BASE}/search", params={"q": "preço secreto"}, headers=h).json() == []
    expected = 404 if role != "salesperson" else 403
    assert api.delete(f"{BASE}/documents/{doc}", headers=h).status_code == expected
    assert api.post(f"{BASE}/documents/{doc}/reprocess", headers=h).status_code == expected
    assert document(sql, doc)["status"] == "ready"
    assert len(chunks(sql, doc)) > 0


def test_hook_for_another_company_does_nothing(world, make_user, api, sql) -> None:
    owner = make_user("Nuvem", "manager")
    [doc] = upload(api, owner.headers, [("a.pdf", make_pdf([SALES_TEXT]))])
    other = make_user("Concorrente", "manager")
    body = {"type": "document.uploaded", "document_id": doc, "company_id": str(other.company_id)}
    response = httpx.post(
        f"{world.server.url}/internal/onboarding/hook",
        json=body,
        headers={"X-Dojo-Hook-Secret": world.env.hook_secret},
    )
    assert response.json()["outcome"] == "skipped"
    assert document(sql, doc)["status"] == "pending"
