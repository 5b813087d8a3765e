"""`POST /internal/personas/hook`: a generation job's trigger calls this (pg_net, shared secret).

The secret is compared in constant time before the body is read; without it the answer is 401
and nothing runs. Not an HTTP API route: in production it is the function's URL (300 s, past API
Gateway's 30 s cap), known only to Vault. Delivering the same event twice, or concurrently, runs
the job once: `personas.jobs.process` starts with an atomic claim.
"""

from __future__ import annotations

import hmac
import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header
from pydantic import BaseModel

from dojo.errors import Unauthorized
from dojo.settings import get_settings
from personas import jobs

router = APIRouter(tags=["internal"])


class GenerationRequested(BaseModel):
    """The trigger's body."""

    type: Literal["personas.requested"]
    generation_id: uuid.UUID
    company_id: uuid.UUID


def check_secret(given: str | None) -> None:
    """Raise Unauthorized unless `given` equals the configured hook secret (constant time)."""
    expected = get_settings().hook_secret.get_secret_value()
    if not expected or not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Unauthorized("invalid hook secret")


def _authorized(x_dojo_hook_secret: Annotated[str | None, Header()] = None) -> None:
    # a dependency runs before the body is validated: no secret, no detail about the body
    check_secret(x_dojo_hook_secret)


@router.post(
    "/internal/personas/hook", include_in_schema=False, dependencies=[Depends(_authorized)]
)
def personas_hook(event: GenerationRequested) -> dict[str, Any]:
    """Run the generation job now (idempotent); answers what happened."""
    outcome = jobs.process(event.generation_id, event.company_id)
    return {
        "generation_id": str(outcome.generation_id),
        "status": outcome.status,
        "persona_count": outcome.persona_count,
        "error": outcome.error,
    }
