"""The demo's reports step: the practice session's scorecard PDF (as its salesperson) and the
team report PDF (as the manager), downloaded through the API and written into the data dir."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pypdf import PdfReader
from rich.console import Console

if TYPE_CHECKING:
    from dojo_local.demo import DemoClient


def _save(client: DemoClient, path: str, email: str, into: Path) -> dict[str, Any]:
    """Download one PDF as `email`, write it under the name the API gives, describe it."""
    response = client.http.get(path, headers=client.as_user(email))
    if response.status_code != 200:
        return {"error": f"GET {path} -> {response.status_code}: {response.text[:300]}"}
    disposition = response.headers.get("content-disposition", "")
    name = disposition.split('filename="', 1)[-1].split('"', 1)[0] or "report.pdf"
    target = into / name
    target.write_bytes(response.content)
    pages = len(PdfReader(io.BytesIO(response.content)).pages)
    return {"path": str(target), "bytes": len(response.content), "pages": pages}


def demo_reports(
    client: DemoClient, data_dir: Path, grading: dict[str, Any], manager: str, salesperson: str
) -> dict[str, Any]:
    """The session scorecard PDF and the team's 30-day report PDF, in `<data dir>/reports`."""
    into = data_dir / "reports"
    into.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {}
    card = grading.get("scorecard") or {}
    if grading.get("graded"):
        path = f"/api/v1/feedback/sessions/{card['session_id']}/report.pdf"
        out["session"] = _save(client, path, salesperson, into)
    out["team"] = _save(client, "/api/v1/feedback/team/report.pdf?period=30d", manager, into)
    return out


def print_reports(console: Console, reports: dict[str, Any]) -> None:
    """Where the PDFs were written."""
    for title, key in (("Session scorecard PDF", "session"), ("Team report PDF", "team")):
        report = reports.get(key)
        if not report:
            continue
        if "error" in report:
            console.print(f"{title}: [red]{report['error']}[/]")
            continue
        size = f"{report['pages']} pages, {report['bytes'] / 1024:.0f} KiB"
        console.print(f"{title}: [bold]{report['path']}[/] ({size})")
