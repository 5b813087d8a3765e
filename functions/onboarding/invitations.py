"""Invitations: a manager invites, the invitee decides.

Inviting creates (or refreshes) a pending invitation and sends its link; nobody joins a company
without accepting. The answer to the inviter is the same whether the email is unknown, belongs to
someone without a company or to someone in another company, so an invite reveals nothing about
other companies. Only the invitee learns why an acceptance fails (e.g. they already belong to a
company). The link's token is random, stored only as its SHA-256, and opens the invitation only
for the signed-in person whose confirmed email is the invited one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from dojo.auth import Principal
from dojo.db import service_transaction, tenant_transaction
from dojo.errors import AppError, Conflict, Forbidden, NotFound
from dojo.settings import get_settings
from onboarding.auth_admin import AUTH_ADMIN
from onboarding.models import AcceptedOut, CompanyOut, InvitationOut, InviteIn
from onboarding.store import company as store

INVITATION_DAYS = 7
# The web app's page that accepts an invitation (locally on the gateway's origin).
LOCAL_ACCEPT_PATH = "/invitations/accept/"


def token_hash(token: str) -> str:
    """What the table keeps of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def accept_url(token: str) -> str:
    """The link the invitee opens: the configured invitation page with `?token=`."""
    settings = get_settings()
    base = settings.invite_redirect_url or settings.public_url.rstrip("/") + LOCAL_ACCEPT_PATH
    parts = urlsplit(base)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "token"] + [("token", token)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _out(row: dict[str, object], link: str | None = None) -> InvitationOut:
    out = InvitationOut.model_validate(row)
    out.expired = out.expires_at <= dt.datetime.now(dt.UTC)
    out.accept_url = link
    return out


def invite(principal: Principal, body: InviteIn) -> InvitationOut:
    """Invite `body.email` into the caller's company (a pending invitation, its link sent).

    The link is sent before the invitation is stored, outside any transaction: a failure to send
    stores nothing.
    """
    assert principal.company_id is not None
    if body.role == "admin" and not principal.at_least("admin"):
        raise Forbidden("only an admin can invite another admin")
    email = str(body.email).strip().lower()
    with tenant_transaction(principal.claims) as conn:
        if store.is_member_email(conn, email):
            raise Conflict("this person is already a member", code="already_a_member")
    token = secrets.token_urlsafe(32)
    link = accept_url(token)
    sender = AUTH_ADMIN.get()
    sender.send(email, link, body.full_name)
    expires_at = dt.datetime.now(dt.UTC) + dt.timedelta(days=INVITATION_DAYS)
    with tenant_transaction(principal.claims) as conn:
        row = store.upsert_invitation(
            conn,
            principal.company_id,
            email,
            body.role,
            body.full_name,
            token_hash(token),
            principal.user_id,
            expires_at,
        )
    return _out(row, link if sender.link_for_inviter else None)


def pending(principal: Principal) -> list[InvitationOut]:
    """The caller's company's invitations not yet accepted (expired ones say so)."""
    with tenant_transaction(principal.claims) as conn:
        return [_out(row) for row in store.list_invitations(conn)]


def revoke(principal: Principal, invitation_id: uuid.UUID) -> None:
    """Delete a pending invitation of the caller's company: its link stops working."""
    with tenant_transaction(principal.claims) as conn:
        if not store.delete_invitation(conn, invitation_id):
            raise NotFound("invitation not found", code="invitation_not_found")


def accept(principal: Principal, token: str) -> AcceptedOut:
    """The signed-in invitee joins the company with the invited role.

    Runs as the service role (the invitee cannot see the company yet), scoped to the one
    invitation the token opens, which stays locked until the membership is written.
    """
    with service_transaction() as conn:
        invitation = store.invitation_by_token(conn, token_hash(token))
        if invitation is None:
            raise NotFound(
                "this invitation does not exist or was revoked; ask for a new one",
                code="invitation_not_found",
            )
        if invitation["expires_at"] <= dt.datetime.now(dt.UTC):
            raise AppError(
                "this invitation expired; ask for a new one",
                code="invitation_expired",
                status_code=410,
            )
        if store.confirmed_email(conn, principal.user_id) != invitation["email"]:
            raise Forbidden(
                "this invitation was sent to another email address: sign in with that address",
                code="invitation_email_mismatch",
            )
        current = store.membership(conn, principal.user_id)
        if current is None:
            signed_up_as = (principal.claims.get("user_metadata") or {}).get("full_name")
            full_name = invitation["full_name"] or (str(signed_up_as or "").strip()[:200] or None)
            joined_now = store.add_member(
                conn,
                principal.user_id,
                invitation["company_id"],
                invitation["role"],
                invitation["email"],
                full_name,
            )
            role = invitation["role"]
        else:
            # already in this company (a second click): nothing changes, the role included
            joined_now = current["company_id"] == invitation["company_id"]
            role = current["role"]
        if not joined_now:
            raise Conflict(
                "you already belong to a company; leave it before joining another one",
                code="already_in_a_company",
            )
        store.delete_invitation(conn, invitation["id"])
        joined = store.get_company(conn, invitation["company_id"])
    assert joined is not None
    return AcceptedOut(
        company=CompanyOut.model_validate(joined),
        role=role,
        refresh_required=True,
        message="invitation accepted: refresh the session so the token carries the company",
    )
