"""SQL of documents as the API shows and changes them (the `/api/v1/onboarding` surface).

Reads run in the caller's tenant transaction, so RLS decides what exists (another company's
document is simply not there).
"""

from __future__ import annotations

import uuid
from typing import Any

from dojo.db import Connection

COLUMNS = (
    "id, filename, mime, bytes, sha256, status, error, error_code, retryable, pages, chunk_count,"
    " embeddings_created, progress, attempts, uploaded_by, created_at, updated_at, processed_at"
)


def insert_document(
    conn: Connection,
    document_id: uuid.UUID,
    company_id: uuid.UUID,
    path: str,
    filename: str,
    size: int,
    sha256: str | None,
    uploaded_by: uuid.UUID,
) -> None:
    """A pending document whose file is on its way; `size` is also the most it may be."""
    conn.execute(
        "insert into public.documents (id, company_id, storage_path, filename, bytes,"
        " declared_bytes, sha256, uploaded_by, status)"
        " values (%s, %s, %s, %s, %s, %s, %s, %s, 'pending')",
        (document_id, company_id, path, filename, size, size, sha256, uploaded_by),
    )


def fail_unstored(conn: Connection, document_id: uuid.UUID, message: str) -> None:
    """The file never reached the bucket: the document fails for good (service role)."""
    conn.execute(
        "update public.documents set status = 'failed', retryable = false,"
        " error = %s, error_code = 'store_failed' where id = %s",
        (message, document_id),
    )


def list_documents(
    conn: Connection, status: str | None, *, limit: int, offset: int = 0
) -> list[dict[str, Any]]:
    """The caller's company's documents, newest first (optionally one status), one page."""
    return conn.execute(
        f"select {COLUMNS} from public.documents"
        " where (%s::text is null or status = %s) order by created_at desc, id limit %s offset %s",
        (status, status, limit, offset),
    ).fetchall()


def get_document(
    conn: Connection, document_id: uuid.UUID, lock: bool = False
) -> dict[str, Any] | None:
    """One document with its storage path and object (locked for update when asked)."""
    return conn.execute(
        f"select {COLUMNS}, storage_path, storage_object_id from public.documents where id = %s"
        + (" for update" if lock else ""),
        (document_id,),
    ).fetchone()


def delete_document(conn: Connection, document_id: uuid.UUID) -> None:
    """Delete the document and its chunks (RLS: managers of the company)."""
    conn.execute("delete from public.documents where id = %s", (document_id,))


def request_processing(conn: Connection, document_id: uuid.UUID) -> None:
    """Queue the onboarding hook for the document again (service role)."""
    conn.execute("select private.request_document_processing(%s)", (document_id,))


def status_counts(conn: Connection) -> list[dict[str, Any]]:
    """Documents, chunks, embeddings and bytes per status (RLS applies)."""
    return conn.execute("select * from public.onboarding_status()").fetchall()


def chunk_count(conn: Connection, model: str) -> int:
    """Chunks of the caller's company embedded with `model`."""
    row = conn.execute(
        "select count(*) as n from public.knowledge_base where embedding_model = %s", (model,)
    ).fetchone()
    return int(row["n"]) if row else 0


def filenames(conn: Connection, document_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """File names of these documents (those the caller can see)."""
    if not document_ids:
        return {}
    rows = conn.execute(
        "select id, filename from public.documents where id = any(%s)", (document_ids,)
    ).fetchall()
    return {r["id"]: r["filename"] for r in rows}
