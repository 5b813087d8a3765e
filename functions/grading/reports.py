"""The PDF reports' data, ready to be laid out: a session's scorecard, and the team's period.

Each report is built from the same data as its screen, so the PDF and the screen never disagree:
the session report from the scorecard the JSON route answers (`grading.views.session_feedback`)
plus the header (company, salesperson, persona) and the transcript for the appendix; the team
report from the manager's analytics (`grading.analytics.dashboard`). Reads run in the caller's
tenant transaction: a session the caller may not see is a 404, exactly as for the scorecard. The
layout (fpdf2) is imported on first use.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dojo.db import Connection, tenant_transaction
from dojo.errors import Conflict, NotFound
from grading import analytics, views
from grading.messages import caller_locale, text
from grading.models import GradedFeedback, InsufficientFeedback, PendingFeedback
from grading.models.analytics import Analytics, AnalyticsQuery, Period
from grading.store import reports as store


@dataclass(frozen=True)
class Turn:
    """One turn of the transcript as the appendix prints it."""

    speaker: str  # "salesperson" or "persona"
    text: str
    start: float | None


@dataclass(frozen=True)
class SessionReport:
    """Everything the session scorecard PDF shows."""

    locale: str
    company: str
    salesperson: str
    persona: str | None
    persona_role: str | None
    mode: str
    ended_at: datetime | None
    duration_seconds: float | None
    card: GradedFeedback | InsufficientFeedback
    transcript: list[Turn]


@dataclass(frozen=True)
class TeamReport:
    """Everything the team report PDF shows: the analytics screen's data for a period."""

    locale: str
    company: str
    analytics: Analytics


def _turns(stored: list[dict[str, Any]] | None) -> list[Turn]:
    return [
        Turn(
            speaker=str(t.get("speaker", "")),
            text=str(t.get("text", "")),
            start=float(t["start"]) if isinstance(t.get("start"), int | float) else None,
        )
        for t in stored or []
    ]


def session_report(conn: Connection, session_id: uuid.UUID) -> SessionReport:
    """The report of a session the caller may see (404 otherwise, 409 while not graded)."""
    header = store.session_header(conn, session_id)
    if header is None:
        raise NotFound(text("session_not_found", caller_locale(conn)))
    card = views.session_feedback(conn, session_id).root
    if isinstance(card, PendingFeedback):
        raise Conflict(card.message, code=f"grading_{card.status}")
    duration = header["duration_seconds"] or card.metrics.duration_seconds
    return SessionReport(
        locale=header["locale"],
        company=header["company_name"],
        salesperson=header["full_name"] or header["email"] or "—",
        persona=header["persona_name"],
        persona_role=header["persona_role"],
        mode=header["mode"],
        ended_at=header["ended_at"],
        duration_seconds=None if duration is None else float(duration),
        card=card,
        transcript=_turns(header["transcript"]),
    )


def slug(value: str) -> str:
    """An ASCII file-name piece from a person's name (accents folded, the rest dashes)."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:60] or "report"


def session_pdf(claims: Mapping[str, Any], session_id: uuid.UUID) -> tuple[bytes, str]:
    """The session scorecard as PDF bytes, and a file name for it. The data is read in the
    caller's tenant transaction; the layout (CPU only) runs after it, with no connection held."""
    from grading.pdf import session as layout  # fpdf2: paid on the first report only

    with tenant_transaction(claims) as conn:
        report = session_report(conn, session_id)
    day = report.ended_at.date().isoformat() if report.ended_at else "session"
    return layout.render(report), f"scorecard-{day}-{slug(report.salesperson)}.pdf"


def team_report(conn: Connection, company_id: uuid.UUID, period: Period) -> TeamReport:
    """The team's report for a period (the caller is a manager of the company)."""
    header = store.company_header(conn, company_id)
    assert header is not None  # a manager is a present member: their company is theirs to see
    data = analytics.dashboard(conn, company_id, AnalyticsQuery(period=period))
    return TeamReport(locale=header["locale"], company=header["company_name"], analytics=data)


def team_pdf(claims: Mapping[str, Any], company_id: uuid.UUID, period: Period) -> tuple[bytes, str]:
    """The team report as PDF bytes, and a file name for it (read, then laid out with no
    connection held, as `session_pdf`)."""
    from grading.pdf import team as layout  # fpdf2: paid on the first report only

    with tenant_transaction(claims) as conn:
        report = team_report(conn, company_id, period)
    day = report.analytics.period.end.date().isoformat()
    return layout.render(report), f"team-report-{period}-{day}.pdf"
