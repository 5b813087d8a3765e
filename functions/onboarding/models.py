"""Every request and response model of onboarding (and the records its routes pass along)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StrictBool,
    StringConstraints,
)

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


# How long call recordings are kept: a day to ten years (the sweeper deletes older ones).
RetentionDays = Annotated[int, Field(ge=1, le=3650)]


class CompanySettings(BaseModel):
    """The company's switches every member may read (managers change them)."""

    leaderboard_enabled: bool = Field(
        default=False, description="the leaderboard is shown to the team (off by default)"
    )
    recording_retention_days: int | None = Field(
        default=None,
        description="days call recordings are kept (null: the product's default, 90)",
    )


class CompanySettingsIn(BaseModel):
    """A manager's change to the company's switches (what is left out stays); strict, so 0 is
    not a boolean and "30" not a number of days."""

    model_config = ConfigDict(extra="forbid", strict=True)

    leaderboard_enabled: StrictBool | None = None
    recording_retention_days: RetentionDays | None = None


class CompanyCreatedOut(BaseModel):
    """The company just created; the caller is its admin once their token is refreshed."""

    company: CompanyOut
    role: RoleName
    refresh_required: bool
    message: str


class MeOut(BaseModel):
    """The caller: user, company and role (company and role are null before joining one)."""

    user_id: uuid.UUID
    email: str | None
    full_name: str | None
    company: CompanyOut | None
    role: RoleName | None


class MemberOut(BaseModel):
    """A member of the caller's company."""

    id: uuid.UUID
    email: str | None
    full_name: str | None
    role: RoleName
    created_at: dt.datetime


class RoleChangeIn(BaseModel):
    """A new role for a member."""

    role: RoleName


class UsageMonth(BaseModel):
    """One month's use of one kind of outside service."""

    month: str  # YYYY-MM, UTC
    kind: Literal["llm", "embeddings", "vapi"]
    calls: int
    input_tokens: int
    output_tokens: int
    inputs: int
    seconds: float
    cost_usd: float  # sum of the calls whose cost is known
    unpriced_calls: int  # calls of a model without a known price (not in cost_usd)


class UsageReport(BaseModel):
    """Usage since `since`, newest month first, with the total known cost."""

    since: str
    currency: Literal["USD"] = "USD"
    total_cost_usd: float
    months: list[UsageMonth]


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


# --- documents ----------------------------------------------------------------------------------

DocumentStatus = Literal["pending", "processing", "ready", "failed"]


class DocumentOut(BaseModel):
    """A document as the manager sees it."""

    id: uuid.UUID
    filename: str
    mime: str | None
    bytes: int | None
    sha256: str | None
    status: DocumentStatus
    error: str | None = Field(description="why it failed, in the company's language")
    error_code: str | None = Field(
        description="a stable reason code (empty_file, encrypted_pdf, scanned_pdf, ...)"
    )
    retryable: bool
    pages: int | None
    chunk_count: int
    embeddings_created: int
    progress: float
    attempts: int
    uploaded_by: uuid.UUID | None
    created_at: dt.datetime
    updated_at: dt.datetime
    processed_at: dt.datetime | None


class UploadedOut(BaseModel):
    """One accepted file."""

    id: uuid.UUID
    filename: str
    bytes: int
    status: DocumentStatus


class UploadOut(BaseModel):
    """The answer to an upload: the documents being processed."""

    documents: list[UploadedOut]
    message: str


class UploadUrlIn(BaseModel):
    """A large file the client will upload itself."""

    filename: str = Field(min_length=1, max_length=255)
    bytes: int = Field(ge=1)
    content_type: str = Field(default="application/octet-stream", max_length=200)


class UploadUrlOut(BaseModel):
    """Where to PUT the file (once, at most `bytes`); processing starts when it lands."""

    document_id: uuid.UUID
    url: str
    method: str
    token: str
    path: str
    expires_in: int
    max_bytes: int


class StatusOut(BaseModel):
    """What onboarding produced for the company: documents per status, chunks, embeddings."""

    documents: int
    by_status: dict[DocumentStatus, int]
    chunks: int
    embeddings_created: int
    bytes: int
    embedding_model: str


class SearchHit(BaseModel):
    """One chunk the knowledge base answers with."""

    chunk_id: int
    document_id: uuid.UUID
    filename: str | None
    chunk_index: int
    page: int | None
    heading: str | None
    content: str
    score: float
    similarity: float | None


# --- the storage trigger's hook -----------------------------------------------------------------


class HookEvent(BaseModel):
    """What the storage trigger sends."""

    type: Literal["document.uploaded"]
    document_id: uuid.UUID
    company_id: uuid.UUID


class HookOut(BaseModel):
    """What processing the uploaded document did."""

    document_id: uuid.UUID
    outcome: Literal["ready", "failed", "retry", "skipped"]
    chunks: int
    embedded: int
    reused: int
    error: str | None
    error_code: str | None


# --- notifications ------------------------------------------------------------------------------

NotificationKind = Literal[
    "scorecard_ready",
    "manager_review",
    "assigned",
    "due_tomorrow",
    "overdue",
    "passed",
    "failed",
    "certified",
    "weekly_digest",
]


class NotificationOut(BaseModel):
    """One notification of the caller, in their company's language."""

    id: uuid.UUID
    kind: NotificationKind
    title: str
    body: str
    link: str = Field(description="where the web app shows what it is about (a path)")
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationList(BaseModel):
    """The caller's notifications, newest first, and how many are unread in all."""

    items: list[NotificationOut]
    unread: int


class MarkedRead(BaseModel):
    """How many notifications were marked read now, and how many stay unread."""

    marked: int
    unread: int


class EmailPreference(BaseModel):
    """Whether notifications of one kind also go by email to the caller."""

    kind: NotificationKind
    email: bool
    default: bool = Field(description="what applies when the person never chose")


class EmailPreferences(BaseModel):
    """The caller's email choice for every kind they can receive."""

    items: list[EmailPreference]


class EmailPreferenceIn(BaseModel):
    """One kind's choice."""

    kind: NotificationKind
    email: StrictBool  # true or false; 0, 1 or "yes" is a 422, not a guess


class EmailPreferencesIn(BaseModel):
    """The choices to change (kinds not listed keep theirs)."""

    items: list[EmailPreferenceIn] = Field(min_length=1, max_length=20)
