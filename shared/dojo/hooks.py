"""Internal hooks: our own database triggers calling a function through pg_net.

They carry the shared secret in `X-Dojo-Hook-Secret` (from Vault in production), compared in
constant time. The route class `dojo.http.CredentialsFirst` checks it before the body is read or
validated: a caller without the secret gets 401 and learns nothing about what the hook expects.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Header, Request

from dojo.errors import Unauthorized
from dojo.settings import get_settings

HEADER = "X-Dojo-Hook-Secret"


def check_hook_secret(given: str | None) -> None:
    """Raise Unauthorized unless `given` is the configured hook secret (never with none set)."""
    expected = get_settings().hook_secret.get_secret_value()
    if not expected:
        raise Unauthorized("no hook secret configured")
    if not given:
        raise Unauthorized("missing hook secret")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise Unauthorized("wrong hook secret")


def hook_request(request: Request) -> None:
    """The check on a whole request (what `CredentialsFirst` runs before the body)."""
    check_hook_secret(request.headers.get(HEADER))


def require_hook_secret(
    x_dojo_hook_secret: Annotated[str | None, Header(alias=HEADER)] = None,
) -> None:
    """FastAPI dependency for hook routes: `dependencies=[Depends(require_hook_secret)]`."""
    check_hook_secret(x_dojo_hook_secret)
