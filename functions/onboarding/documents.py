"""Documents as managers handle them: receive files, announce large uploads, list, delete,
reprocess, the overview and knowledge-base search.

Reads run in the caller's tenant transaction, so RLS decides what exists (another company's
document is a 404, never a 403). Writes are for managers and admins; after an RLS-checked read,
steps that only the pipeline may do (dispatching the hook) switch to the service role. Nothing
holds a database connection while the bucket or the embeddings provider is called.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from typing import BinaryIO

from dojo import retrieval
from dojo.auth import Principal
from dojo.db import Connection, service_transaction, tenant_transaction
from dojo.errors import (
    AppError,
    BadRequest,
    Conflict,
    NotFound,
    PayloadTooLarge,
    ServiceUnavailable,
)
from dojo.observability import logger
from dojo.providers.storage import get_storage, safe_key
from dojo.settings import get_settings
from onboarding.messages import company_locale, text
from onboarding.models import (
    DocumentOut,
    DocumentStatus,
    SearchHit,
    StatusOut,
    UploadedOut,
    UploadOut,
    UploadUrlIn,
    UploadUrlOut,
)
from onboarding.store import company as company_store
from onboarding.store import documents as store

MAX_FILES_PER_UPLOAD = 20
# A received file: its clean name, declared content type and bytes.
Received = tuple[str, str | None, bytes]


def clean_filename(name: str | None) -> str:
    """A displayable file name: no folders, no control characters, at most 255 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(c for c in base if c.isprintable()).strip()
    return (base or "document")[:255]


def object_path(company_id: object, document_id: object, filename: str) -> str:
    """`{company_id}/{document_id}/{filename}`: the path the trigger and the policies expect."""
    return f"{company_id}/{document_id}/{safe_key(filename)}"


def _locale(company_id: uuid.UUID | None) -> str:
    """The company's locale, for an answer given before (or outside) a tenant transaction."""
    with service_transaction() as conn:
        return company_locale(conn, company_id)


