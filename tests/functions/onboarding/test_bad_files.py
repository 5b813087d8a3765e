"""Bad files end `failed` with a message a manager understands; nothing else is touched."""

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


CASES: list[tuple[str, str, Callable[[], bytes], str]] = [
    ("zero-bytes", "vazio.pdf", lambda: b"", "empty (0 bytes)"),
    ("empty-text", "notas.txt", lambda: b"  \n\n \t \n", "no text"),
    ("image", "foto.png", lambda: PNG, "PNG image"),
    ("zip", "material.zip", lambda: _zip({"a.txt": b"ola"}), "ZIP archive"),
    ("renamed-to-pdf", "proposta.pdf", lambda: JPEG, "JPEG image"),
    ("corrupt-pdf", "quebrado.pdf", lambda: b"%PDF-1.4\n" + os.urandom(3000), "damaged"),
    ("password-pdf", "sigiloso.pdf", _encrypted_pdf, "protected by a password"),
    ("scanned-pdf", "digitalizado.pdf", _scanned_pdf, "no extractable text"),
    ("corrupt-docx", "faq.docx", _corrupt_docx, "Word document is damaged"),
    ("docx-zip-bomb", "bomba.docx", _docx_bomb, "refused as unsafe"),
    ("over-page-limit", "longo.pdf", lambda: make_pdf(["um", "dois", "tres"]), "3 pages"),
]


@pytest.mark.parametrize(("name", "filename", "build", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_fails_cleanly(
    api, make_user, sql, process, settings_env, name, filename, build, message
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
    assert not row["retryable"]
    assert chunks(sql, bad) == []
    assert chunks(sql, good) == before
    assert document(sql, good)["status"] == "ready"
    shown = api.get(f"/api/v1/onboarding/documents/{bad}", headers=manager.headers).json()
    assert shown["status"] == "failed"
    assert message in shown["error"]


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
