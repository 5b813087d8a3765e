"""Onboarding's request and response models."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, EmailStr, Field, StringConstraints

from dojo.auth import RoleName

# A name is trimmed and must keep at least one character ("   " is refused, 422).
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


def _blank_is_none(value: str | None) -> str | None:
    return value or None


# An optional name: trimmed; blank means none.
OptionalName = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None,
    AfterValidator(_blank_is_none),
]
Locale = Literal["pt-BR", "en-US"]


# --- companies and members ----------------------------------------------------------------------


class CompanyIn(BaseModel):
    """A new company."""

    name: Name
    locale: Locale = "pt-BR"
    full_name: OptionalName = None


class CompanyOut(BaseModel):
    """A company as its members see it."""

    id: uuid.UUID
    name: str
    locale: Locale


class RoleChangeIn(BaseModel):
    """A new role for a member."""

    role: RoleName


# --- invitations --------------------------------------------------------------------------------


class InviteIn(BaseModel):
    """An invitation to join the caller's company."""

    email: EmailStr = Field(max_length=320)
    role: RoleName = "salesperson"
    full_name: OptionalName = None


class InvitationOut(BaseModel):
    """A pending invitation. The answer to an invite has this shape whoever the email is."""

    id: uuid.UUID
    email: str
    role: RoleName
    full_name: str | None
    invited_by: uuid.UUID | None
    created_at: dt.datetime
    expires_at: dt.datetime
    expired: bool = False
    accept_url: str | None = Field(
        default=None,
        description="local only: the link to pass on (in production Supabase emails it)",
    )


class AcceptIn(BaseModel):
    """The token of the invitation link."""

    token: str = Field(min_length=16, max_length=200)


class AcceptedOut(BaseModel):
    """The company the invitee joined."""

    company: CompanyOut
    role: RoleName
    refresh_required: bool
    message: str
