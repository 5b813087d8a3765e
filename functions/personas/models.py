"""Persona shapes: what the model must answer (structured output), the API's request and
response models, and the hook's event and answer.

The model-facing models carry no length or count constraints: structured outputs would reject
some keywords, and the rules that matter (count, distinct names, grounded objections, difficulty
mix) are checked in code (`personas.validate`) so a violation can be explained and retried.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Difficulty = Literal["easy", "medium", "hard"]
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard")
Gender = Literal["female", "male"]
Generator = Literal["openai", "offline"]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


# --- what the model answers -------------------------------------------------------------


class Objection(BaseModel):
    """An objection the buyer raises, with the knowledge-base chunks that ground it."""

    text: str
    chunk_ids: list[int]


class HiddenFact(BaseModel):
    """Something true about the buyer that they only reveal when asked the right question."""

    fact: str
    reveal_when: str


class CompanyProfile(BaseModel):
    """The buyer's company: who they are, what they use today, money and politics."""

    segment: str
    size: str
    region: str
    current_solution: str
    budget: str
    decision_process: str


class PersonaDraft(BaseModel):
    """One generated persona, as the model writes it."""

    name: str
    gender: Gender
    role: str
    seniority: str
    company_profile: CompanyProfile
    traits: list[str]
    goals: list[str]
    pains: list[str]
    objections: list[Objection]
    hidden_facts: list[HiddenFact]
    difficulty: Difficulty
    end_conditions: list[str]
    speaking_style: str
    first_message: str


class PersonaSet(BaseModel):
    """The model's whole answer: one set of personas."""

    personas: list[PersonaDraft]


# --- API models ---------------------------------------------------------------------------


class DifficultyMix(BaseModel):
    """How many personas of each difficulty."""

    model_config = ConfigDict(extra="forbid")

    easy: int = Field(default=0, ge=0, le=10)
    medium: int = Field(default=0, ge=0, le=10)
    hard: int = Field(default=0, ge=0, le=10)

    @property
    def total(self) -> int:
        """Personas in the mix."""
        return self.easy + self.medium + self.hard

    def as_dict(self) -> dict[Difficulty, int]:
        """The mix by difficulty."""
        return {"easy": self.easy, "medium": self.medium, "hard": self.hard}


