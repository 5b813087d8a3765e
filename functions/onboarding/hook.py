"""`POST /internal/onboarding/hook`: the storage trigger's call (through pg_net) to process a file.

Authenticated by a shared secret header compared in constant time; not an HTTP API route (in
production it is the function's URL, known only to Vault). Duplicates are harmless: processing
starts with an atomic claim, so a second delivery finds nothing to do.
"""

from __future__ import annotations

import hmac
import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header
from pydantic import BaseModel

from dojo.errors import Unauthorized
from dojo.settings import get_settings
from onboarding import ingest

router = APIRouter(prefix="/internal/onboarding", tags=["internal"], include_in_schema=False)


class HookEvent(BaseModel):
    """What the storage trigger sends."""

    type: Literal["document.uploaded"]
    document_id: uuid.UUID
    company_id: uuid.UUID


def check_secret(given: str | None) -> None:
    """Raise Unauthorized unless `given` equals the configured hook secret (constant time)."""
    expected = get_settings().hook_secret.get_secret_value()
    if not expected or not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Unauthorized("invalid hook secret")


@router.post("/hook")
def hook(
    event: HookEvent,
    x_dojo_hook_secret: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """Process the uploaded document now; answers what happened."""
    check_secret(x_dojo_hook_secret)
    result = ingest.process(event.document_id, event.company_id)
    return {
        "document_id": str(result.document_id),
        "outcome": result.outcome,
        "chunks": result.chunks,
        "embedded": result.embedded,
        "reused": result.reused,
        "error": result.error,
        "error_code": result.error_code,
    }
