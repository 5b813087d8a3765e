"""The local SMTP server: a real SMTP server (aiosmtpd) on loopback that keeps every message.

`dojo dev`, the demo and the tests run it; the smtp email provider is pointed at it, so email goes
out over the same protocol as in production. Each message received is appended as one JSON line
to `<data dir>/mail/messages.jsonl` (`to`, `from`, `subject`, `text`, `html`, `message_id`,
`received_at`); `dojo mail` prints them.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

MAILBOX = "mail/messages.jsonl"


def mailbox_path(base: Path) -> Path:
    """Where the messages of the data directory `base` are kept."""
    return base / MAILBOX


def _part(message: EmailMessage, subtype: str) -> str:
    body = message.get_body(preferencelist=(subtype,))
    # SMTP carries CRLF line ends; people read (and tests compare) plain newlines
    return str(body.get_content()).replace("\r\n", "\n") if body is not None else ""


def parse(raw: bytes, recipients: list[str]) -> dict[str, Any]:
    """The JSON record of one received message."""
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return {
        "to": recipients[0] if len(recipients) == 1 else recipients,
        "from": str(message.get("From", "")),
        "subject": str(message.get("Subject", "")),
        "text": _part(message, "plain"),
        "html": _part(message, "html"),
        "message_id": str(message.get("Message-ID", "")),
        "reference": str(message.get("X-Dojo-Reference", "")),
        "received_at": dt.datetime.now(dt.UTC).isoformat(),
    }


class _Keeper:
    """aiosmtpd handler: accept every message for any recipient and append it to the mailbox."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        record = parse(bytes(envelope.original_content or envelope.content), envelope.rcpt_tos)
        with self.lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as out:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 Message accepted for delivery"


class MailServer:
    """The SMTP server on `host:port` in a background thread, keeping messages under `base`."""

    def __init__(self, base: Path, host: str = "127.0.0.1", port: int = 2525) -> None:
        from aiosmtpd.controller import Controller

        self.path = mailbox_path(base)
        self.host = host
        self.port = port
        self._controller = Controller(_Keeper(self.path), hostname=host, port=port)

    def start(self) -> MailServer:
        """Start listening (returns once the server accepts connections)."""
        self._controller.start()
        return self

    def stop(self) -> None:
        """Stop listening."""
        self._controller.stop()


def messages(base: Path) -> list[dict[str, Any]]:
    """Every message kept in the data directory `base`, oldest first."""
    path = mailbox_path(base)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
