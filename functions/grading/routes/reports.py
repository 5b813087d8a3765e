"""The `/api/v1/feedback` PDF reports: a session's scorecard and the team's report for a period.

Access is the scorecard's: the session's owner and the company's managers see a session's report,
anyone else gets a 404 that never says whether it exists. The team report is for managers.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Response

from dojo.auth import CurrentUser, Manager
from dojo.http import CredentialsFirst
from grading import reports
from grading.models.analytics import Period

router = APIRouter(prefix="/api/v1/feedback", tags=["reports"], route_class=CredentialsFirst)

PDF = "application/pdf"
PDF_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The report as a PDF file",
        "content": {PDF: {"schema": {"type": "string", "format": "binary"}}},
    }
}


def pdf_response(content: bytes, filename: str) -> Response:
    """PDF bytes as a download, the file name given plainly and RFC 5987-encoded."""
    disposition = f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
    return Response(
        content=content,
        media_type=PDF,
        headers={"Content-Disposition": disposition, "Cache-Control": "private, no-store"},
    )


@router.get(
    "/sessions/{session_id}/report.pdf",
    response_class=Response,
    responses=PDF_RESPONSE,
    summary="A session's scorecard as a PDF",
)
def session_report(principal: CurrentUser, session_id: uuid.UUID) -> Response:
    """The scorecard of a session as a PDF: the overall, the categories with justifications and
    evidence, strengths, improvements, recommendations, the metrics drawn against their bands and
    the transcript as an appendix (409 while the session is not graded yet)."""
    content, filename = reports.session_pdf(principal.claims, session_id)
    return pdf_response(content, filename)


@router.get(
    "/team/report.pdf",
    response_class=Response,
    responses=PDF_RESPONSE,
    summary="The team's report for a period as a PDF",
)
def team_report(
    principal: Manager,
    period: Annotated[
        Period, Query(description="the period ending now: 30d, 90d, 365d or all")
    ] = "30d",
) -> Response:
    """The team's report for a period as a PDF (managers and admins), from the analytics screen's
    data: the heatmap of people × categories, trends, activity and metrics, then a page per
    person."""
    assert principal.company_id is not None  # Manager is a present member
    content, filename = reports.team_pdf(principal.claims, principal.company_id, period)
    return pdf_response(content, filename)
