"""The `/api/v1/onboarding` routes: upload, list, inspect, delete, reprocess, status, search.

Reads run in the caller's tenant transaction, so RLS decides what exists (another company's
document is a 404, never a 403). Writes are for managers and admins; after an RLS-checked read,
steps that only the pipeline may do (dispatching the hook) switch to the service role.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, Response, UploadFile
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from dojo import retrieval
from dojo.auth import CurrentUser, Manager, Principal
from dojo.db import Connection, TenantDB, service_transaction, tenant_transaction
from dojo.errors import (
    AppError,
    BadRequest,
    Conflict,
    NotFound,
    PayloadTooLarge,
    ServiceUnavailable,
)
from dojo.observability import logger
from dojo.settings import get_settings
from onboarding import storage
from onboarding.messages import company_locale, text

router = APIRouter(prefix="/api/v1/onboarding", tags=["onboarding"])

MAX_FILES_PER_UPLOAD = 20
_COLUMNS = (
    "id, filename, mime, bytes, sha256, status, error, error_code, retryable, pages, chunk_count,"
    " embeddings_created, progress, attempts, uploaded_by, created_at, updated_at, processed_at"
)


class DocumentOut(BaseModel):
    """A document as the manager sees it."""

    id: uuid.UUID
    filename: str
    mime: str | None
    bytes: int | None
    sha256: str | None
    status: str
    error: str | None = Field(description="why it failed, in the company's language")
    error_code: str | None = Field(
        description="a stable reason code (empty_file, encrypted_pdf, scanned_pdf, ...)"
    )
    retryable: bool
    pages: int | None
    chunk_count: int
    embeddings_created: int
    progress: float
    attempts: int
    uploaded_by: uuid.UUID | None
    created_at: Any
    updated_at: Any
    processed_at: Any | None


class UploadedOut(BaseModel):
    """One accepted file."""

    id: uuid.UUID
    filename: str
    bytes: int
    status: str


class UploadOut(BaseModel):
    """The answer to an upload: the documents being processed."""

    documents: list[UploadedOut]
    message: str


class UploadUrlIn(BaseModel):
    """A large file the client will upload itself."""

    filename: str = Field(min_length=1, max_length=255)
    bytes: int = Field(ge=1)
    content_type: str = Field(default="application/octet-stream", max_length=200)


class UploadUrlOut(BaseModel):
    """Where to PUT the file; processing starts when it lands."""

    document_id: uuid.UUID
    url: str
    method: str
    token: str
    path: str
    expires_in: int
    max_bytes: int


class SearchHit(BaseModel):
    """One chunk the knowledge base answers with."""

    chunk_id: int
    document_id: uuid.UUID
    filename: str | None
    chunk_index: int
    page: int | None
    heading: str | None
    content: str
    score: float
    similarity: float | None


def clean_filename(name: str | None) -> str:
    """A displayable file name: no folders, no control characters, at most 255 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(c for c in base if c.isprintable()).strip()
    return (base or "document")[:255]


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


def _read_limited(upload: UploadFile, max_bytes: int, principal: Principal) -> bytes:
    data = upload.file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(max_bytes, _locale(principal.company_id))
    return data


def _new_document(
    conn: Connection, principal: Principal, filename: str, size: int, sha256: str | None
) -> tuple[uuid.UUID, str]:
    document_id = uuid.uuid4()
    path = storage.object_path(principal.company_id, document_id, filename)
    conn.execute(
        "insert into public.documents (id, company_id, storage_path, filename, bytes,"
        " declared_bytes, sha256, uploaded_by, status)"
        " values (%s, %s, %s, %s, %s, %s, %s, %s, 'pending')",
        (document_id, principal.company_id, path, filename, size, size, sha256, principal.user_id),
    )
    return document_id, path


@router.post("/upload-documents", status_code=202)
def upload_documents(principal: Manager, files: Annotated[list[UploadFile], File()]) -> UploadOut:
    """Upload one or more files (multipart field `files`); each is processed in the background."""
    max_bytes = get_settings().max_upload_bytes
    if len(files) > MAX_FILES_PER_UPLOAD:
        raise BadRequest(
            text("too_many_files", _locale(principal.company_id), max_files=MAX_FILES_PER_UPLOAD),
            details={"max_files": MAX_FILES_PER_UPLOAD, "reason": "too_many_files"},
        )
    received = [
        (clean_filename(f.filename), f.content_type, _read_limited(f, max_bytes, principal))
        for f in files
    ]
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
        status = "pending"
        try:
            storage.get_storage().put(path, data, content_type)
        except (AppError, OSError):
            status = "failed"
            with service_transaction() as conn:
                conn.execute(
                    "update public.documents set status = 'failed', retryable = false,"
                    " error = %s, error_code = 'store_failed' where id = %s",
                    (text("store_failed", locale), document_id),
                )
        out.append(UploadedOut(id=document_id, filename=filename, bytes=len(data), status=status))
    accepted = sum(1 for d in out if d.status == "pending")
    return UploadOut(
        documents=out,
        message=text("upload_received", locale, accepted=accepted, total=len(out)),
    )


@router.post("/upload-url", status_code=201)
def upload_url(principal: Manager, body: UploadUrlIn) -> UploadUrlOut:
    """A signed URL to upload a large file directly to storage (processing starts on arrival)."""
    max_bytes = get_settings().max_upload_bytes
    if body.bytes > max_bytes:
        raise _too_large(max_bytes, _locale(principal.company_id))
    filename = clean_filename(body.filename)
    with tenant_transaction(principal.claims) as conn:
        document_id, path = _new_document(conn, principal, filename, body.bytes, None)
    try:
        signed = storage.get_storage().signed_upload(path, body.bytes)
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


