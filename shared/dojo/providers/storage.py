"""The file bucket through the configured provider; Supabase Storage ships here.

Every implementation ends the same way: a row in `storage.objects`, whose triggers tell the flows
(an uploaded document, soon a call recording) that a file landed. Supabase Storage's API writes
that row itself; the local runtime registers a folder-plus-row stand-in
(`dojo_local.offline.storage`).

Signed upload links behave alike whatever the provider: a link creates its object once and never
overwrites it (never `upsert`), and triggers may refuse an object (e.g. for a deleted document),
in which case nothing lands. A link cannot bind a size on Supabase, so the caller that announced
a size checks the stored file against it before reading it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from dojo.errors import ServiceUnavailable
from dojo.providers.registry import Capability
from dojo.settings import get_settings

if TYPE_CHECKING:  # storage3 and httpx load with the first storage call, not at cold start
    from storage3 import SyncStorageClient


class ObjectMissing(Exception):
    """The object is not in the bucket (deleted, or the upload never finished)."""


class ObjectExists(Exception):
    """An object is already at the path (`put` creates once and never overwrites)."""


@dataclass(frozen=True)
class SignedUpload:
    """Where and how the browser uploads a large file itself."""

    url: str
    token: str
    path: str
    method: str
    expires_in: int


class Storage(Protocol):
    """What the flows need from the bucket."""

    def put(self, path: str, data: bytes, content_type: str) -> None:
        """Create the object at `path` once (its row fires the bucket's triggers)."""

    def get(self, path: str) -> bytes:
        """The bytes at `path`; raises ObjectMissing."""

    def remove(self, path: str) -> None:
        """Delete the object at `path` (missing is fine)."""

    def signed_upload(self, path: str, max_bytes: int) -> SignedUpload:
        """A URL the client PUTs the file to once, valid for a while (`max_bytes` announced)."""

    def signed_url(self, path: str, expires_in: int) -> str:
        """A URL that reads the object for `expires_in` seconds (no credentials needed)."""


def safe_key(filename: str) -> str:
    """A storage key for a file name: ASCII letters, digits and `._-` (Storage rejects others)."""
    folded = unicodedata.normalize("NFKD", filename)
    ascii_name = folded.encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name).strip("._") or "file"
    return ascii_name[-120:]


@lru_cache(maxsize=2)
def _storage_client(url: str, key: str, timeout: int) -> SyncStorageClient:
    from storage3 import SyncStorageClient

    headers = {"apiKey": key, "Authorization": f"Bearer {key}"}
    # the timeout lives on our own HTTP client (the SDK's `timeout=` argument is deprecated)
    import httpx

    session = httpx.Client(headers=headers, timeout=timeout, follow_redirects=True)
    return SyncStorageClient(f"{url.rstrip('/')}/storage/v1/", headers, http_client=session)


class SupabaseStorage:
    """Supabase Storage through supabase-py's storage client, with the service key.

    Reads its settings on every call (URL, key, bucket), so one instance serves the process.
    `bucket` names another bucket than the documents' (`storage_bucket`).
    """

    timeout = 30

    def __init__(self, bucket: str | None = None) -> None:
        self._name = bucket

    def _bucket(self) -> Any:
        settings = get_settings()
        key = settings.supabase_service_key.get_secret_value()
        if not settings.supabase_url or not key:
            raise ServiceUnavailable(
                "storage is not configured (DOJO_SUPABASE_URL, DOJO_SUPABASE_SERVICE_KEY)"
            )
        client = _storage_client(settings.supabase_url, key, self.timeout)
        return client.from_(self._name or settings.storage_bucket)

    @staticmethod
    def _call(action: str, fn: Any, *args: Any) -> Any:
        import httpx
        from storage3.exceptions import StorageApiError
        from storage3.utils import StorageException

        try:
            return fn(*args)
        except StorageApiError as exc:
            if str(exc.status) in ("404", "400") and "not found" in exc.message.lower():
                raise ObjectMissing(action) from exc
            if str(exc.status) in ("409", "400") and "exists" in exc.message.lower():
                raise ObjectExists(action) from exc
            raise ServiceUnavailable(f"storage could not {action}: {exc.message}") from exc
        except (StorageException, httpx.HTTPError) as exc:
            raise ServiceUnavailable(f"storage could not {action}") from exc

    def put(self, path: str, data: bytes, content_type: str) -> None:
        """Upload through the Storage API (it writes the object row, the trigger fires)."""
        options = {"content-type": content_type, "upsert": "false"}
        self._call("store the file", self._bucket().upload, path, data, options)

    def get(self, path: str) -> bytes:
        """Download the object's bytes."""
        return bytes(self._call("read the file", self._bucket().download, path))

    def remove(self, path: str) -> None:
        """Delete the object (Storage deletes its row)."""
        try:
            self._call("delete the file", self._bucket().remove, [path])
        except ObjectMissing:
            return

    def signed_upload(self, path: str, max_bytes: int) -> SignedUpload:  # noqa: ARG002
        """A Storage signed upload URL (the browser PUTs the file to it).

        Never with `upsert`: the link then creates the object once and cannot overwrite it.
        Storage cannot bind `max_bytes` to a link; the flow refuses a larger stored file.
        """
        signed = self._call("sign an upload", self._bucket().create_signed_upload_url, path)
        return SignedUpload(
            url=str(signed["signed_url"]),
            token=str(signed["token"]),
            path=path,
            method="PUT",
            expires_in=get_settings().upload_url_seconds,
        )

    def signed_url(self, path: str, expires_in: int) -> str:
        """A Storage signed download URL."""
        signed = self._call("sign a download", self._bucket().create_signed_url, path, expires_in)
        return str(signed.get("signedURL") or signed.get("signedUrl"))


STORAGE: Capability[Storage] = Capability("storage", kind="storage")
STORAGE.register("supabase", SupabaseStorage)
# Call recordings: a private bucket of their own, `<company_id>/<session_id>.<ext>`.
RECORDINGS: Capability[Storage] = Capability("storage.recordings", kind="storage")
RECORDINGS.register("supabase", lambda: SupabaseStorage(get_settings().recordings_bucket))


def get_storage() -> Storage:
    """The configured bucket."""
    return STORAGE.get()
