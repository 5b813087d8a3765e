"""The local stand-in for Supabase Auth's invite email: nothing is sent.

The invite's answer then carries the accept link, for the inviter to pass on (`dojo dev` has no
mailer); the invitee signs up locally with the invited address and opens it.
"""

from __future__ import annotations


class LocalInvites:
    """No email locally: the inviter receives the accept link and passes it on."""

    link_for_inviter = True

    def send(self, email: str, accept_url: str, full_name: str | None) -> None:
        """Nothing to send."""
