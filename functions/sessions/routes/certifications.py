"""The `/api/v1/certifications` routes: managers define them; everyone sees where they stand."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Response

from dojo.auth import CurrentUser, Manager
from dojo.db import TenantDB
from dojo.errors import Forbidden
from dojo.http import CredentialsFirst
from sessions import certification
from sessions.models import Certification, CertificationIn, CertificationList, CertificationPatch

router = APIRouter(
    prefix="/api/v1/certifications", tags=["certifications"], route_class=CredentialsFirst
)


@router.post("", status_code=201)
def create_certification(
    principal: Manager, conn: TenantDB, body: CertificationIn
) -> Certification:
    """A named set of assignments; passing all of them certifies (until `validity_days` pass)."""
    return certification.create(conn, principal, body)


@router.get("")
def list_certifications(
    principal: CurrentUser, conn: TenantDB, scope: Literal["mine", "team"] = "mine"
) -> CertificationList:
    """The company's certifications with my status; `team` (managers) with every holder."""
    if scope == "team" and not principal.at_least("manager"):
        raise Forbidden("the team view needs the manager role")
    return certification.listing(conn, principal, scope)


@router.get("/{certification_id}")
def get_certification(
    principal: CurrentUser, conn: TenantDB, certification_id: uuid.UUID
) -> Certification:
    """One certification (managers see its holders)."""
    return certification.view(conn, principal, certification_id)


@router.patch("/{certification_id}")
def change_certification(
    principal: Manager, conn: TenantDB, certification_id: uuid.UUID, body: CertificationPatch
) -> Certification:
    """Rename it, change its validity or its assignments; holders are decided again."""
    return certification.change(conn, principal, certification_id, body)


@router.delete("/{certification_id}", status_code=204)
def delete_certification(_: Manager, conn: TenantDB, certification_id: uuid.UUID) -> Response:
    """Delete a certification and who holds it."""
    certification.remove(conn, certification_id)
    return Response(status_code=204)