@router.put("/uploads/{token}", include_in_schema=False)
async def local_signed_upload(token: str, request: Request) -> dict[str, Any]:
    """Local stand-in for Storage's signed upload URL: one PUT, at most the announced size.

    A used link (409) or one whose document was deleted (410) is refused before any of the body
    is read; a body over the announced size is refused (413) as soon as it is known, from
    `content-length` or while streaming, never buffered whole. Async only to stream the body; the
    checks and the write are the same sync code as every upload, run in the thread pool.
    """
    bucket = storage.get_storage()
    if not isinstance(bucket, storage.LocalStorage):
        raise NotFound("no such route")
    grant = bucket.verify_upload_token(token)
    await run_in_threadpool(bucket.check_upload, grant.path)
    too_large = PayloadTooLarge(
        f"the file is larger than announced for this upload link ({grant.max_bytes} bytes)",
        details={"max_bytes": grant.max_bytes, "reason": "larger_than_announced"},
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > grant.max_bytes:
        raise too_large
    data = bytearray()
    async for piece in request.stream():
        data.extend(piece)
        if len(data) > grant.max_bytes:
            raise too_large
    content_type = request.headers.get("content-type", "application/octet-stream")
    await run_in_threadpool(bucket.put, grant.path, bytes(data), content_type)
    return {"path": grant.path, "bytes": len(data)}


@router.get("/documents")
def list_documents(
    _: CurrentUser,
    conn: TenantDB,
    status: Annotated[str | None, Query(pattern="^(pending|processing|ready|failed)$")] = None,
) -> list[DocumentOut]:
    """The company's documents, newest first (optionally one status)."""
    rows = conn.execute(
        f"select {_COLUMNS} from public.documents"
        " where (%s::text is null or status = %s) order by created_at desc, id",
        (status, status),
    ).fetchall()
    return [DocumentOut(**r) for r in rows]


def _document(conn: Connection, document_id: uuid.UUID, lock: bool = False) -> dict[str, Any]:
    row = conn.execute(
        f"select {_COLUMNS}, storage_path, storage_object_id from public.documents where id = %s"
        + (" for update" if lock else ""),
        (document_id,),
    ).fetchone()
    if row is None:
        raise NotFound(text("document_not_found", _caller_locale(conn)))
    return row


def _caller_locale(conn: Connection) -> str:
    """The locale of the caller's company, read in their tenant transaction."""
    found = conn.execute("select private.company_id() as id").fetchone()
    return company_locale(conn, found["id"] if found else None)


@router.get("/documents/{document_id}")
def get_document(_: CurrentUser, conn: TenantDB, document_id: uuid.UUID) -> DocumentOut:
    """One document and its processing state."""
    return DocumentOut(**_document(conn, document_id))


@router.delete("/documents/{document_id}", status_code=204)
def delete_document(principal: Manager, document_id: uuid.UUID) -> Response:
    """Delete the file, its chunks and the document."""
    with tenant_transaction(principal.claims) as conn:
        path = _document(conn, document_id)["storage_path"]
    try:
        storage.get_storage().remove(path)
    except ServiceUnavailable as exc:
        raise _storage_down(exc, principal.company_id) from exc
    with tenant_transaction(principal.claims) as conn:
        conn.execute("delete from public.documents where id = %s", (document_id,))
    return Response(status_code=204)


@router.post("/documents/{document_id}/reprocess", status_code=202)
def reprocess(_: Manager, conn: TenantDB, document_id: uuid.UUID) -> DocumentOut:
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
    conn.execute("select set_config('role', 'service_role', true)")
    conn.execute("select private.request_document_processing(%s)", (document_id,))
    return DocumentOut(**_document(conn, document_id))


@router.get("/status")
def status(_: CurrentUser, conn: TenantDB) -> dict[str, Any]:
    """Documents per status, chunks and embeddings created: what onboarding produced."""
    rows = conn.execute("select * from public.onboarding_status()").fetchall()
    chunks = conn.execute(
        "select count(*) as n from public.knowledge_base where embedding_model = %s",
        (get_settings().active_embedding_model,),
    ).fetchone()
    per_status = {r["status"]: int(r["documents"]) for r in rows}
    return {
        "documents": sum(per_status.values()),
        "by_status": per_status,
        "chunks": int(chunks["n"]) if chunks else 0,
        "embeddings_created": sum(int(r["embeddings_created"]) for r in rows),
        "bytes": sum(int(r["bytes"]) for r in rows),
        "embedding_model": get_settings().active_embedding_model,
    }


@router.get("/search")
def search(
    principal: CurrentUser,
    conn: TenantDB,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    k: Annotated[int, Query(ge=1, le=20)] = 5,
) -> list[SearchHit]:
    """What the knowledge base answers to `q`: the best chunks with document, page and score."""
    assert principal.company_id is not None
    hits = retrieval.search(conn, principal.company_id, q, k)
    names: dict[uuid.UUID, str] = {}
    if hits:
        rows = conn.execute(
            "select id, filename from public.documents where id = any(%s)",
            (list({h.document_id for h in hits}),),
        ).fetchall()
        names = {r["id"]: r["filename"] for r in rows}
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
