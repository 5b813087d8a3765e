"""Internal hooks: our own database triggers calling a function through pg_net.

They carry the shared secret in `X-Dojo-Hook-Secret` (from Vault in production). The check is a
route dependency, so it runs before the body is validated: a caller without the secret gets 401
and learns nothing about what the hook expects. Compared in constant time.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Header

from dojo.errors import Unauthorized
from dojo.settings import get_settings

HEADER = "X-Dojo-Hook-Secret"


def check_hook_secret(given: str | None) -> None:
    """Raise Unauthorized unless `given` is the configured hook secret (never with none set)."""
    expected = get_settings().hook_secret.get_secret_value()
    if not expected or not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Unauthorized("invalid hook secret")


def require_hook_secret(
    x_dojo_hook_secret: Annotated[str | None, Header(alias=HEADER)] = None,
) -> None:
    """FastAPI dependency for hook routes: `dependencies=[Depends(require_hook_secret)]`."""
    check_hook_secret(x_dojo_hook_secret)