def _too_large(max_bytes: int, locale: str) -> PayloadTooLarge:
    return PayloadTooLarge(
        text("file_too_large", locale, max_mb=max_bytes // (1024 * 1024)),
        details={"max_bytes": max_bytes, "reason": "file_too_large"},
    )


def _storage_down(exc: ServiceUnavailable, company_id: uuid.UUID | None) -> ServiceUnavailable:
    """The outage in the manager's words; the provider's own message goes to the logs."""
    logger.warning("storage unavailable", extra={"error": exc.message})
    return ServiceUnavailable(
        text("storage_try_again", _locale(company_id)), details={"reason": "storage_unavailable"}
    )


def check_file_count(principal: Principal, count: int) -> None:
    """At most MAX_FILES_PER_UPLOAD files per upload."""
    if count > MAX_FILES_PER_UPLOAD:
        raise BadRequest(
            text("too_many_files", _locale(principal.company_id), max_files=MAX_FILES_PER_UPLOAD),
            details={"max_files": MAX_FILES_PER_UPLOAD, "reason": "too_many_files"},
        )


def read_limited(file: BinaryIO, principal: Principal) -> bytes:
    """A received file's bytes, refused (413) past the upload limit without reading further."""
    max_bytes = get_settings().max_upload_bytes
    data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(max_bytes, _locale(principal.company_id))
    return data


def _new_document(
    conn: Connection, principal: Principal, filename: str, size: int, sha256: str | None
) -> tuple[uuid.UUID, str]:
    assert principal.company_id is not None
    document_id = uuid.uuid4()
    path = object_path(principal.company_id, document_id, filename)
    store.insert_document(
        conn, document_id, principal.company_id, path, filename, size, sha256, principal.user_id
    )
    return document_id, path


def receive(principal: Principal, received: list[Received]) -> UploadOut:
    """Record each file as a pending document, then store it (its arrival starts processing)."""
    placed: list[tuple[uuid.UUID, str, str, str, bytes]] = []
    with tenant_transaction(principal.claims) as conn:
        locale = company_locale(conn, principal.company_id)
        for filename, content_type, data in received:
            sha = hashlib.sha256(data).hexdigest()
            document_id, path = _new_document(conn, principal, filename, len(data), sha)
            placed.append(
                (document_id, path, filename, content_type or "application/octet-stream", data)
            )
    out: list[UploadedOut] = []
    for document_id, path, filename, content_type, data in placed:
        status: DocumentStatus = "pending"
        try:
            get_storage().put(path, data, content_type)
        except (AppError, OSError):
            status = "failed"
            with service_transaction() as conn:
                store.fail_unstored(conn, document_id, text("store_failed", locale))
        out.append(UploadedOut(id=document_id, filename=filename, bytes=len(data), status=status))
    accepted = sum(1 for d in out if d.status == "pending")
    return UploadOut(
        documents=out,
        message=text("upload_received", locale, accepted=accepted, total=len(out)),
    )


def announce(principal: Principal, body: UploadUrlIn) -> UploadUrlOut:
    """A pending document and a signed URL to upload its file once, at most `body.bytes`."""
    max_bytes = get_settings().max_upload_bytes
    if body.bytes > max_bytes:
        raise _too_large(max_bytes, _locale(principal.company_id))
    filename = clean_filename(body.filename)
    with tenant_transaction(principal.claims) as conn:
        document_id, path = _new_document(conn, principal, filename, body.bytes, None)
    try:
        signed = get_storage().signed_upload(path, body.bytes)
    except ServiceUnavailable as exc:
        raise _storage_down(exc, principal.company_id) from exc
    return UploadUrlOut(
        document_id=document_id,
        url=signed.url,
        method=signed.method,
        token=signed.token,
        path=signed.path,
        expires_in=signed.expires_in,
        max_bytes=max_bytes,
    )


def _caller_locale(conn: Connection) -> str:
    """The locale of the caller's company, read in their tenant transaction."""
    return company_locale(conn, company_store.caller_company(conn))


def _document(conn: Connection, document_id: uuid.UUID, lock: bool = False) -> dict[str, object]:
    row = store.get_document(conn, document_id, lock)
    if row is None:
        raise NotFound(text("document_not_found", _caller_locale(conn)))
    return row


def list_documents(
    conn: Connection, status: DocumentStatus | None, *, limit: int, offset: int = 0
) -> list[DocumentOut]:
    """The company's documents, newest first (optionally one status), one page."""
    rows = store.list_documents(conn, status, limit=limit, offset=offset)
    return [DocumentOut.model_validate(r) for r in rows]


def get(conn: Connection, document_id: uuid.UUID) -> DocumentOut:
    """One document and its processing state."""
    return DocumentOut.model_validate(_document(conn, document_id))


def delete(principal: Principal, document_id: uuid.UUID) -> None:
    """Delete the file, then its chunks and the document (its upload link dies with it)."""
    with tenant_transaction(principal.claims) as conn:
        path = str(_document(conn, document_id)["storage_path"])
    try:
        get_storage().remove(path)
    except ServiceUnavailable as exc:
        raise _storage_down(exc, principal.company_id) from exc
    with tenant_transaction(principal.claims) as conn:
        store.delete_document(conn, document_id)


def reprocess(conn: Connection, document_id: uuid.UUID) -> DocumentOut:
    """Process the document again (its chunks are replaced in one step when done)."""
    row = _document(conn, document_id, lock=True)
    if row["status"] == "processing":
        raise Conflict(
            text("document_busy", _caller_locale(conn)), details={"reason": "document_busy"}
        )
    if row["storage_object_id"] is None:
        raise Conflict(
            text("upload_incomplete", _caller_locale(conn)),
            details={"reason": "upload_incomplete"},
        )
    # verified as this company's manager above: dispatching the hook is the pipeline's job
    company_store.act_as_service(conn)
    store.request_processing(conn, document_id)
    return DocumentOut.model_validate(_document(conn, document_id))


def status(conn: Connection) -> StatusOut:
    """Documents per status, chunks and embeddings created: what onboarding produced."""
    model = get_settings().active_embedding_model
    rows = store.status_counts(conn)
    return StatusOut(
        documents=sum(int(r["documents"]) for r in rows),
        by_status={r["status"]: int(r["documents"]) for r in rows},
        chunks=store.chunk_count(conn, model),
        embeddings_created=sum(int(r["embeddings_created"]) for r in rows),
        bytes=sum(int(r["bytes"]) for r in rows),
        embedding_model=model,
    )


def search(principal: Principal, q: str, k: int) -> list[SearchHit]:
    """What the knowledge base answers to `q`: the best chunks with document, page and score.

    The question is embedded (an outside call) before the tenant transaction opens.
    """
    assert principal.company_id is not None
    query = retrieval.embed_query(q)
    with tenant_transaction(principal.claims) as conn:
        hits = retrieval.search(conn, principal.company_id, query.text, k, vector=query.vector)
        names = store.filenames(conn, list({h.document_id for h in hits}))
    return [
        SearchHit(
            chunk_id=h.chunk_id,
            document_id=h.document_id,
            filename=names.get(h.document_id),
            chunk_index=h.chunk_index,
            page=h.metadata.get("page"),
            heading=h.metadata.get("heading"),
            content=h.content,
            score=round(h.score, 6),
            similarity=None if h.similarity is None else round(h.similarity, 6),
        )
        for h in hits
    ]
