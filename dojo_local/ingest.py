"""Local ingestion driver: upload files through the real API, then let the local pg_net deliver
the hooks and watch the documents until each is ready or failed (`dojo ingest`, the demo)."""

from __future__ import annotations

import mimetypes
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg.rows import dict_row

from dojo_local import dispatcher

UPLOAD = "/api/v1/onboarding/upload-documents"
DONE = ("ready", "failed")


def upload(http: httpx.Client, headers: dict[str, str], path: Path) -> dict[str, Any]:
    """Upload one file; returns the accepted document, or {"error": ...} for a refused file."""
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response = http.post(
        UPLOAD, headers=headers, files=[("files", (path.name, path.read_bytes(), content_type))]
    )
    if response.status_code != 202:
        try:
            message = response.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = response.text
        return {"filename": path.name, "status": "refused", "error": message}
    return dict(response.json()["documents"][0])


def documents(db_url: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The current state of these documents."""
    with psycopg.connect(db_url, autocommit=True, row_factory=dict_row) as conn:
        return conn.execute(
            "select id::text, filename, status, progress, chunk_count, embeddings_created,"
            " pages, error from public.documents where id = any(%s::uuid[])",
            (list(ids),),
        ).fetchall()


def wait(
    db_url: str,
    ids: Sequence[str],
    on_progress: Callable[[list[dict[str, Any]]], None] | None = None,
    timeout: float = 600.0,
) -> list[dict[str, Any]]:
    """Deliver queued hooks (draining the local pg_net queue) until every document is done."""
    worker = dispatcher.Dispatcher(db_url, interval=0.1)
    worker.start()
    deadline = time.monotonic() + timeout
    try:
        while True:
            rows = documents(db_url, ids)
            if on_progress is not None:
                on_progress(rows)
            if all(r["status"] in DONE for r in rows) or time.monotonic() > deadline:
                return rows
            time.sleep(0.1)
    finally:
        worker.stop()
        worker.join(timeout=30)
