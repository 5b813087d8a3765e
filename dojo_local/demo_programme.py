"""The demo's programme step, through the API: the manager assigns the persona the salesperson
just practised, the salesperson makes an attempt at it (graded by the grading hook), a
certification over that assignment follows from the pass, and the leaderboard is switched on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from rich.console import Console

from dojo_local import dispatcher

if TYPE_CHECKING:
    from dojo_local.demo import DemoClient

PASS_MARK = 70  # Replay's default pass mark


def demo_programme(
    client: DemoClient, manager: str, salesperson: str, practice: dict[str, Any]
) -> dict[str, Any]:
    """Assign, attempt, certify, rank; returns what each step answered."""
    from dojo_local.demo import _demo_session

    persona = practice.get("persona")
    if not persona:
        return {"skipped": "no persona to assign"}
    members = client.call("GET", "/api/v1/auth/members", manager)
    seller_id = next(m["id"] for m in members if m["email"] == salesperson)
    assignment = client.call(
        "POST",
        "/api/v1/assignments",
        manager,
        json={
            "title": "Objeções de preço",
            "persona_id": persona["id"],
            "mode": "text",
            "assignee_ids": [seller_id],
            "due_at": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
            "pass_mark": PASS_MARK,
            "max_attempts": 3,
        },
    )
    _demo_session(client, salesperson, {"personas": [persona]}, assignment_id=assignment["id"])
    dispatcher.drain(client.env.database_url)
    mine = client.call("GET", f"/api/v1/assignments/{assignment['id']}", salesperson)
    certification = client.call(
        "POST",
        "/api/v1/certifications",
        manager,
        json={
            "name": "Objeções de preço — nível 1",
            "assignment_ids": [assignment["id"]],
            "validity_days": 180,
        },
    )
    client.call(
        "PATCH", "/api/v1/auth/company/settings", manager, json={"leaderboard_enabled": True}
    )
    board = client.call(
        "GET", "/api/v1/feedback/leaderboard", salesperson, params={"min_sessions": 1}
    )
    return {
        "assignment": mine,
        "certification": client.call(
            "GET", f"/api/v1/certifications/{certification['id']}", salesperson
        ),
        "leaderboard": board,
    }


def print_programme(console: Console, programme: dict[str, Any]) -> None:
    """The programme step in a few lines."""
    if not programme or programme.get("skipped"):
        return
    task = programme["assignment"]
    console.print(
        f"Assignment [bold]{task['title']}[/]: {task['status']} after {task['attempts']}"
        f" attempt(s), best {task['score']} (pass mark {task['pass_mark']:.0f})"
    )
    cert = programme["certification"]
    console.print(f"Certification [bold]{cert['name']}[/]: {cert['status']}")
    ranked = ", ".join(
        f"{e['rank'] or '-'}. {e['name']} ({e['score'] if e['score'] is not None else '-'})"
        for e in programme["leaderboard"]["entries"]
    )
    console.print(f"Leaderboard (this week): {ranked}")
