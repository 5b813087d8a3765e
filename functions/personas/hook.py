"""`POST /internal/personas/hook`: a generation job's trigger calls this (pg_net, shared secret).

The secret is compared in constant time before the body is read; without it the answer is 401
and nothing runs. Not an HTTP API route: in production it is the function's URL (300 s, past API
Gateway's 30 s cap), known only to Vault. Delivering the same event twice, or concurrently, runs
the job once: `personas.jobs.process` starts with an atomic claim.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from dojo.hooks import require_hook_secret
from dojo.http import CredentialsFirst
from personas import jobs
from personas.models import GenerationRequested, HookOutcome

router = APIRouter(tags=["internal"], route_class=CredentialsFirst)


@router.post(
    "/internal/personas/hook", include_in_schema=False, dependencies=[Depends(require_hook_secret)]
)
def personas_hook(event: GenerationRequested) -> HookOutcome:
    """Run the generation job now (idempotent); answers what happened."""
    outcome = jobs.process(event.generation_id, event.company_id)
    return HookOutcome(
        generation_id=outcome.generation_id,
        status=outcome.status,
        persona_count=outcome.persona_count,
        error=outcome.error,
    )
