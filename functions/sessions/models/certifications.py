"""What the certifications API accepts and answers.

A certification is a named set of assignments; whoever passed all of them holds it, from the date
the last of those passes was made, until `validity_days` later (when the manager set one). A
holder whose certification expired needs to renew it (pass again, on new assignments).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field

CertificationStatus = Literal["certified", "expired", "not_certified"]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Validity = Annotated[int, Field(ge=1, le=3650)]
Row = Mapping[str, Any]


class CertificationIn(BaseModel):
    """A new certification: a name, its assignments, and how long it stays valid."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    assignment_ids: list[uuid.UUID] = Field(min_length=1, max_length=50)
    validity_days: Validity | None = Field(default=None, description="null: never expires")


class CertificationPatch(BaseModel):
    """A manager's change: a new name, validity, or set of assignments (everyone re-decided)."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    validity_days: Validity | None = None
    no_expiry: bool = Field(default=False, description="true: validity_days becomes null")
    assignment_ids: list[uuid.UUID] | None = Field(default=None, min_length=1, max_length=50)


class Proof(BaseModel):
    """One passed assignment behind a certification: the scorecard (session) and its score."""

    assignment_id: uuid.UUID
    session_id: uuid.UUID | None
    score: float | None


class Holder(BaseModel):
    """Someone who earned the certification; `expired` ones need renewal."""

    user_id: uuid.UUID
    name: str | None = None
    status: Literal["certified", "expired"]
    certified_at: datetime
    expires_at: datetime | None
    evidence: list[Proof]

    @classmethod
    def from_row(cls, row: Row) -> Self:
        """A holder row (`expired` computed by the query against the database's clock)."""
        return cls(
            user_id=row["user_id"],
            name=row.get("full_name"),
            status="expired" if row["expired"] else "certified",
            certified_at=row["certified_at"],
            expires_at=row["expires_at"],
            evidence=[Proof.model_validate(p) for p in row["evidence"]],
        )


class CertificationAssignment(BaseModel):
    """An assignment of a certification, by id and title."""

    id: uuid.UUID
    title: str | None


class Certification(BaseModel):
    """A certification; `status` is the caller's own, `holders` are listed for managers."""

    id: uuid.UUID
    name: str
    validity_days: int | None
    assignments: list[CertificationAssignment]
    created_at: datetime
    status: CertificationStatus
    certified_at: datetime | None = None
    expires_at: datetime | None = None
    evidence: list[Proof] = Field(default_factory=list)
    holders: list[Holder] | None = None


class CertificationList(BaseModel):
    """Certifications of the company, by name."""

    scope: Literal["mine", "team"]
    items: list[Certification]
