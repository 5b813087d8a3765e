"""The `/api/v1/onboarding` routes: upload, announce a large upload, list, inspect, delete,
reprocess, the overview and knowledge-base search."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Query, Response, UploadFile

from dojo.auth import CurrentUser, Manager
from dojo.db import TenantDB
from dojo.http import CredentialsFirst
from dojo.pagination import MAX_LIMIT, Limit, Offset
from onboarding import documents
from onboarding.models import (
    DocumentOut,
    DocumentStatus,
    SearchHit,
    StatusOut,
    UploadOut,
    UploadUrlIn,
    UploadUrlOut,
)

router = APIRouter(prefix="/api/v1/onboarding", tags=["onboarding"], route_class=CredentialsFirst)


@router.post("/upload-documents", status_code=202)
def upload_documents(principal: Manager, files: Annotated[list[UploadFile], File()]) -> UploadOut:
    """Upload one or more files (multipart field `files`); each is processed in the background."""
    documents.check_file_count(principal, len(files))
    received = [
        (
            documents.clean_filename(f.filename),
            f.content_type,
            documents.read_limited(f.file, principal),
        )
        for f in files
    ]
    return documents.receive(principal, received)


@router.post("/upload-url", status_code=201)
def upload_url(principal: Manager, body: UploadUrlIn) -> UploadUrlOut:
    """A signed URL to upload a large file directly to storage, once, at most `bytes`."""
    return documents.announce(principal, body)


@router.get("/documents")
def list_documents(
    _: CurrentUser,
    conn: TenantDB,
    status: Annotated[DocumentStatus | None, Query()] = None,
    limit: Limit = MAX_LIMIT,
    offset: Offset = 0,
) -> list[DocumentOut]:
    """The company's documents, newest first (optionally one status)."""
    return documents.list_documents(conn, status, limit=limit, offset=offset)


@router.get("/documents/{document_id}")
def get_document(_: CurrentUser, conn: TenantDB, document_id: uuid.UUID) -> DocumentOut:
    """One document and its processing state."""
    return documents.get(conn, document_id)


@router.delete("/documents/{document_id}", status_code=204)
def delete_document(principal: Manager, document_id: uuid.UUID) -> Response:
    """Delete the file, its chunks and the document."""
    documents.delete(principal, document_id)
    return Response(status_code=204)


@router.post("/documents/{document_id}/reprocess", status_code=202)
def reprocess(_: Manager, conn: TenantDB, document_id: uuid.UUID) -> DocumentOut:
    """Process the document again (its chunks are replaced in one step when done)."""
    return documents.reprocess(conn, document_id)


@router.get("/status")
def status(_: CurrentUser, conn: TenantDB) -> StatusOut:
    """Documents per status, chunks and embeddings created: what onboarding produced."""
    return documents.status(conn)


@router.get("/search")
def search(
    principal: CurrentUser,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    k: Annotated[int, Query(ge=1, le=20)] = 5,
) -> list[SearchHit]:
    """What the knowledge base answers to `q`: the best chunks with document, page and score."""
    return documents.search(principal, q, k)
