"""Upload → storage.objects trigger → net queue → dispatcher → hook → chunks, over real HTTP."""

from __future__ import annotations

from .conftest import SALES_TEXT, chunks, document, make_docx, make_pdf, upload


def test_pdf_and_docx_become_ready_with_pages_and_headings(api, make_user, sql, process) -> None:
    manager = make_user("Nuvem", "manager")
    pdf = make_pdf([SALES_TEXT * 3, "Garantia\n\nCancelamento sem multa em até 30 dias. " * 4])
    docx_bytes = make_docx(
        [("Objeções comuns", ["Está caro: mostre o custo de uma multa fiscal."])],
        table=[["Plano", "Preço"], ["Essencial", "R$ 149/mês"]],
    )
    ids = upload(api, manager.headers, [("kit.pdf", pdf), ("faq.docx", docx_bytes)])
    assert process() == 2

    pdf_doc, docx_doc = document(sql, ids[0]), document(sql, ids[1])
    assert pdf_doc["status"] == "ready", pdf_doc["error"]
    assert docx_doc["status"] == "ready", docx_doc["error"]
    assert pdf_doc["pages"] == 2
    pdf_chunks = chunks(sql, ids[0])
    assert {c["metadata"]["page"] for c in pdf_chunks} == {1, 2}
    assert pdf_doc["chunk_count"] == len(pdf_chunks) > 0
    docx_chunks = chunks(sql, ids[1])
    assert any("Essencial | R$ 149/mês" in c["content"] for c in docx_chunks)
    assert docx_chunks[0]["metadata"]["heading"] == "Objeções comuns"
