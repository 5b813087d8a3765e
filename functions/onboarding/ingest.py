"""The ingestion pipeline: claim a document, extract, chunk, embed, replace its chunks.

Guarantees (each has a test):
- one worker per document: the claim is an atomic UPDATE (`private.claim_document`); a duplicate
  hook or a second worker finds nothing to claim, and a worker whose claim went stale (the sweeper
  re-claimed) cannot write its result (`attempts` is the fencing token);
- no second bill: a chunk whose text was already embedded with the active model for this company
  reuses that vector, so re-uploading or reprocessing unchanged material makes zero requests;
- all or nothing: the document's chunks are replaced, and it becomes `ready`, in one transaction;
- bad files end `failed` with a stable `error_code` and, in `error`, a message in the company's
  language that a manager can act on; outages end `failed` but `retryable`, and the sweeper
  finishes them later.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from dojo import usage as usage_log
from dojo.db import service_transaction
from dojo.errors import AppError, ServiceUnavailable
from dojo.observability import logger, metrics
from dojo.providers import embeddings
from dojo.providers.storage import ObjectMissing, get_storage
from dojo.settings import get_settings
from onboarding.chunking import Chunk, chunk_blocks
from onboarding.extract import ExtractionError, Limits, extract
from onboarding.messages import DocumentProblem, Locale, company_locale, text
from onboarding.store import pipeline as store

Outcome = Literal["ready", "failed", "retry", "skipped"]


@dataclass(frozen=True)
class Result:
    """What one processing run did."""

    document_id: uuid.UUID
    outcome: Outcome
    chunks: int = 0
    embedded: int = 0
    reused: int = 0
    requests: int = 0
    error: str | None = None
    error_code: str | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class _Claim:
    id: uuid.UUID
    company_id: uuid.UUID
    storage_path: str
    filename: str
    declared_bytes: int | None
    attempts: int
    locale: Locale


class _Superseded(Exception):
    """Another worker owns the document now: drop this run's result."""


def _claim(document_id: uuid.UUID, company_id: uuid.UUID) -> _Claim | None:
    stale = get_settings().onboarding_stale_seconds
    with service_transaction() as conn:
        row = store.claim(conn, document_id, company_id, stale)
        if row is None:
            return None
        locale = company_locale(conn, company_id)
    return _Claim(
        row["id"],
        row["company_id"],
        row["storage_path"],
        row["filename"],
        row["declared_bytes"],
        row["attempts"],
        locale,
    )


def _update(claim: _Claim, **fields: Any) -> None:
    """Write progress/outcome fields, only while this run still owns the document."""
    with service_transaction() as conn:
        if not store.update_claimed(conn, claim.id, claim.attempts, fields):
            raise _Superseded


def _vector_text(vector: list[float]) -> str:
    return "[" + ",".join(f"{v:.7g}" for v in vector) + "]"


def _embed(claim: _Claim, chunks: list[Chunk], model: str) -> tuple[dict[str, str], Result]:
    """A vector for every distinct chunk text: reused when possible, else embedded in batches."""
    hashes = sorted({c.content_hash for c in chunks})
    with service_transaction() as conn:
        vectors = store.reusable_vectors(conn, claim.company_id, model, hashes)
    missing: dict[str, str] = {}
    for chunk in chunks:
        if chunk.content_hash not in vectors:
            missing.setdefault(chunk.content_hash, chunk.content)
    todo = list(missing.items())
    requests = 0
    for start in range(0, len(todo), embeddings.BATCH_SIZE):
        batch = todo[start : start + embeddings.BATCH_SIZE]
        result = embeddings.embed([text for _, text in batch], operation="ingest")
        requests += result.requests
        for (digest, _), vector in zip(batch, result.vectors, strict=True):
            vectors[digest] = _vector_text(vector)
        with service_transaction() as conn:
            usage_log.record(conn, claim.company_id, result.usage, ref_id=claim.id)
        done = start + len(batch)
        _update(claim, progress=round(0.2 + 0.7 * done / max(1, len(todo)), 3))
    stats = Result(claim.id, "ready", len(chunks), len(todo), len(hashes) - len(todo), requests)
    return vectors, stats


def _replace_chunks(
    claim: _Claim,
    chunks: list[Chunk],
    vectors: dict[str, str],
    model: str,
    fields: dict[str, Any],
) -> None:
    """Swap the document's chunks and mark it ready, in one transaction, if still ours."""
    rows = (
        (
            claim.company_id,
            chunk.index,
            chunk.content,
            chunk.metadata,
            chunk.content_hash,
            vectors[chunk.content_hash],
            model,
        )
        for chunk in chunks
    )
    with service_transaction() as conn:
        if not store.replace_chunks(conn, claim.id, claim.attempts, rows, fields):
            raise _Superseded


class _Passing(DocumentProblem):
    """An outage or a crash, not the file's fault: worth retrying."""


