"""Copying a call's recording from Vapi into the company's private `recordings` bucket.

Two functions copy: webhooks right after it applies a report, and the sessions sweeper for the
copies that failed (or whose worker died). The copy is owed and claimed in the database (the
report's transaction claims attempt 1, the sweeper claims later ones); the download and upload run
with no connection checked out; a second short transaction marks it done, fenced by the attempt
number. A download that fails passingly (timeout, connection, 429, 5xx) is tried again at once a
few times (tenacity, exponential backoff with jitter); what still fails stays owed for the sweeper.
"""

from __future__ import annotations

import uuid
from contextlib import suppress
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from dojo.db import Connection, service_transaction
from dojo.observability import count, logger
from dojo.providers.storage import RECORDINGS, ObjectExists
from dojo.settings import get_settings

if TYPE_CHECKING:  # httpx and tenacity load with the first copy, not at cold start
    import httpx

_EXTENSIONS = {"wav", "mp3", "ogg", "webm", "m4a", "flac"}
_CONTENT_TYPES = {
    "audio/mpeg": "mp3",
    "audio/mp3": "mp3",
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/wave": "wav",
    "audio/ogg": "ogg",
    "audio/webm": "webm",
    "audio/mp4": "m4a",
    "audio/flac": "flac",
}
MIME = {ext: mime for mime, ext in reversed(_CONTENT_TYPES.items())}


class CopyFailed(Exception):
    """The recording could not be copied (the message says why, for the session's row)."""


class _Passing(Exception):
    """A failure worth another try now: timeout, connection error, 429, 5xx."""


@dataclass(frozen=True)
class CopyJob:
    """One claimed copy: the session, Vapi's URL and the attempt that fences the result."""

    session_id: uuid.UUID
    company_id: uuid.UUID
    call_id: str | None
    url: str
    attempt: int


def extension(url: str, content_type: str | None) -> str:
    """The file's extension: from the URL's name, else its content type, else wav (Vapi's)."""
    suffix = PurePosixPath(urlparse(url).path).suffix.lstrip(".").lower()
    if suffix in _EXTENSIONS:
        return suffix
    mime = (content_type or "").split(";")[0].strip().lower()
    return _CONTENT_TYPES.get(mime, "wav")


def _fetch_once(client: httpx.Client, url: str, headers: dict[str, str]) -> httpx.Response:
    import httpx

    try:
        response = client.get(url, headers=headers)
    except httpx.TransportError as exc:  # timeouts included
        raise _Passing(type(exc).__name__) from exc
    if response.status_code == 429 or response.status_code >= 500:
        raise _Passing(f"HTTP {response.status_code}")
    return response


def _fetch(client: httpx.Client, url: str, headers: dict[str, str]) -> httpx.Response:
    """GET with bounded retries (backoff and jitter) for passing failures."""
    from tenacity import Retrying, retry_if_exception_type, stop_after_attempt
    from tenacity import wait_random_exponential as backoff

    settings = get_settings()
    retrying = Retrying(
        retry=retry_if_exception_type(_Passing),
        stop=stop_after_attempt(settings.recording_copy_tries),
        wait=backoff(multiplier=settings.recording_copy_wait_seconds, max=8),
        reraise=True,
    )
    try:
        return retrying(_fetch_once, client, url, headers)
    except _Passing as exc:
        raise CopyFailed(f"the recording could not be downloaded ({exc})") from exc


def download(url: str, call_id: str | None) -> tuple[bytes, str | None]:
    """The recording's bytes and content type.

    Vapi's own recording URLs are access-controlled now (§2.4): when the URL refuses us
    (401/403/404, e.g. an expired presigned URL) and a private key is configured, the call's
    `GET /call/{id}/mono-recording` redirects to a fresh signed URL.
    """
    import httpx

    settings = get_settings()
    limit = settings.recording_max_bytes
    with httpx.Client(timeout=settings.recording_timeout_seconds, follow_redirects=True) as client:
        response = _fetch(client, url, {})
        key = settings.vapi_private_key.get_secret_value()
        if response.status_code in (401, 403, 404) and key and call_id:
            api = f"{settings.vapi_base_url.rstrip('/')}/call/{call_id}/mono-recording"
            response = _fetch(client, api, {"authorization": f"Bearer {key}"})
        if response.status_code != 200:
            raise CopyFailed(f"the recording could not be downloaded (HTTP {response.status_code})")
        if len(response.content) > limit:
            raise CopyFailed(f"the recording is larger than {limit} bytes")
        if not response.content:
            raise CopyFailed("the recording is empty")
        return response.content, response.headers.get("content-type")


def object_path(company_id: uuid.UUID, session_id: uuid.UUID, ext: str) -> str:
    """Where a session's recording lives in the recordings bucket."""
    return f"{company_id}/{session_id}.{ext}"


def _mark_done(conn: Connection, job: CopyJob, path: str) -> bool:
    row = conn.execute(
        "select private.recording_copied(%s, %s, %s) as done", (job.session_id, job.attempt, path)
    ).fetchone()
    return bool(row and row["done"])


def _mark_failed(conn: Connection, job: CopyJob, reason: str) -> None:
    conn.execute(
        "select private.recording_copy_failed(%s, %s, %s)", (job.session_id, job.attempt, reason)
    )


def copy(job: CopyJob) -> bool:
    """Copy one claimed recording (no connection held meanwhile); True when it is ours now."""
    try:
        data, content_type = download(job.url, job.call_id)
        ext = extension(job.url, content_type)
        path = object_path(job.company_id, job.session_id, ext)
        # ObjectExists: an earlier attempt stored it and died before saying so (same bytes)
        with suppress(ObjectExists):
            RECORDINGS.get().put(path, data, MIME.get(ext, "application/octet-stream"))
    except Exception as exc:  # any failure leaves the copy owed, for the sweeper
        reason = str(exc) if isinstance(exc, CopyFailed) else f"{type(exc).__name__}: {exc}"
        logger.warning(
            "recording copy failed",
            extra={"session_id": str(job.session_id), "attempt": job.attempt, "error": reason},
        )
        count("RecordingCopyFailed")
        with service_transaction() as conn:
            _mark_failed(conn, job, reason)
        return False
    with service_transaction() as conn:
        done = _mark_done(conn, job, path)
    logger.info(
        "recording copied",
        extra={"session_id": str(job.session_id), "attempt": job.attempt, "current": done},
    )
    return done


def signed_url(path: str | None) -> str | None:
    """A short-lived URL to play a kept recording (None when there is none)."""
    if not path:
        return None
    return RECORDINGS.get().signed_url(path, get_settings().recording_url_seconds)
