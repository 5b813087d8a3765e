"""The demo's retry step: the salesperson replays one moment of the practice call through the API.

The first concern the persona raised in the demo call is retried: the new session opens with that
line, the salesperson answers it with a fact from the material, ends the call, and the original's
retries list the new attempt with its score (graded like any session).
"""

from __future__ import annotations

from typing import Any, Protocol

from dojo_local import dispatcher


class _Client(Protocol):
    def call(self, method: str, path: str, email: str, **kwargs: Any) -> Any: ...


def demo_retry(
    client: _Client,
    database_url: str,
    salesperson: str,
    practice: dict[str, Any],
    concern_leads: tuple[str, ...],
) -> dict[str, Any]:
    """Retry the practice call's first concern (a persona turn opening with one of
    `concern_leads`, else its last persona turn); the original's retries, with scores."""
    session = practice.get("session") or {}
    turns = [t for t in session.get("transcript") or [] if t["speaker"] == "persona"]
    if not turns:
        return {"skipped": "no practice call to retry"}
    moment = next((t for t in turns if t["text"].startswith(concern_leads)), turns[-1])
    started = client.call(
        "POST",
        "/api/v1/sessions/start",
        salesperson,
        json={"retry_of": session["id"], "from_turn": moment["index"]},
    )
    retry = started["session_id"]
    answer = (
        "Entendo a sua preocupação. Por exemplo, clientes do seu porte reduzem a inadimplência em"
        " 30% com a régua de cobrança, e o contrato não tem multa. Isso resolve?"
    )
    client.call("POST", f"/api/v1/sessions/{retry}/messages", salesperson, json={"text": answer})
    client.call("POST", f"/api/v1/sessions/{retry}/end", salesperson)
    dispatcher.drain(database_url)  # the ended retry is graded like any session
    listed = client.call("GET", f"/api/v1/sessions/{session['id']}/retries", salesperson)
    return {
        "from_turn": moment["index"],
        "opening": started["first_message"],
        "retries": listed["items"],
    }
