"""Sending one email through the configured provider: SMTP or Amazon SES's API.

- `smtp` (stdlib smtplib): any SMTP relay, Amazon SES's SMTP interface included (host, port,
  user, password, STARTTLS from the settings); locally `dojo dev` runs a real SMTP server on
  loopback that keeps every message in the data directory (`dojo mail` prints them).
- `ses` (boto3 `sesv2.send_email`): the function's IAM role, no password at all.

A provider either returns the message id it was given or raises `EmailRefused`, saying whether
trying again later may succeed (`transient`). Nothing here logs an address's password or a body.
"""

from __future__ import annotations

import smtplib
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr
from typing import Any, Protocol

from dojo.providers.registry import Capability
from dojo.settings import get_settings


@dataclass(frozen=True)
class Email:
    """One message to one person: a subject, a plain-text body and a simple HTML body."""

    to: str
    subject: str
    text: str
    html: str
    # stable per outbox row: lets a receiving system see a resend is the same message
    reference: str = ""


class EmailRefused(Exception):
    """The provider did not accept the message; `transient` when a later try may succeed."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


class EmailSender(Protocol):
    """What sends an email: returns the provider's message id, or raises EmailRefused."""

    def send(self, email: Email) -> str:
        """Send `email` once."""


def build_message(email: Email, sender: str) -> EmailMessage:
    """The MIME message: plain text with an HTML alternative, UTF-8 throughout."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email.to
    message["Subject"] = email.subject
    domain = parseaddr(sender)[1].rpartition("@")[2] or "dojo.local"
    message["Message-ID"] = make_msgid(domain=domain)
    if email.reference:
        message["X-Dojo-Reference"] = email.reference
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    return message


class SmtpSender:
    """SMTP with smtplib: one connection per message (a pass sends a few; no idle sockets)."""

    def send(self, email: Email) -> str:
        """Send over SMTP; 4xx replies and network failures are transient, 5xx are final."""
        settings = get_settings()
        message = build_message(email, settings.email_from)
        try:
            with smtplib.SMTP(
                settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds
            ) as smtp:
                if settings.smtp_starttls:
                    smtp.starttls()
                if settings.smtp_username:
                    smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
                refused = smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise EmailRefused(
                f"the SMTP server refused the recipient ({codes[0] if codes else '?'})",
                transient=all(400 <= c < 500 for c in codes),
            ) from None
        except smtplib.SMTPResponseException as exc:
            raise EmailRefused(
                f"the SMTP server answered {exc.smtp_code}", transient=exc.smtp_code < 500
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise EmailRefused(
                f"the SMTP server could not be reached ({type(exc).__name__})", transient=True
            ) from None
        if refused:  # one recipient per message: a partial refusal is the whole refusal
            raise EmailRefused("the SMTP server refused the recipient", transient=False)
        return str(message["Message-ID"])


# SES answers these when it is busy or limiting the account: worth trying again later.
_SES_TRANSIENT = {"TooManyRequestsException", "LimitExceededException", "InternalFailure"}


class SesSender:
    """Amazon SES's v2 API (`send_email`, simple content), through the function's IAM role."""

    def __init__(self) -> None:
        self._clients: dict[str, Any] = {}  # boto3 clients per region, built on first use
        self._lock = threading.Lock()

    def _client(self) -> Any:
        import boto3  # loads with the first SES send, not at cold start
        from botocore.config import Config

        settings = get_settings()
        region = settings.ses_region
        with self._lock:
            if region not in self._clients:
                config = Config(
                    retries={"max_attempts": 3, "mode": "standard"},
                    connect_timeout=5,
                    read_timeout=settings.smtp_timeout_seconds,
                )
                self._clients[region] = boto3.client(
                    "sesv2", region_name=region or None, config=config
                )
            return self._clients[region]

    def send(self, email: Email) -> str:
        """Send through SES; throttling and 5xx are transient, rejections are final."""
        from botocore.exceptions import BotoCoreError, ClientError

        settings = get_settings()
        utf8 = "UTF-8"
        request: dict[str, Any] = {
            "FromEmailAddress": settings.email_from,
            "Destination": {"ToAddresses": [email.to]},
            "Content": {
                "Simple": {
                    "Subject": {"Data": email.subject, "Charset": utf8},
                    "Body": {
                        "Text": {"Data": email.text, "Charset": utf8},
                        "Html": {"Data": email.html, "Charset": utf8},
                    },
                }
            },
        }
        if settings.ses_configuration_set:
            request["ConfigurationSetName"] = settings.ses_configuration_set
        try:
            answer = self._client().send_email(**request)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400))
            raise EmailRefused(
                f"Amazon SES refused the message ({code or status})",
                transient=code in _SES_TRANSIENT or status >= 500,
            ) from None
        except BotoCoreError as exc:
            raise EmailRefused(
                f"Amazon SES could not be reached ({type(exc).__name__})", transient=True
            ) from None
        return str(answer["MessageId"])


EMAIL: Capability[EmailSender] = Capability("email", kind="email")
EMAIL.register("smtp", SmtpSender)
EMAIL.register("ses", SesSender)


def send(email: Email) -> str:
    """Send `email` with the configured provider (DOJO_EMAIL_PROVIDER); see EmailRefused."""
    return EMAIL.get().send(email)
