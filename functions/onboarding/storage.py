"""The documents bucket: Supabase Storage in production, a folder plus `storage.objects` locally.

Both end the same way: a row in `storage.objects` whose AFTER INSERT trigger creates/refreshes
the `documents` row and queues the onboarding hook. Production goes through Storage's API
(supabase-py's storage client, imported on first use), which writes that row itself; locally we
write the file and the row together, once per path.

Signed upload links behave the same on both: they create the object once (never overwrite it),
and the database refuses an object for a deleted document (the upload trigger). Locally the link
also carries the size announced for it and refuses more; Storage cannot bind a size to a link, so
there the pipeline refuses a stored file larger than announced (`ingest`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from dojo.db import jsonb, service_transaction
from dojo.errors import AppError, Conflict, NotFound, ServiceUnavailable, Unauthorized
from dojo.settings import get_settings

if TYPE_CHECKING:
    from storage3 import SyncStorageClient

LOCAL_UPLOAD_PATH = "/api/v1/onboarding/uploads"


class ObjectMissing(Exception):
    """The object is not in the bucket (deleted, or the upload never finished)."""


@dataclass(frozen=True)
class SignedUpload:
    """Where and how the browser uploads a large file itself."""

    url: str
    token: str
    path: str
    method: str
    expires_in: int


class Storage(Protocol):
    """What onboarding needs from the bucket."""

    def put(self, path: str, data: bytes, content_type: str) -> None:
        """Store `data` at `path` (the object row fires the upload trigger)."""

    def get(self, path: str) -> bytes:
        """The bytes at `path`; raises ObjectMissing."""

    def remove(self, path: str) -> None:
        """Delete the object at `path` (missing is fine)."""

    def signed_upload(self, path: str, max_bytes: int) -> SignedUpload:
        """A URL the client PUTs the file to once, valid for a while (`max_bytes` announced)."""


def safe_key(filename: str) -> str:
    """A storage key for a file name: ASCII letters, digits and `._-` (Storage rejects others)."""
    folded = unicodedata.normalize("NFKD", filename)
    ascii_name = folded.encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name).strip("._") or "file"
    return ascii_name[-120:]


def object_path(company_id: object, document_id: object, filename: str) -> str:
    """`{company_id}/{document_id}/{filename}`: the path the trigger and the policies expect."""
    return f"{company_id}/{document_id}/{safe_key(filename)}"


# --- local --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadGrant:
    """What a valid local upload token allows: one object at `path`, at most `max_bytes`."""

    path: str
    max_bytes: int


class UploadLinkUsed(Conflict):
    """409: the link already created its object (links create once, as Storage's do)."""

    code = "upload_link_used"


class UploadLinkDead(AppError):
    """410: the document the link was for no longer exists."""

    status_code = 410
    code = "upload_link_dead"


class LocalStorage:
    """A folder under the data directory plus the `storage.objects` row, as Storage would write."""

    def __init__(self, root: Path, bucket: str, public_url: str, secret: str) -> None:
        self.root = root
        self.bucket = bucket
        self.public_url = public_url.rstrip("/")
        self.secret = secret.encode()

    def _file(self, path: str) -> Path:
        target = (self.root / self.bucket / path).resolve()
        if not target.is_relative_to((self.root / self.bucket).resolve()):
            raise NotFound("file not found")
        return target

    def put(self, path: str, data: bytes, content_type: str) -> None:
        """Create the object once: its row (the trigger fires) and its file, or neither.

        Raises UploadLinkUsed when an object is already at `path` and UploadLinkDead when the
        database refuses it (the document was deleted); the existing file is never touched.
        """
        import psycopg

        target = self._file(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            metadata = {"size": len(data), "mimetype": content_type, "contentLength": len(data)}
            with service_transaction() as conn:
                try:
                    conn.execute(
                        "insert into storage.objects (bucket_id, name, metadata)"
                        " values (%s, %s, %s)",
                        (self.bucket, path, jsonb(metadata)),
                    )
                except psycopg.errors.UniqueViolation as exc:
                    raise UploadLinkUsed("this upload link was already used") from exc
                except psycopg.errors.ObjectNotInPrerequisiteState as exc:
                    raise UploadLinkDead("the document of this upload link was deleted") from exc
                # the file is in place before the row commits: a committed row has its bytes
                Path(tmp).replace(target)
        finally:
            Path(tmp).unlink(missing_ok=True)

    def check_upload(self, path: str) -> None:
        """Would `put(path)` be accepted? Storage's own test: insert the row, then roll back.

        Lets the signed-upload route refuse a used or dead link before reading any of the body.
        """
        import psycopg

        with service_transaction() as conn:
            try:
                with conn.transaction(force_rollback=True):
                    conn.execute(
                        "insert into storage.objects (bucket_id, name) values (%s, %s)",
                        (self.bucket, path),
                    )
            except psycopg.errors.UniqueViolation as exc:
                raise UploadLinkUsed("this upload link was already used") from exc
            except psycopg.errors.ObjectNotInPrerequisiteState as exc:
                raise UploadLinkDead("the document of this upload link was deleted") from exc

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
        return hmac.new(self.secret, payload, hashlib.sha256).hexdigest()

    def signed_upload(self, path: str, max_bytes: int) -> SignedUpload:
        """A token-bearing URL on the local gateway that accepts one PUT of at most `max_bytes`."""
        expires_in = get_settings().upload_url_seconds
        claims = {"path": path, "max": max_bytes, "exp": int(time.time()) + expires_in}
        payload = json.dumps(claims).encode()
        token = base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + self._sign(payload)
        return SignedUpload(
            url=f"{self.public_url}{LOCAL_UPLOAD_PATH}/{token}",
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
        return UploadGrant(path=str(claims["path"]), max_bytes=int(claims["max"]))


# --- Supabase -----------------------------------------------------------------------------------


@lru_cache(maxsize=2)
def _storage_client(url: str, key: str, timeout: int) -> SyncStorageClient:
    from storage3 import SyncStorageClient

    headers = {"apiKey": key, "Authorization": f"Bearer {key}"}
    # the timeout lives on our own HTTP client (the SDK's `timeout=` argument is deprecated)
    import httpx

    session = httpx.Client(headers=headers, timeout=timeout, follow_redirects=True)
    return SyncStorageClient(f"{url.rstrip('/')}/storage/v1/", headers, http_client=session)


class SupabaseStorage:
    """Supabase Storage through supabase-py's storage client, with the service key."""

    def __init__(self, url: str, key: str, bucket: str, timeout: int = 30) -> None:
        if not url or not key:
            raise ServiceUnavailable(
                "storage is not configured (DOJO_SUPABASE_URL, DOJO_SUPABASE_SERVICE_KEY)"
            )
        self.bucket = bucket
        self.client = _storage_client(url, key, timeout)

    def _call(self, action: str, fn: Any, *args: Any) -> Any:
        import httpx
        from storage3.exceptions import StorageApiError
        from storage3.utils import StorageException

        try:
            return fn(*args)
        except StorageApiError as exc:
            if str(exc.status) in ("404", "400") and "not found" in exc.message.lower():
                raise ObjectMissing(action) from exc
            raise ServiceUnavailable(f"storage could not {action}: {exc.message}") from exc
        except (StorageException, httpx.HTTPError) as exc:
            raise ServiceUnavailable(f"storage could not {action}") from exc

    def put(self, path: str, data: bytes, content_type: str) -> None:
        """Upload through the Storage API (it writes the object row, the trigger fires)."""
        options = {"content-type": content_type, "upsert": "false"}
        self._call("store the file", self.client.from_(self.bucket).upload, path, data, options)

    def get(self, path: str) -> bytes:
        """Download the object's bytes."""
        return bytes(self._call("read the file", self.client.from_(self.bucket).download, path))

    def remove(self, path: str) -> None:
        """Delete the object (Storage deletes its row)."""
        try:
            self._call("delete the file", self.client.from_(self.bucket).remove, [path])
        except ObjectMissing:
            return

    def signed_upload(self, path: str, max_bytes: int) -> SignedUpload:  # noqa: ARG002
        """A Storage signed upload URL (the browser PUTs the file to it).

        Never with `upsert`: the link then creates the object once and cannot overwrite it.
        Storage cannot bind `max_bytes` to a link; the pipeline refuses a larger file.
        """
        bucket = self.client.from_(self.bucket)
        signed = self._call("sign an upload", bucket.create_signed_upload_url, path)
        return SignedUpload(
            url=str(signed["signed_url"]),
            token=str(signed["token"]),
            path=path,
            method="PUT",
            expires_in=get_settings().upload_url_seconds,
        )


def get_storage() -> LocalStorage | SupabaseStorage:
    """The configured bucket."""
    settings = get_settings()
    if settings.storage_provider == "supabase":
        return SupabaseStorage(
            settings.supabase_url,
            settings.supabase_service_key.get_secret_value(),
            settings.storage_bucket,
        )
    return LocalStorage(
        Path(settings.data_dir).expanduser() / "storage",
        settings.storage_bucket,
        settings.public_url,
        settings.hook_secret.get_secret_value() or "local-upload",
    )
