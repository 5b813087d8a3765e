"""Bad files end `failed` with a stable code and a message in the company's language that a
manager understands; nothing else is touched."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable

import pytest

from .conftest import SALES_TEXT, chunks, document, make_docx, make_pdf, upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + os.urandom(64)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(64)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([SALES_TEXT]))))
    writer.encrypt(user_password="segredo", owner_password="dono", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _scanned_pdf() -> bytes:
    """A page that is only an image (what a scanner produces), no text layer."""
    from fpdf import FPDF
    from PIL import Image

    image = Image.new("RGB", (200, 100), "white")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=180)
    return bytes(pdf.output())


def _corrupt_docx() -> bytes:
    good = zipfile.ZipFile(io.BytesIO(make_docx([("Título", ["texto"])])))
    members = {name: good.read(name) for name in good.namelist()}
    members["word/document.xml"] = b"<w:document><w:body><not-closed>"
    return _zip(members)


def _docx_bomb() -> bytes:
    good = zipfile.ZipFile(io.BytesIO(make_docx([("Título", ["texto"])])))
    members = {name: good.read(name) for name in good.namelist()}
    members["word/media/huge.bin"] = b"\x00" * (3 * 1024 * 1024)  # limit set to 2 MB below
    return _zip(members)


# (id, file name, bytes, error_code, what the pt-BR message must say)
CASES: list[tuple[str, str, Callable[[], bytes], str, str]] = [
    ("zero-bytes", "vazio.pdf", lambda: b"", "empty_file", "O arquivo está vazio (0 bytes)"),
    ("empty-text", "notas.txt", lambda: b"  \n\n \t \n", "no_text", "não tem texto"),
    ("image", "foto.png", lambda: PNG, "unsupported_type", "é uma imagem PNG"),
    (
        "zip",
        "material.zip",
        lambda: _zip({"a.txt": b"ola"}),
        "unsupported_type",
        "é um arquivo ZIP",
    ),
    ("renamed-to-pdf", "proposta.pdf", lambda: JPEG, "unsupported_type", "é uma imagem JPEG"),
    (
        "corrupt-pdf",
        "quebrado.pdf",
        lambda: b"%PDF-1.4\n" + os.urandom(3000),
        "damaged_pdf",
        "O PDF está danificado",
    ),
    ("password-pdf", "sigiloso.pdf", _encrypted_pdf, "encrypted_pdf", "protegido por senha"),
    ("scanned-pdf", "digitalizado.pdf", _scanned_pdf, "scanned_pdf", "imagens digitalizadas"),
    ("corrupt-docx", "faq.docx", _corrupt_docx, "damaged_docx", "documento Word está danificado"),
    ("docx-zip-bomb", "bomba.docx", _docx_bomb, "zip_bomb", "recusado por segurança"),
    (
        "over-page-limit",
        "longo.pdf",
        lambda: make_pdf(["um", "dois", "tres"]),
        "too_many_pages",
        "O PDF tem 3 páginas e o limite é 2",
    ),
]


@pytest.mark.parametrize(
    ("name", "filename", "build", "code", "message"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_file_fails_cleanly(
    api, make_user, sql, process, settings_env, name, filename, build, code, message
) -> None:
    settings_env(max_pages=2, max_unzipped_bytes=2 * 1024 * 1024)
    manager = make_user("Nuvem", "manager")
    [good] = upload(api, manager.headers, [("bom.pdf", make_pdf([SALES_TEXT]))])
    process()
    before = chunks(sql, good)
    assert before

    [bad] = upload(api, manager.headers, [(filename, build())])
    process()

    row = document(sql, bad)
    assert row["status"] == "failed"
    assert message in row["error"]
    assert row["error_code"] == code
    assert not row["retryable"]
    assert chunks(sql, bad) == []
    assert chunks(sql, good) == before
    assert document(sql, good)["status"] == "ready"
    shown = api.get(f"/api/v1/onboarding/documents/{bad}", headers=manager.headers).json()
    assert shown["status"] == "failed"
    assert message in shown["error"]
    assert shown["error_code"] == code
    listed = api.get("/api/v1/onboarding/documents", headers=manager.headers).json()
    assert {d["id"]: d["error_code"] for d in listed}[bad] == code


def test_english_company_reads_english_and_a_retry_clears_the_code(
    api, make_user, sql, process, settings_env
) -> None:
    settings_env(max_pages=2)
    manager = make_user("Cloudy", "manager")
    sql.execute("update public.companies set locale = 'en-US' where id = %s", (manager.company_id,))
    [bad] = upload(api, manager.headers, [("long.pdf", make_pdf(["one", "two", "three"]))])
    process()
    row = document(sql, bad)
    assert row["error_code"] == "too_many_pages"
    assert row["error"] == "the PDF has 3 pages; the limit is 2. Split it and upload the parts"

    settings_env(max_pages=10)
    response = api.post(f"/api/v1/onboarding/documents/{bad}/reprocess", headers=manager.headers)
    assert response.status_code == 202
    assert response.json()["error"] is None
    assert response.json()["error_code"] is None
    process()
    row = document(sql, bad)
    assert row["status"] == "ready"
    assert row["error"] is None
    assert row["error_code"] is None


def test_upload_errors_speak_the_callers_language(api, make_user, sql, settings_env) -> None:
    settings_env(max_upload_bytes=1024 * 1024)
    big = [("files", ("grande.txt", b"a" * (1024 * 1024 + 1), "text/plain"))]
    brazilian = make_user("Nuvem", "manager")
    american = make_user("Cloudy", "manager")
    sql.execute(
        "update public.companies set locale = 'en-US' where id = %s", (american.company_id,)
    )
    pt = api.post("/api/v1/onboarding/upload-documents", headers=brazilian.headers, files=big)
    en = api.post("/api/v1/onboarding/upload-documents", headers=american.headers, files=big)
    assert pt.status_code == en.status_code == 413
    assert pt.json()["error"]["message"].startswith("O arquivo passa do limite de 1 MB")
    assert en.json()["error"]["message"].startswith("the file is over the 1 MB limit")
    assert pt.json()["error"]["details"]["reason"] == "file_too_large"

    ok = api.post(
        "/api/v1/onboarding/upload-documents",
        headers=brazilian.headers,
        files=[("files", ("a.txt", SALES_TEXT.encode(), "text/plain"))],
    )
    assert ok.json()["message"] == "1 de 1 arquivo(s) recebido(s); o processamento começou."
    missing = "/api/v1/onboarding/documents/00000000-0000-0000-0000-000000000000"
    assert api.get(missing, headers=brazilian.headers).json()["error"]["message"] == (
        "Documento não encontrado."
    )
    assert api.get(missing, headers=american.headers).json()["error"]["message"] == (
        "document not found"
    )


def test_over_size_limit_is_413_and_stores_nothing(api, make_user, sql, settings_env) -> None:
    settings_env(max_upload_bytes=1000)
    manager = make_user("Nuvem", "manager")
    response = api.post(
        "/api/v1/onboarding/upload-documents",
        headers=manager.headers,
        files=[("files", ("grande.txt", b"a" * 2000, "text/plain"))],
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert sql.execute("select count(*) as n from public.documents").fetchone()["n"] == 0
    assert sql.execute("select count(*) as n from storage.objects").fetchone()["n"] == 0
    url = api.post(
        "/api/v1/onboarding/upload-url",
        headers=manager.headers,
        json={"filename": "grande.pdf", "bytes": 5000},
    )
    assert url.status_code == 413


def test_type_is_decided_by_bytes_not_name(api, make_user, sql, process) -> None:
    manager = make_user("Nuvem", "manager")
    [doc] = upload(
        api, manager.headers, [("na-verdade-word.pdf", make_docx([("Planos", [SALES_TEXT])]))]
    )
    process()
    row = document(sql, doc)
    assert row["status"] == "ready", row["error"]
    assert row["mime"].endswith("wordprocessingml.document")


def test_latin1_text_is_read(api, make_user, sql, process) -> None:
    manager = make_user("Nuvem", "manager")
    text = "Preço promocional: ação válida até março.\n\nCondições de pagamento à vista."
    [doc] = upload(api, manager.headers, [("notas.txt", text.encode("cp1252"))])
    process()
    assert document(sql, doc)["status"] == "ready"
    assert "Preço promocional: ação válida" in chunks(sql, doc)[0]["content"]


def test_running_headers_and_footers_are_dropped() -> None:
    from fpdf import FPDF

    from onboarding.extract import extract

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for page in range(4):
        pdf.add_page()
        pdf.cell(0, 8, "Nuvem Fiscal - material confidencial", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 6, f"Assunto {page}. {SALES_TEXT}", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 8, f"Página {page + 1} de 4", new_x="LMARGIN", new_y="NEXT")
    text = " ".join(b.text for b in extract(bytes(pdf.output()), "kit.pdf").blocks)
    assert "confidencial" not in text
    assert "Página" not in text
    assert text.count("R$ 349") == 4
