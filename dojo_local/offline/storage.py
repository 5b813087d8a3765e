"""The local stand-in for Supabase Storage: a folder under the data directory plus the
`storage.objects` row, written as Storage writes it, so the same triggers fire.

Its signed upload links are served by `app` (the local gateway mounts it under `/storage/v1/`)
and behave as Storage's do, stricter where Storage cannot be: a link creates its object once
(409 when used), is refused when the database refuses the object (410: its document was
deleted), and carries the size announced for it (413 beyond it, from `content-length` or while
streaming, never buffered whole). Used and dead links are refused before any of the body is read,
by Storage's own test: insert the row, roll back.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from dojo.db import jsonb, service_transaction
from dojo.errors import AppError, Conflict, NotFound, PayloadTooLarge, Unauthorized
from dojo.http import create_app
from dojo.providers.storage import ObjectExists, ObjectMissing, SignedUpload
from dojo.settings import get_settings

UPLOAD_PATH = "/storage/v1/uploads"
DOWNLOAD_PATH = "/storage/v1/downloads"


@dataclass(frozen=True)
class UploadGrant:
    """What a valid local upload token allows: one object at `path`, at most `max_bytes`."""

    path: str
    max_bytes: int


class UploadLinkUsed(Conflict, ObjectExists):
    """409: the link already created its object (links create once, as Storage's do)."""

    code = "upload_link_used"


class UploadLinkDead(AppError):
    """410: the database refuses the object (the document the link was for was deleted)."""

    status_code = 410
    code = "upload_link_dead"


def _insert_object(conn: Any, bucket: str, path: str, metadata: dict[str, Any] | None) -> None:
    """The object's row, as Storage inserts it; refusals become the link's answers."""
    try:
        conn.execute(
            "insert into storage.objects (bucket_id, name, metadata) values (%s, %s, %s)",
            (bucket, path, jsonb(metadata) if metadata is not None else None),
        )
    except psycopg.errors.UniqueViolation as exc:
        raise UploadLinkUsed("this upload link was already used") from exc
    except psycopg.errors.ObjectNotInPrerequisiteState as exc:
        raise UploadLinkDead("this upload link no longer works: its document was deleted") from exc


class LocalStorage:
    """A folder plus the `storage.objects` row. Without arguments, everything comes from the
    settings on each call (data directory, bucket, public URL, hook secret as signing key)."""

    def __init__(
        self,
        root: Path | None = None,
        bucket: str | None = None,
        public_url: str | None = None,
        secret: str | None = None,
    ) -> None:
        self._root = root
        self._bucket = bucket
        self._public_url = public_url
        self._secret = secret

    @property
    def root(self) -> Path:
        """The folder holding the buckets."""
        return self._root or Path(get_settings().data_dir).expanduser() / "storage"

    @property
    def bucket(self) -> str:
        """The bucket's name."""
        return self._bucket or get_settings().storage_bucket

    def _key(self) -> bytes:
        secret = self._secret or get_settings().hook_secret.get_secret_value() or "local-upload"
        return secret.encode()

    def _file(self, path: str) -> Path:
        target = (self.root / self.bucket / path).resolve()
        if not target.is_relative_to((self.root / self.bucket).resolve()):
            raise NotFound("file not found")
        return target

    def put(self, path: str, data: bytes, content_type: str) -> None:
        """Create the object once: its row (the triggers fire) and its file, or neither.

        Raises UploadLinkUsed when an object is already at `path` and UploadLinkDead when the
        database refuses it; an existing file is never touched.
        """
        target = self._file(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            metadata = {"size": len(data), "mimetype": content_type, "contentLength": len(data)}
            with service_transaction() as conn:
                _insert_object(conn, self.bucket, path, metadata)
                # the file is in place before the row commits: a committed row has its bytes
                Path(tmp).replace(target)
        finally:
            Path(tmp).unlink(missing_ok=True)

    def check_upload(self, path: str) -> None:
        """Would `put(path)` be accepted? Storage's own test: insert the row, then roll back."""
        with service_transaction() as conn, conn.transaction(force_rollback=True):
            _insert_object(conn, self.bucket, path, None)

    def get(self, path: str) -> bytes:
        """The file's bytes."""
        try:
            return self._file(path).read_bytes()
        except (FileNotFoundError, NotFound) as exc:
            raise ObjectMissing(path) from exc

    def remove(self, path: str) -> None:
        """Delete the file and its object row."""
        self._file(path).unlink(missing_ok=True)
        with service_transaction() as conn:
            conn.execute(
                "delete from storage.objects where bucket_id = %s and name = %s",
                (self.bucket, path),
            )

    def _sign(self, payload: bytes) -> str:
        return hmac.new(self._key(), payload, hashlib.sha256).hexdigest()

    def signed_upload(self, path: str, max_bytes: int) -> SignedUpload:
        """A token-bearing URL on the local gateway that accepts one PUT of at most `max_bytes`."""
        expires_in = get_settings().upload_url_seconds
        claims = {"path": path, "max": max_bytes, "exp": int(time.time()) + expires_in}
        payload = json.dumps(claims).encode()
        token = base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + self._sign(payload)
        public_url = (self._public_url or get_settings().public_url).rstrip("/")
        return SignedUpload(
            url=f"{public_url}{UPLOAD_PATH}/{token}",
            token=token,
            path=path,
            method="PUT",
            expires_in=expires_in,
        )

    def verify_upload_token(self, token: str) -> UploadGrant:
        """What a local upload token grants; raises Unauthorized when forged or expired."""
        encoded, _, signature = token.partition(".")
        try:
            payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            claims: dict[str, Any] = json.loads(payload)
        except (ValueError, TypeError) as exc:
            raise Unauthorized("invalid upload token") from exc
        if not hmac.compare_digest(self._sign(payload), signature):
            raise Unauthorized("invalid upload token")
        if int(claims.get("exp", 0)) < time.time():
            raise Unauthorized("the upload link expired; ask for a new one")
        if "max" not in claims or "op" in claims:
            raise Unauthorized("invalid upload token")
        return UploadGrant(path=str(claims["path"]), max_bytes=int(claims["max"]))

    def _token(self, claims: dict[str, Any]) -> str:
        payload = json.dumps(claims).encode()
        return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + self._sign(payload)

    def signed_url(self, path: str, expires_in: int) -> str:
        """A token-bearing URL on the local gateway that reads the object until it expires."""
        claims = {"op": "read", "bucket": self.bucket, "path": path}
        token = self._token({**claims, "exp": int(time.time()) + expires_in})
        public_url = (self._public_url or get_settings().public_url).rstrip("/")
        return f"{public_url}{DOWNLOAD_PATH}/{token}"

    def read_grant(self, token: str) -> tuple[str, str]:
        """The (bucket, path) a local download token reads; NotFound when forged or expired."""
        encoded, _, signature = token.partition(".")
        try:
            payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            claims: dict[str, Any] = json.loads(payload)
        except (ValueError, TypeError) as exc:
            raise NotFound("file not found") from exc
        if (
            not hmac.compare_digest(self._sign(payload), signature)
            or claims.get("op") != "read"
            or int(claims.get("exp", 0)) < time.time()
        ):
            raise NotFound("file not found")
        return str(claims["bucket"]), str(claims["path"])


class Uploaded(BaseModel):
    """What a signed upload stored."""

    path: str
    bytes: int


router = APIRouter(prefix=UPLOAD_PATH, tags=["local storage"])


@router.put("/{token}")
async def signed_upload(token: str, request: Request) -> Uploaded:
    """Storage's signed upload URL, locally: one PUT of at most the announced size.

    Async only to stream the body; the checks and the write are sync, in the thread pool.
    """
    bucket = LocalStorage()
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
    return Uploaded(path=grant.path, bytes=len(data))


downloads = APIRouter(prefix=DOWNLOAD_PATH, tags=["local storage"])


@downloads.get("/{token}", response_class=FileResponse)
def signed_download(token: str) -> FileResponse:
    """Storage's signed download URL, locally: the object's bytes while the link lives."""
    bucket, path = LocalStorage().read_grant(token)
    target = LocalStorage(bucket=bucket)._file(path)
    if not target.is_file():
        raise NotFound("file not found")
    return FileResponse(target)


app = create_app("storage", title="Local Storage stand-in: signed uploads and downloads")
app.include_router(router)
app.include_router(downloads)
