"""The `/api/v1/personas` routes: generate, regenerate, follow a generation, list, get, edit,
archive, unarchive.

Generation is a job whatever the provider: generate/regenerate validate the request (role, body,
"upload documents first"), record a job and answer 202 with it and its `status_url`
(`personas.jobs`). A fast provider (offline) has already run it, so the answer says done with the
personas in `result`; with a model (40-60 s, past API Gateway's 30 s cap) the job's trigger calls
`/internal/personas/hook` and `GET /generations/{id}` reports it until it is done or failed.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Query, Response

from dojo.auth import CurrentUser, Manager, Principal
from dojo.db import TenantDB
from dojo.errors import BadRequest, NotFound
from dojo.http import CredentialsFirst
from dojo.pagination import MAX_LIMIT, Limit, Offset
from personas import jobs, voices
from personas.models import (
    GenerateIn,
    GenerationJobOut,
    PersonaCard,
    PersonaOut,
    PersonaPatch,
)
from personas.store import personas as store

router = APIRouter(prefix="/api/v1/personas", tags=["personas"], route_class=CredentialsFirst)
GenerateBody = Annotated[GenerateIn, Body(default_factory=GenerateIn)]
_JOB = "the generation job: already done when the provider is fast (offline), pending with a model"


def _start(
    principal: Principal, body: GenerateIn, response: Response, *, replace: bool
) -> GenerationJobOut:
    job = jobs.start(principal, body, replace=replace)
    response.headers["Location"] = job.status_url
    return job


@router.post("/generate", status_code=202, responses={202: {"description": _JOB}})
def generate_personas(
    principal: Manager, body: GenerateBody, response: Response
) -> GenerationJobOut:
    """Generate 5-10 new personas from the company's documents and add them to the active ones.

    202 with the job; follow its `status_url` until it is done (with the personas) or failed.
    """
    return _start(principal, body, response, replace=False)


@router.post("/regenerate", status_code=202, responses={202: {"description": _JOB}})
def regenerate_personas(
    principal: Manager, body: GenerateBody, response: Response
) -> GenerationJobOut:
    """Generate a new set and archive every active persona, in one step (all or nothing).

    202 with the job; follow its `status_url` until it is done (with the personas) or failed.
    """
    return _start(principal, body, response, replace=True)


@router.get("/generations/{generation_id}")
def get_generation(_: Manager, conn: TenantDB, generation_id: uuid.UUID) -> GenerationJobOut:
    """A generation job: pending, running, done (with its personas) or failed (with why)."""
    job = jobs.view(conn, generation_id)
    if job is None:
        raise NotFound("generation not found")
    return job


@router.get("")
def list_personas(
    principal: CurrentUser,
    conn: TenantDB,
    status: Annotated[store.StatusFilter, Query()] = "all",
    limit: Limit = MAX_LIMIT,
    offset: Offset = 0,
) -> list[PersonaOut] | list[PersonaCard]:
    """Personas of the company: managers and admins see all of them with everything they hide
    (`PersonaOut`); salespeople see the active ones as cards (`PersonaCard`), only what a caller
    knows before the call."""
    if principal.at_least("manager"):
        rows = store.list_personas(conn, status, limit=limit, offset=offset)
        return [PersonaOut.model_validate(r) for r in rows]
    cards = store.list_cards(conn, status, limit=limit, offset=offset)
    return [PersonaCard.model_validate(r) for r in cards]


@router.get("/{persona_id}")
def get_persona(
    principal: CurrentUser, conn: TenantDB, persona_id: uuid.UUID
) -> PersonaOut | PersonaCard:
    """One persona: whole for managers and admins, its card for salespeople."""
    if principal.at_least("manager"):
        return PersonaOut.model_validate(store.get(conn, persona_id))
    return PersonaCard.model_validate(store.get_card(conn, persona_id))


@router.patch("/{persona_id}")
def edit_persona(
    _: Manager, conn: TenantDB, persona_id: uuid.UUID, body: PersonaPatch
) -> PersonaOut:
    """Edit any field of a persona (validated; objections may only cite the company's chunks)."""
    changes = body.changes()
    if "voice_id" in changes and not voices.known(changes["voice_id"]):
        raise BadRequest("voice_id is not one of the configured voices", code="unknown_voice")
    return PersonaOut.model_validate(store.update(conn, persona_id, changes))


@router.post("/{persona_id}/archive")
def archive_persona(_: Manager, conn: TenantDB, persona_id: uuid.UUID) -> PersonaOut:
    """Archive a persona: salespeople no longer see or pick it; sessions keep their history."""
    return PersonaOut.model_validate(store.set_status(conn, persona_id, "archived"))


@router.post("/{persona_id}/unarchive")
def unarchive_persona(_: Manager, conn: TenantDB, persona_id: uuid.UUID) -> PersonaOut:
    """Bring an archived persona back."""
    return PersonaOut.model_validate(store.set_status(conn, persona_id, "active"))
