"""The `/api/v1/personas` routes: generate, regenerate, list, get, edit, archive, unarchive."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Query

from dojo.auth import CurrentUser, Manager
from dojo.db import TenantDB
from dojo.errors import BadRequest
from personas import service, store, voices
from personas.schema import GenerateIn, GenerationOut, PersonaOut, PersonaPatch

router = APIRouter(prefix="/api/v1/personas", tags=["personas"])
GenerateBody = Annotated[GenerateIn, Body(default_factory=GenerateIn)]


@router.post("/generate", status_code=201)
def generate_personas(principal: Manager, body: GenerateBody) -> GenerationOut:
    """Generate 5-10 new personas from the company's documents and add them to the active ones."""
    return service.run(principal, body, replace=False)


@router.post("/regenerate", status_code=201)
def regenerate_personas(principal: Manager, body: GenerateBody) -> GenerationOut:
    """Generate a new set and archive every active persona, in one step (all or nothing)."""
    return service.run(principal, body, replace=True)


@router.get("")
def list_personas(
    _: CurrentUser,
    conn: TenantDB,
    status: Annotated[store.StatusFilter, Query()] = "all",
) -> list[PersonaOut]:
    """Personas of the company: salespeople see the active ones, managers all of them."""
    return [PersonaOut.model_validate(r) for r in store.list_personas(conn, status)]


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