def _fail(claim: _Claim, problem: DocumentProblem) -> str:
    """Record the failure in the company's language; returns the message stored."""
    message = problem.text(claim.locale)
    retryable = isinstance(problem, _Passing)
    if retryable and claim.attempts >= get_settings().onboarding_max_attempts:
        message = text("gave_up", claim.locale, message=message, attempts=claim.attempts)
        retryable = False
    elif retryable:
        message = text("will_retry", claim.locale, message=message)
    _update(
        claim,
        status="failed",
        error=message,
        error_code=problem.code,
        retryable=retryable,
        processed_at=None,
    )
    return message


def _read(claim: _Claim) -> bytes:
    """The stored file, refused when missing, over the limit or larger than announced."""
    settings = get_settings()
    try:
        data = get_storage().get(claim.storage_path)
    except ObjectMissing as exc:
        raise ExtractionError("file_missing") from exc
    except ServiceUnavailable as exc:
        _log_cause(claim, exc)
        raise _Passing("storage_unavailable") from exc
    if len(data) > settings.max_upload_bytes:
        raise ExtractionError("file_too_large", max_mb=settings.max_upload_bytes // (1024 * 1024))
    if claim.declared_bytes is not None and len(data) > claim.declared_bytes:
        # Storage cannot bind a size to a signed upload link: the pipeline holds the line
        raise ExtractionError("larger_than_announced", declared=claim.declared_bytes)
    return data


def _run(claim: _Claim) -> Result:
    """Read, extract, chunk, embed and swap the chunks; raises what the run cannot finish."""
    settings = get_settings()
    model = settings.active_embedding_model
    data = _read(claim)
    _update(claim, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), progress=0.05)
    extracted = extract(
        data,
        claim.filename,
        Limits(max_pages=settings.max_pages, max_unzipped_bytes=settings.max_unzipped_bytes),
    )
    chunks = chunk_blocks(extracted.blocks, settings.chunk_size, settings.chunk_overlap)
    _update(claim, pages=extracted.pages, mime=extracted.mime, progress=0.2)
    try:
        vectors, stats = _embed(claim, chunks, model)
    except AppError as exc:
        _log_cause(claim, exc)
        if isinstance(exc, ServiceUnavailable):
            raise _Passing("embeddings_unavailable") from exc
        raise DocumentProblem("embeddings_failed") from exc
    _replace_chunks(
        claim,
        chunks,
        vectors,
        model,
        {
            "status": "ready",
            "progress": 1.0,
            "chunk_count": len(chunks),
            "embeddings_created": stats.embedded,
            "error": None,
            "retryable": False,
            "processed_at": datetime.now(UTC),
        },
    )
    return stats


def process(document_id: uuid.UUID, company_id: uuid.UUID) -> Result:
    """Process one document if this worker can claim it; never raises for a bad file."""
    started = time.monotonic()
    claim = _claim(document_id, company_id)
    if claim is None:
        return Result(document_id, "skipped")
    try:
        stats = _run(claim)
    except _Superseded:
        logger.info("document taken over by another worker", extra={"document_id": str(claim.id)})
        return Result(claim.id, "skipped", seconds=time.monotonic() - started)
    except DocumentProblem as exc:
        return _failed(claim, exc, started)
    except ServiceUnavailable as exc:
        # the database went away mid-run: passing, like any outage
        _log_cause(claim, exc)
        return _failed(claim, _Passing("unexpected_error"), started)
    except Exception:
        # a bug or an unexpected database error: the transaction rolled back, the previous
        # chunks stand; say so plainly and let the sweeper try again a bounded number of times
        logger.exception("document processing crashed", extra={"document_id": str(claim.id)})
        return _failed(claim, _Passing("unexpected_error"), started)
    metrics.add_metric(name="DocumentsReady", unit="Count", value=1)
    metrics.add_metric(name="EmbeddingsCreated", unit="Count", value=stats.embedded)
    return Result(
        claim.id,
        "ready",
        stats.chunks,
        stats.embedded,
        stats.reused,
        stats.requests,
        seconds=round(time.monotonic() - started, 3),
    )


def _log_cause(claim: _Claim, exc: AppError) -> None:
    """The technical cause stays in the logs; the manager reads the catalog's words."""
    logger.warning(
        "document processing interrupted",
        extra={"document_id": str(claim.id), "code": exc.code, "error": exc.message},
    )


def _failed(claim: _Claim, problem: DocumentProblem, started: float) -> Result:
    """Record `problem` (if the document is still ours) and say what happened."""
    message = _fail_quietly(claim, problem)
    passing = isinstance(problem, _Passing)
    if not passing:
        metrics.add_metric(name="DocumentsFailed", unit="Count", value=1)
    return Result(
        claim.id,
        "retry" if passing else "failed",
        error=message,
        error_code=problem.code,
        seconds=time.monotonic() - started,
    )


def _fail_quietly(claim: _Claim, problem: DocumentProblem) -> str:
    """`_fail`, tolerating a takeover or a database outage; returns the message."""
    try:
        return _fail(claim, problem)
    except _Superseded:
        logger.info("failure not recorded: document taken over", extra={"id": str(claim.id)})
    except ServiceUnavailable:
        # the database itself is down: the row stays `processing` and the sweeper
        # re-claims it once it is stale
        logger.warning("could not record the failure", extra={"document_id": str(claim.id)})
    return problem.text(claim.locale)
