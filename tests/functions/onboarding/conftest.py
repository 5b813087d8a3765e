"""Helpers for onboarding tests: real PDF/DOCX files, uploads through the gateway, the queue."""

from __future__ import annotations

import io
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from dojo.settings import get_settings
from dojo_local import dispatcher

UPLOAD = "/api/v1/onboarding/upload-documents"


def make_pdf(pages: list[str]) -> bytes:
    """A real PDF with one page per text (core Helvetica: Latin-1, so Portuguese accents work)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def make_docx(sections: list[tuple[str, list[str]]], table: list[list[str]] | None = None) -> bytes:
    """A real DOCX: a heading and paragraphs per section, then an optional table."""
    import docx

    document = docx.Document()
    for heading, paragraphs in sections:
        document.add_heading(heading, level=1)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


SALES_TEXT = (
    "O plano Profissional custa R$ 349 por mês e inclui emissão ilimitada de NF-e. "
    "A implantação leva dez dias úteis com acompanhamento de um especialista. "
    "O suporte responde em até quatro horas no horário comercial. "
)


def upload(
    api: TestClient, headers: dict[str, str], files: list[tuple[str, bytes]], status: int = 202
) -> list[str]:
    """Upload files through the gateway; returns the document ids."""
    response = api.post(
        UPLOAD,
        headers=headers,
        files=[("files", (name, data, "application/octet-stream")) for name, data in files],
    )
    assert response.status_code == status, response.text
    return [d["id"] for d in response.json()["documents"]] if status == 202 else []


@pytest.fixture
def process(db_url: str) -> Callable[[], int]:
    """Deliver every queued hook over real HTTP to the running gateway (pg_net's job)."""

    def run() -> int:
        return dispatcher.drain(db_url)

    return run


def document(sql: psycopg.Connection[Any], document_id: str | uuid.UUID) -> dict[str, Any]:
    """The document row as the superuser sees it."""
    row = sql.execute("select * from public.documents where id = %s", (document_id,)).fetchone()
    assert row is not None
    return row


def chunks(sql: psycopg.Connection[Any], document_id: str | uuid.UUID) -> list[dict[str, Any]]:
    """The document's chunks, in order."""
    return sql.execute(
        "select id, chunk_index, content, metadata, content_hash, embedding_model"
        " from public.knowledge_base where document_id = %s order by chunk_index",
        (document_id,),
    ).fetchall()


def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll until `predicate()` holds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Set DOJO_* variables for one test (the settings cache is cleared both ways)."""

    def set_env(**values: Any) -> None:
        for key, value in values.items():
            monkeypatch.setenv(f"DOJO_{key.upper()}", str(value))
        get_settings.cache_clear()

    yield set_env
    get_settings.cache_clear()


@pytest.fixture
def mailserver(tmp_path: Any, monkeypatch: pytest.MonkeyPatch, db_url: str) -> Iterator[Any]:
    """A real SMTP server (aiosmtpd) on a free loopback port; the smtp provider points at it."""
    from dojo_local.mailbox import MailServer
    from dojo_local.server import free_port

    port = free_port()
    server = MailServer(tmp_path, port=port).start()
    monkeypatch.setenv("DOJO_EMAIL_PROVIDER", "smtp")
    monkeypatch.setenv("DOJO_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DOJO_SMTP_PORT", str(port))
    get_settings.cache_clear()
    try:
        yield server
    finally:
        server.stop()
        get_settings.cache_clear()
