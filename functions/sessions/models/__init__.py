"""All of the sessions function's request and response models (the OpenAPI schema the web app is
typed from), one module per surface: sessions, assignments, certifications."""

from __future__ import annotations

from sessions.models.assignments import (
    Assignee,
    AssigneeStatus,
    Assignment,
    AssignmentIn,
    AssignmentList,
    AssignmentPatch,
    AssignmentPersona,
)
from sessions.models.certifications import (
    Certification,
    CertificationAssignment,
    CertificationIn,
    CertificationList,
    CertificationPatch,
    Holder,
    Proof,
)
from sessions.models.sessions import (
    CallJoin,
    Member,
    MessageIn,
    PersonaSummary,
    SessionDetail,
    SessionEnded,
    SessionList,
    SessionListItem,
    SessionSummary,
    Started,
    StartIn,
    Status,
    TurnOut,
    TurnResult,
)

__all__ = [
    "Assignee",
    "AssigneeStatus",
    "Assignment",
    "AssignmentIn",
    "AssignmentList",
    "AssignmentPatch",
    "AssignmentPersona",
    "CallJoin",
    "Certification",
    "CertificationAssignment",
    "CertificationIn",
    "CertificationList",
    "CertificationPatch",
    "Holder",
    "Member",
    "MessageIn",
    "PersonaSummary",
    "Proof",
    "SessionDetail",
    "SessionEnded",
    "SessionList",
    "SessionListItem",
    "SessionSummary",
    "StartIn",
    "Started",
    "Status",
    "TurnOut",
    "TurnResult",
]
