"""Authenticating Vapi's requests (§3): HMAC over the raw body, or a bearer secret.

Headers are checked first (`authenticate_headers`), so a caller without a fresh credential is
refused before any of the body is read; the HMAC is then checked on the (bounded) body read.
Comparisons are constant-time; with no secret configured everything is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from dojo.errors import Unauthorized
from dojo.settings import Settings, get_settings


def _header(headers: Mapping[str, str], name: str) -> str:
    return headers.get(name) or headers.get(name.lower()) or ""


# A plain decimal: epoch seconds or milliseconds, optionally with a fraction. `float()` alone would
# take "nan" (which never compares as stale), "inf", "1e12", "1_754_000_000" or a sign.
_STAMP = re.compile(r"^[0-9]{1,13}(?:\.[0-9]{1,6})?$")


def _moment(stamp: str) -> float:
    """The timestamp header as epoch seconds; Unauthorized unless a plain, finite number."""
    if not _STAMP.fullmatch(stamp):
        raise Unauthorized("invalid signature")
    moment = float(stamp)
    if moment > 1e11:  # milliseconds
        moment /= 1000.0
    if not math.isfinite(moment) or moment <= 0:
        raise Unauthorized("invalid signature")
    return moment


@dataclass(frozen=True)
class HmacClaim:
    """A fresh HMAC signature still to be checked against the body it claims to sign."""

    stamp: str
    signature: str
    secret: str = field(repr=False)

    def verify(self, body: bytes) -> None:
        """Raise Unauthorized unless the signature is the body's (constant-time comparison)."""
        expected = sign(body, self.secret, self.stamp)
        if not hmac.compare_digest(expected.encode(), self.signature.encode()):
            raise Unauthorized("invalid signature")


def authenticate_headers(
    headers: Mapping[str, str], settings: Settings | None = None, now: float | None = None
) -> HmacClaim | None:
    """Everything the headers alone prove, before any of the body is read (fails closed).

    bearer: the configured header carries the secret; nothing is left to check (returns None).
    hmac: signature and timestamp are present and the timestamp is a finite number within the
    freshness window (its unit is not documented, so seconds and milliseconds are both read,
    §3.3); returns the claim to verify against the body. Raises Unauthorized otherwise.
    """
    settings = settings or get_settings()
    secret = settings.vapi_webhook_secret.get_secret_value()
    if not secret:
        raise Unauthorized("webhook authentication is not configured")
    if settings.vapi_auth_mode == "bearer":
        presented = _header(headers, settings.vapi_bearer_header).strip()
        if settings.vapi_bearer_header.lower() == "authorization":
            scheme, _, presented = presented.partition(" ")
            if scheme.lower() != "bearer":
                raise Unauthorized("missing credentials")
        if not presented or not hmac.compare_digest(presented.strip().encode(), secret.encode()):
            raise Unauthorized("invalid credentials")
        return None
    stamp = _header(headers, settings.vapi_hmac_timestamp_header).strip()
    signature = _header(headers, settings.vapi_hmac_signature_header).strip().lower()
    if not stamp or not signature:
        raise Unauthorized("missing signature")
    current = time.time() if now is None else now
    if abs(current - _moment(stamp)) > settings.vapi_hmac_tolerance_seconds:
        raise Unauthorized("stale signature")
    return HmacClaim(stamp=stamp, signature=signature, secret=secret)


def verify_request(
    headers: Mapping[str, str],
    body: bytes,
    settings: Settings | None = None,
    now: float | None = None,
) -> None:
    """Raise Unauthorized unless the request carries our credential (headers, then body).

    hmac: `signature = hex(HMAC-SHA256(secret, "<timestamp>.<raw body>"))` (Vapi's defaults,
    §3.3). bearer: the configured header carries the secret.
    """
    claim = authenticate_headers(headers, settings, now)
    if claim is not None:
        claim.verify(body)


def sign(body: bytes, secret: str, timestamp: str) -> str:
    """The HMAC signature Vapi sends for `body` at `timestamp` (for tests and local tools)."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
