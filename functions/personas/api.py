"""The `/api/v1/personas` routes: generate, regenerate, follow a generation, list, get, edit,
archive, unarchive.

Generation has two paths. Offline (the default and the demo) it is fast and deterministic, so
generate/regenerate store the set within the request and answer 201 with the personas. With a
real model one generation takes 40-60 s, past API Gateway's 30 s cap: the request is validated
exactly the same way (role, body, "upload documents first"), records a job and answers 202 with
its `status_url`; the job's trigger calls `/internal/personas/hook` (`personas.hook`), and
`GET /generations/{id}` reports the job, with its personas once done.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from fastapi.responses import JSONResponse

from dojo.auth import CurrentUser, Manager, Principal
from dojo.db import TenantDB
from dojo.errors import BadRequest, NotFound
from dojo.pagination import MAX_LIMIT, Limit, Offset
from dojo.settings import get_settings
from personas import service, store, voices
from personas.schema import (
    GenerateIn,
    GenerationAccepted,
    GenerationJobOut,
    GenerationOut,
    PersonaOut,
    PersonaPatch,
)

router = APIRouter(prefix="/api/v1/personas", tags=["personas"])
GenerateBody = Annotated[GenerateIn, Body(default_factory=GenerateIn)]
_ACCEPTED: dict[int | str, dict[str, Any]] = {
    202: {"model": GenerationAccepted, "description": "generation running as a job (real model)"}
}


def _start(
    principal: Principal, body: GenerateIn, *, replace: bool
) -> GenerationOut | JSONResponse:
    if get_settings().llm_provider == "openai":
        accepted = service.enqueue(principal, body, replace=replace)
        return JSONResponse(
            accepted.model_dump(mode="json"),
            status_code=202,
            headers={"Location": accepted.status_url},
        )
    return service.run(principal, body, replace=replace)


@router.post("/generate", status_code=201, response_model=GenerationOut, responses=_ACCEPTED)
def generate_personas(principal: Manager, body: GenerateBody) -> GenerationOut | JSONResponse:
    """Generate 5-10 new personas from the company's documents and add them to the active ones.

    201 with the personas (offline), or 202 with a job to poll (real model).
    """
    return _start(principal, body, replace=False)


@router.post("/regenerate", status_code=201, response_model=GenerationOut, responses=_ACCEPTED)
def regenerate_personas(principal: Manager, body: GenerateBody) -> GenerationOut | JSONResponse:
    """Generate a new set and archive every active persona, in one step (all or nothing).

    201 with the personas (offline), or 202 with a job to poll (real model).
    """
    return _start(principal, body, replace=True)


@router.get("/generations/{generation_id}")
def get_generation(_: Manager, conn: TenantDB, generation_id: uuid.UUID) -> GenerationJobOut:
    """A generation job: pending, running, done (with its personas) or failed (with why)."""
    job = store.get_job(conn, generation_id)
    if job is None:
        raise NotFound("generation not found")
    result = None
    if job["status"] == "done" and job["result"] is not None:
        personas = [
            PersonaOut.model_validate(r) for r in store.generation_personas(conn, generation_id)
        ]
        result = GenerationOut.model_validate({**job["result"], "personas": personas})
    return GenerationJobOut.model_validate(
        {
            **job,
            "generation_id": job["id"],
            "status_url": service.STATUS_URL.format(job["id"]),
            "result": result,
        }
    )


@router.get("")
def list_personas(
    _: CurrentUser,
    conn: TenantDB,
    status: Annotated[store.StatusFilter, Query()] = "all",
    limit: Limit = MAX_LIMIT,
    offset: Offset = 0,
) -> list[PersonaOut]:
    """Personas of the company: salespeople see the active ones, managers all of them."""
    rows = store.list_personas(conn, status, limit=limit, offset=offset)
    return [PersonaOut.model_validate(r) for r in rows]


@router.get("/{persona_id}")
def get_persona(_: CurrentUser, conn: TenantDB, persona_id: uuid.UUID) -> PersonaOut:
    """One persona."""
    return PersonaOut.model_validate(store.get(conn, persona_id))


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
