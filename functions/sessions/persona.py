"""The persona a session plays: loaded for the caller's company, frozen into the session at start.

The snapshot keeps the session playable and gradeable as it was even if a manager edits or
archives the persona later. Older or hand-written rows are read tolerantly (plain strings are
accepted where the generator writes objects).
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from dojo.db import Connection
from dojo.errors import Conflict, NotFound
from sessions.models import PersonaSummary
from sessions.store import sessions as store


class Objection(BaseModel):
    """An objection the buyer raises (with the chunks that ground it)."""

    text: str
    chunk_ids: list[int] = Field(default_factory=list)


class HiddenFact(BaseModel):
    """A fact the buyer reveals only when asked the right question."""

    fact: str
    reveal_when: str = ""


def _texts(value: Any, keys: tuple[str, ...]) -> Any:
    """Plain strings become objects; objects keep their first known text key."""
    if not isinstance(value, list):
        return value
    out: list[Any] = []
    for item in value:
        if isinstance(item, str):
            out.append({keys[0]: item})
        elif isinstance(item, dict):
            text = next((item[k] for k in (*keys, "text", "content") if item.get(k)), None)
            out.append({**item, keys[0]: text} if text else item)
    return out


class Persona(BaseModel):
    """A persona as the sessions function uses it (also the frozen snapshot)."""

    id: uuid.UUID
    name: str
    role: str
    seniority: str | None = None
    company_profile: dict[str, Any] = Field(default_factory=dict)
    traits: list[str] = Field(default_factory=list)
    goals: list[str] = Field(default_factory=list)
    pains: list[str] = Field(default_factory=list)
    objections: list[Objection] = Field(default_factory=list)
    hidden_facts: list[HiddenFact] = Field(default_factory=list)
    difficulty: Literal["easy", "medium", "hard"] = "medium"
    end_conditions: list[str] = Field(default_factory=list)
    speaking_style: str = ""
    voice_id: str | None = None
    first_message: str = ""
    locale: str = "pt-BR"

    @field_validator("objections", mode="before")
    @classmethod
    def _objections(cls, value: Any) -> Any:
        return _texts(value, ("text", "objection"))

    @field_validator("hidden_facts", mode="before")
    @classmethod
    def _facts(cls, value: Any) -> Any:
        return _texts(value, ("fact",))

    @field_validator("traits", "goals", "pains", "end_conditions", mode="before")
    @classmethod
    def _strings(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        return [
            v if isinstance(v, str) else str(v.get("text") or v.get("condition") or v)
            for v in value
            if v
        ]

    def summary(self) -> PersonaSummary:
        """What the salesperson may see: who they are calling, never what the persona hides."""
        return PersonaSummary(
            id=self.id,
            name=self.name,
            role=self.role,
            difficulty=self.difficulty,
            company_profile={
                k: self.company_profile[k]
                for k in ("segment", "size", "region")
                if k in self.company_profile
            },
        )


def load(conn: Connection, persona_id: uuid.UUID | None, difficulty: str | None = None) -> Persona:
    """The chosen persona, or a random active one (of `difficulty` when given); other companies'
    are invisible (404)."""
    row = store.persona_for_session(conn, persona_id, difficulty)
    if persona_id is not None:
        if row is None:
            raise NotFound("persona not found")
        if row["status"] != "active":
            raise Conflict("this persona is archived")
    elif row is None and difficulty is not None:
        raise Conflict(f"no active persona of difficulty {difficulty}", code="no_persona")
    elif row is None:
        raise Conflict("no active persona yet: ask a manager to generate personas")
    return Persona.model_validate(row)


def from_snapshot(snapshot: dict[str, Any]) -> Persona:
    """The persona frozen into a session."""
    return Persona.model_validate(snapshot)
