"""The demo's notifications step: the bell, a manager's review, the schedule, and the emails sent.

The scorecard of the demo's practice session already rang the salesperson's bell (a database
trigger). The manager reviews it through the API (a second notification, wanted by email), then
the scheduled pass runs as next Monday's schedule would (the weekly digest of this week for the
manager) and sends the queued emails over real SMTP to the local SMTP server; the step shows what
`dojo mail` prints. A second run of the demo sends nothing twice (the keys of the notifications).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from rich.console import Console
from rich.table import Table

from dojo_local import runtime
from dojo_local.mailbox import MailServer, messages
from dojo_local.server import free_port

REVIEW_NOTE = "Boa descoberta! Na próxima, proponha a demonstração com data e hora."


def _next_monday_noon() -> dt.datetime:
    today = dt.datetime.now(dt.UTC).date()
    monday = today + dt.timedelta(days=7 - today.weekday())
    return dt.datetime.combine(monday, dt.time(12), dt.UTC)


def _review(client: Any, manager: str, grading: dict[str, Any]) -> bool:
    """The manager reviews the demo's scorecard (a graded one only), with a note."""
    card = grading.get("scorecard") or {}
    if card.get("status") != "graded":
        return False
    closing = next(c for c in card["categories"] if c["key"] == "closing")
    body = {"scores": {"closing": min(100, round(closing["score"]) + 5)}, "note": REVIEW_NOTE}
    client.call("PATCH", f"/api/v1/feedback/sessions/{card['session_id']}", manager, json=body)
    return True


def run(
    client: Any, env: runtime.LocalEnv, manager: str, salesperson: str, grading: dict[str, Any]
) -> dict[str, Any]:
    """Run the step; the bells of both people, the pass's summary and the emails it sent."""
    from dojo.settings import get_settings
    from dojo_local.schedule import load

    port = free_port()
    server = MailServer(env.base, port=port).start()
    os.environ.update(
        {"DOJO_EMAIL_PROVIDER": "smtp", "DOJO_SMTP_HOST": "127.0.0.1", "DOJO_SMTP_PORT": str(port)}
    )
    get_settings.cache_clear()
    before = len(messages(env.base))
    try:
        reviewed = _review(client, manager, grading)
        summary = load("onboarding.sweeper:notifications")(_next_monday_noon())
    finally:
        server.stop()
    sent = [
        {"to": m["to"], "subject": m["subject"], "text": m["text"]}
        for m in messages(env.base)[before:]
    ]
    return {
        "reviewed": reviewed,
        "bells": {
            who: client.call("GET", "/api/v1/notifications", who) for who in (salesperson, manager)
        },
        "pass": summary,
        "emails": sent,
        "mailbox": str(env.base / "mail" / "messages.jsonl"),
    }


def print_summary(console: Console, step: dict[str, Any]) -> None:
    """The bells and the emails of the step."""
    if not step:
        return
    table = Table(title="Notifications (the bell of each person, newest first)")
    for column in ("to", "unread", "kind", "title", "body", "link"):
        table.add_column(column)
    for who, bell in step["bells"].items():
        for item in bell["items"]:
            table.add_row(
                who, str(bell["unread"]), item["kind"], item["title"], item["body"], item["link"]
            )
    console.print(table)
    pass_ = step["pass"]
    console.print(
        f"Scheduled pass: {pass_.get('reminders', 0)} reminders, {pass_['digests']} digests,"
        f" {pass_.get('emails_sent', 0)} emails sent over SMTP (`dojo mail` prints them)"
    )
    for email in step["emails"]:
        console.print(f"  ✉ {email['to']}: {email['subject']}")
