"""SQL of the ingestion pipeline and its sweeper (service role, scoped to one document each).

A worker owns a document while the row still carries its claim (`attempts` is the fencing
token): every write here is conditional on it, and reports whether it still held.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from dojo.db import Connection, jsonb

# What a processing run may write on its document (nothing else is ever assigned).
WRITABLE = frozenset(
    {
        "status",
        "progress",
        "sha256",
        "bytes",
        "pages",
        "mime",
        "chunk_count",
        "embeddings_created",
        "error",
        "error_code",
        "retryable",
        "processed_at",
    }
)


def _assignments(fields: Mapping[str, Any]) -> str:
    unknown = set(fields) - WRITABLE
    if unknown:
        raise ValueError(f"not a document field a run may write: {sorted(unknown)}")
    return ", ".join(f"{name} = %s" for name in fields)


def claim(
    conn: Connection, document_id: uuid.UUID, company_id: uuid.UUID, stale_seconds: int
) -> dict[str, Any] | None:
    """Claim the document for this worker if it is claimable (`private.claim_document`)."""
    return conn.execute(
        "select * from private.claim_document(%s, %s, %s)",
        (document_id, company_id, stale_seconds),
    ).fetchone()


def update_claimed(
    conn: Connection, document_id: uuid.UUID, attempts: int, fields: Mapping[str, Any]
) -> bool:
    """Write progress/outcome fields; False when the run no longer owns the document."""
    cur = conn.execute(
        f"update public.documents set {_assignments(fields)}"
        " where id = %s and attempts = %s and status = 'processing'",
        (*fields.values(), document_id, attempts),
    )
    return cur.rowcount > 0


def reusable_vectors(
    conn: Connection, company_id: uuid.UUID, model: str, hashes: list[str]
) -> dict[str, str]:
    """Vectors (as pgvector text) already paid for, by content hash, for this company+model."""
    if not hashes:
        return {}
    rows = conn.execute(
        "select distinct on (content_hash) content_hash, embedding::text as embedding"
        " from public.knowledge_base where company_id = %s and embedding_model = %s"
        " and content_hash = any(%s) and embedding is not null",
        (company_id, model, hashes),
    ).fetchall()
    return {r["content_hash"]: r["embedding"] for r in rows}


def replace_chunks(
    conn: Connection,
    document_id: uuid.UUID,
    attempts: int,
    rows: Iterable[tuple[uuid.UUID, int, str, dict[str, Any], str, str, str]],
    fields: Mapping[str, Any],
) -> bool:
    """Swap the document's chunks and write `fields`, if the run still owns it.

    `rows` are (company_id, chunk_index, content, metadata, content_hash, vector text, model).
    Call inside one transaction: the old chunks stand unless all of it commits.
    """
    owner = conn.execute(
        "select attempts, status from public.documents where id = %s for update", (document_id,)
    ).fetchone()
    if owner is None or owner["attempts"] != attempts or owner["status"] != "processing":
        return False
    conn.execute("delete from public.knowledge_base where document_id = %s", (document_id,))
    with conn.cursor().copy(
        "copy public.knowledge_base (company_id, document_id, chunk_index, content,"
        " metadata, content_hash, embedding, embedding_model) from stdin"
    ) as copy:
        for company_id, index, content, metadata, digest, vector, model in rows:
            copy.write_row(
                (company_id, document_id, index, content, jsonb(metadata), digest, vector, model)
            )
    conn.execute(
        f"update public.documents set {_assignments(fields)} where id = %s",
        (*fields.values(), document_id),
    )
    return True


def expire_abandoned_uploads(conn: Connection, seconds: int, messages: dict[str, str]) -> int:
    """Fail announced uploads that never arrived within `seconds` (message per locale)."""
    row = conn.execute(
        "select private.expire_abandoned_uploads(%s, %s) as n", (seconds, jsonb(messages))
    ).fetchone()
    return int(row["n"]) if row else 0


def forget_deleted_documents(conn: Connection, seconds: int) -> int:
    """Forget document deletions older than any upload link naming them could live."""
    row = conn.execute("select private.forget_deleted_documents(%s) as n", (seconds,)).fetchone()
    return int(row["n"]) if row else 0


def documents_to_sweep(
    conn: Connection, pending_seconds: int, stale_seconds: int, max_attempts: int, limit: int
) -> list[dict[str, Any]]:
    """Documents whose hook was lost, whose worker died, or which failed for a passing reason."""
    return conn.execute(
        "select * from private.documents_to_sweep(%s, %s, %s, %s)",
        (pending_seconds, stale_seconds, max_attempts, limit),
    ).fetchall()