def default_mix(count: int) -> DifficultyMix:
    """A mix that leans hard (real buyers are not easy): a fifth easy, a third hard."""
    easy = max(1, count // 5)
    hard = -(-count // 3)
    return DifficultyMix(easy=easy, medium=count - easy - hard, hard=hard)


class GenerateIn(BaseModel):
    """A request for a new set of personas."""

    model_config = ConfigDict(extra="forbid")

    count: int | None = Field(default=None, ge=5, le=10)
    difficulty: DifficultyMix | None = None
    focus: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _consistent(self) -> GenerateIn:
        if self.difficulty is not None:
            if self.count is None:
                self.count = self.difficulty.total
            if self.difficulty.total != self.count:
                raise ValueError("the difficulty mix must add up to count")
        if self.count is None:
            self.count = 6
        if not 5 <= self.count <= 10:
            raise ValueError("count must be between 5 and 10")
        if self.focus is not None:
            self.focus = self.focus.strip() or None
        return self

    @property
    def mix(self) -> DifficultyMix:
        """The requested mix, or the default one for the count."""
        assert self.count is not None
        return self.difficulty or default_mix(self.count)


class ObjectionIn(BaseModel):
    """An objection as a manager edits it."""

    model_config = ConfigDict(extra="forbid")

    text: Text
    chunk_ids: list[int] = Field(default_factory=list, max_length=20)


class HiddenFactIn(BaseModel):
    """A hidden fact as a manager edits it."""

    model_config = ConfigDict(extra="forbid")

    fact: Text
    reveal_when: Text


class CompanyProfileIn(BaseModel):
    """The buyer's company as a manager edits it."""

    model_config = ConfigDict(extra="forbid")

    segment: Short
    size: Short
    region: Short | None = None
    current_solution: Text | None = None
    budget: Text | None = None
    decision_process: Text | None = None


class PersonaPatch(BaseModel):
    """A manager's edit: any field, each validated; absent fields stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)] = (
        ""
    )
    role: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=160)] = (
        ""
    )
    seniority: Short | None = None
    company_profile: CompanyProfileIn | None = None
    traits: list[Short] = Field(default_factory=list, min_length=1, max_length=12)
    goals: list[Text] = Field(default_factory=list, min_length=1, max_length=12)
    pains: list[Text] = Field(default_factory=list, min_length=1, max_length=12)
    objections: list[ObjectionIn] = Field(default_factory=list, min_length=1, max_length=12)
    hidden_facts: list[HiddenFactIn] = Field(default_factory=list, max_length=12)
    difficulty: Difficulty = "medium"
    end_conditions: list[Text] = Field(default_factory=list, min_length=1, max_length=12)
    speaking_style: Text = ""
    voice_id: Annotated[str, StringConstraints(min_length=1, max_length=100)] = ""
    first_message: Text = ""

    @model_validator(mode="after")
    def _no_nulls(self) -> PersonaPatch:
        # a field the manager sends must carry a value: required columns cannot be blanked
        for name in self.model_fields_set:
            if getattr(self, name) is None and name not in {"seniority"}:
                raise ValueError(f"{name} cannot be null")
        if not self.model_fields_set:
            raise ValueError("nothing to change")
        return self

    def changes(self) -> dict[str, Any]:
        """Only the fields the manager sent, as JSON-ready values."""
        return self.model_dump(mode="json", include=self.model_fields_set)


class CallerProfile(BaseModel):
    """The buyer's company as a caller knows it before the call (no budget, tools or politics)."""

    segment: str | None = None
    size: str | None = None
    region: str | None = None


class PersonaCard(BaseModel):
    """A persona as a salesperson sees it: who they are calling, nothing the persona hides.

    No objections, hidden facts, reveal conditions, end conditions, goals, pains, traits or
    speaking style: discovering those is the exercise. Managers and admins get `PersonaOut`.
    """

    id: uuid.UUID
    name: str
    role: str
    seniority: str | None
    company_profile: CallerProfile
    difficulty: Difficulty
    locale: str
    status: Literal["active", "archived"]
    generator: str
    offline: bool
    created_at: datetime
    updated_at: datetime


class PersonaOut(BaseModel):
    """A stored persona as managers and admins see it: everything, secrets included."""

    id: uuid.UUID
    name: str
    role: str
    seniority: str | None
    company_profile: dict[str, Any]
    traits: list[str]
    goals: list[str]
    pains: list[str]
    objections: list[dict[str, Any]]
    hidden_facts: list[dict[str, Any]]
    difficulty: Difficulty
    end_conditions: list[str]
    speaking_style: str
    voice_id: str | None
    first_message: str
    locale: str
    status: Literal["active", "archived"]
    generation_id: uuid.UUID | None
    generator: str
    offline: bool
    created_at: datetime
    updated_at: datetime


class GenerationOut(BaseModel):
    """The answer to a generation: the new personas and how they were made."""

    generation_id: uuid.UUID
    generator: Generator
    offline: bool
    model: str | None
    notice: str | None
    count: int
    difficulty: dict[Difficulty, int]
    context: dict[str, int]
    dropped_objections: int
    attempts: int
    archived: int
    personas: list[PersonaOut]


JobStatus = Literal["pending", "running", "done", "failed"]


class GenerationJobOut(BaseModel):
    """A generation job and, once done, its result with the personas it stored.

    What generate and regenerate answer (202) whatever the provider, and what its `status_url`
    answers until it is done or failed. A fast provider (offline) finishes the job before the
    answer, so the 202's body already says done, with the personas in `result`.
    """

    generation_id: uuid.UUID
    kind: Literal["generate", "regenerate"]
    status: JobStatus
    status_url: str
    request: dict[str, Any]
    error: str | None
    error_code: str | None
    error_details: dict[str, Any] | None
    attempts: int
    persona_count: int | None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    result: GenerationOut | None


# --- the internal hook --------------------------------------------------------------------


class GenerationRequested(BaseModel):
    """The body the job's trigger sends to the hook."""

    type: Literal["personas.requested"]
    generation_id: uuid.UUID
    company_id: uuid.UUID


class HookOutcome(BaseModel):
    """What running (or trying to run) a job did, as the hook answers it."""

    generation_id: uuid.UUID
    status: Literal["done", "failed", "skipped"]
    persona_count: int
    error: str | None
