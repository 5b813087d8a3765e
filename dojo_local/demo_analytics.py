"""The demo's analytics step: more practice through the API, then the manager's dashboard and the
team CSV, so the heatmap has real cells (a person needs `min_sessions` graded sessions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from rich.console import Console

from dojo_local import dispatcher


class _Client(Protocol):
    env: Any
    http: Any

    def call(self, method: str, path: str, email: str, **kwargs: Any) -> Any: ...

    def as_user(self, email: str) -> dict[str, str]: ...


def run(
    client: _Client,
    manager: str,
    practice: list[tuple[str, int]],
    session: Callable[[str], dict[str, Any]],
) -> dict[str, Any]:
    """Each (salesperson, n) practises n more text sessions (`session` runs one through the
    sessions API), the grading hook grades them, and the manager reads the analytics."""
    for email, times in practice:
        for _ in range(times):
            if "skipped" in session(email):
                return {"skipped": "no persona to practise with"}
    dispatcher.drain(client.env.database_url)
    data = client.call("GET", "/api/v1/feedback/analytics", manager, params={"period": "30d"})
    csv = client.http.get(
        "/api/v1/feedback/team.csv", params={"period": "30d"}, headers=client.as_user(manager)
    )
    result: dict[str, Any] = {
        "analytics": data,
        "team_csv": {
            "status": csv.status_code,
            "bytes": len(csv.content),
            "lines": len(csv.content.splitlines()),
        },
    }
    result["line"] = summary_line(result)
    return result


def summary_line(result: dict[str, Any]) -> str:
    """One line about the dashboard: sessions, people, sufficient cells, the weakest category."""
    if "analytics" not in result:
        return f"Analytics: skipped ({result.get('skipped', 'nothing to show')})"
    data = result["analytics"]
    heat = data["heatmap"]
    cells = [c for row in heat["rows"] for c in row["cells"]]
    shown = sum(1 for c in cells if c["status"] == "ok")
    weakest = data["weakest"]
    weak = (
        f"weakest category {weakest['name']} (team {weakest['team_average']:.0f}"
        + (
            f", {weakest['person']['name']} {weakest['person']['average']:.0f})"
            if weakest["person"]
            else ")"
        )
        if weakest
        else "no weakest category yet"
    )
    return (
        f"Analytics (30d): {data['activity']['sessions']} sessions,"
        f" {data['activity']['minutes']:.0f} min by {len(heat['rows'])} people;"
        f" {shown}/{len(cells)} heatmap cells with >= {heat['min_sessions']} sessions; {weak};"
        f" team.csv {result['team_csv']['lines']} lines"
    )


def print_step(console: Console, result: dict[str, Any]) -> None:
    """The demo summary's analytics line."""
    console.print(summary_line(result))
