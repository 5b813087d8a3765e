"""Getting an invitation to the invitee: Supabase Auth's invite email in production.

Onboarding declares what it needs (`AUTH_ADMIN`: send someone the link that accepts an
invitation) and ships the Supabase implementation; the local runtime registers its own
(`dojo_local.offline.invites`: no email, the link goes back to the inviter to pass on).

Supabase: `POST /auth/v1/invite` creates the auth user and emails the invite link; the link signs
them in and lands on `redirect_to`, our accept page carrying the invitation token. A person who
already has a confirmed account cannot be invited by Supabase (422 `email_exists`): they get a
magic link to the same page instead (`POST /auth/v1/otp`, `create_user: false`). Either way the
inviter hears the same thing, so an invite never tells whether the email is already known.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from dojo.errors import ServiceUnavailable, UpstreamError
from dojo.providers.registry import Capability
from dojo.settings import get_settings

if TYPE_CHECKING:  # httpx loads with the first invitation, not at cold start
    import httpx


class InviteSender(Protocol):
    """What gets an invitation's accept link to the invitee."""

    @property
    def link_for_inviter(self) -> bool:
        """True when nothing is sent and the inviter must pass the link on (local only)."""

    def send(self, email: str, accept_url: str, full_name: str | None) -> None:
        """Send `email` the link to `accept_url`; raises UpstreamError/ServiceUnavailable."""


# Supabase Auth's answers when the email already has a confirmed account.
_ALREADY_REGISTERED = ("email_exists", "user_already_exists")


@lru_cache(maxsize=2)
def _http(base_url: str) -> httpx.Client:
    import httpx

    return httpx.Client(base_url=f"{base_url.rstrip('/')}/auth/v1/", timeout=10.0)


class SupabaseInvites:
    """Supabase Auth's invite email (new people) or magic link (existing accounts)."""

    link_for_inviter = False

    def send(self, email: str, accept_url: str, full_name: str | None) -> None:
        """Invite through Supabase Auth; the email lands the invitee on `accept_url`."""
        settings = get_settings()
        key = settings.supabase_service_key.get_secret_value()
        if not settings.supabase_url or not key or not settings.invite_redirect_url:
            raise ServiceUnavailable(
                "inviting is not configured (DOJO_SUPABASE_URL, DOJO_SUPABASE_SERVICE_KEY,"
                " DOJO_INVITE_REDIRECT_URL)"
            )
        headers = {"apikey": key, "authorization": f"Bearer {key}"}
        params = {"redirect_to": accept_url}
        invite: dict[str, object] = {"email": email, "data": {"full_name": full_name or ""}}
        response = self._post("invite", invite, params, headers)
        if response.status_code == 422 and _already_registered(response):
            magic_link: dict[str, object] = {"email": email, "create_user": False}
            response = self._post("otp", magic_link, params, headers)
        if response.status_code >= 400:
            raise UpstreamError(
                f"Supabase Auth refused the invitation ({response.status_code})",
                details={"reason": "invite_failed"},
            )

    @staticmethod
    def _post(
        path: str, body: dict[str, object], params: dict[str, str], headers: dict[str, str]
    ) -> httpx.Response:
        import httpx

        try:
            return _http(get_settings().supabase_url).post(
                path, json=body, params=params, headers=headers
            )
        except httpx.HTTPError as exc:
            raise UpstreamError("Supabase Auth is unavailable; try again shortly") from exc


def _already_registered(response: httpx.Response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    if not isinstance(body, dict):
        return False
    code = str(body.get("error_code") or "")
    message = str(body.get("msg") or body.get("message") or "").lower()
    return code in _ALREADY_REGISTERED or "already been registered" in message


AUTH_ADMIN: Capability[InviteSender] = Capability("onboarding.invites", kind="auth_admin")
AUTH_ADMIN.register("supabase", SupabaseInvites)
