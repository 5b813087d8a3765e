"""`POST /internal/onboarding/hook`: the storage trigger's call (through pg_net) to process a file.

Authenticated by a shared secret header compared in constant time; not an HTTP API route (in
production it is the function's URL, known only to Vault). Duplicates are harmless: processing
starts with an atomic claim, so a second delivery finds nothing to do.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from dojo.hooks import require_hook_secret
from dojo.http import CredentialsFirst
from onboarding import ingest
from onboarding.models import HookEvent, HookOut

router = APIRouter(
    prefix="/internal/onboarding",
    tags=["internal"],
    include_in_schema=False,
    route_class=CredentialsFirst,
)


@router.post("/hook", dependencies=[Depends(require_hook_secret)])
def hook(event: HookEvent) -> HookOut:
    """Process the uploaded document now; answers what happened."""
    result = ingest.process(event.document_id, event.company_id)
    return HookOut(
        document_id=result.document_id,
        outcome=result.outcome,
        chunks=result.chunks,
        embedded=result.embedded,
        reused=result.reused,
        error=result.error,
        error_code=result.error_code,
    )
