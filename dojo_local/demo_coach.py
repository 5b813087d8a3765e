"""The demo's coaching step: the next drill, a better line and one answer of the coach, all
read through the API as the salesperson who practised."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console

if TYPE_CHECKING:
    from dojo_local.demo import DemoClient

QUESTION = "Como eu devia ter respondido à objeção de preço?"


def run(client: DemoClient, grading: dict[str, Any]) -> dict[str, Any]:
    """Ask the coach about the graded demo call; return the drill, a better line and the answer."""
    card = grading.get("scorecard") or {}
    if card.get("status") != "graded":
        return {"skipped": "no graded call to coach"}
    email = grading["email"]
    answer = client.call(
        "POST",
        f"/api/v1/feedback/sessions/{card['session_id']}/ask",
        email,
        json={"question": QUESTION},
    )
    progress = client.call("GET", "/api/v1/feedback/me/progress", email)
    lines = [i for i in card["improvements"] if i.get("better_line")]
    return {
        "next_drill": card.get("next_drill"),
        "better_line": lines[0] if lines else None,
        "question": QUESTION,
        "answer": answer,
        "plan": progress["plan"],
    }


def show(console: Console, coach: dict[str, Any]) -> None:
    """The coaching step, readable."""
    if not coach:
        return
    if coach.get("skipped"):
        console.print(f"Coach: skipped ({coach['skipped']})")
        return
    console.rule("[bold]Coach[/]")
    drill = coach.get("next_drill")
    if drill:
        console.print(
            f"Next drill: [bold]{drill['category_name']}[/] with {drill['persona_name'] or '-'}"
            f" — {drill['why']}"
        )
    item = coach.get("better_line")
    if item:
        line = item["better_line"]
        console.print(f"Better line for \u201c{item['quote']}\u201d (turn {item['turn']}):")
        console.print(f"  \u201c{line['text']}\u201d  chunks {line['chunk_ids']}", markup=False)
    answer = coach["answer"]
    console.print(f"[bold]Q:[/] {coach['question']}  [dim]({answer['coach']['label']})[/]")
    console.print(answer["answer"], markup=False)
    cited = ", ".join(
        f"{c['kind']} {c['turn'] if c['kind'] == 'turn' else c['chunk_id'] or c['category']}"
        for c in answer["citations"]
    )
    console.print(f"[dim]citations: {cited}[/]")
    plan = "; ".join(f"{d['category_name']} ({d['persona_name'] or '-'})" for d in coach["plan"])
    console.print(f"Plan: {plan}")
