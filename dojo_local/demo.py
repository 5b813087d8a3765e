"""`dojo demo`: the product end to end on the embedded database, with the offline providers."""

from __future__ import annotations

import time
from typing import Any

import httpx
import psycopg
from rich.console import Console
from rich.table import Table

from dojo_local import accounts, runtime
from dojo_local.server import BackgroundServer, free_port

COMPANY = "Nuvem Fiscal Tecnologia Ltda."
PEOPLE = [
    ("gestora@nuvemfiscal.demo", "Mariana Costa", "manager"),
    ("vendedor1@nuvemfiscal.demo", "Rafael Souza", "salesperson"),
    ("vendedor2@nuvemfiscal.demo", "Beatriz Lima", "salesperson"),
]
DEMO_PASSWORD = "dojo-demo-123"  # noqa: S105 - local demo users only, printed for the newcomer


class DemoClient:
    """Calls the local gateway over real HTTP as a given demo user."""

    def __init__(self, env: runtime.LocalEnv, base_url: str) -> None:
        self.env = env
        self.http = httpx.Client(base_url=base_url, timeout=60)

    def as_user(self, email: str) -> dict[str, str]:
        """Authorization headers with a fresh token for `email`."""
        token = accounts.issue_token(self.env.database_url, email, self.env.issuer)
        return {"authorization": f"Bearer {token}"}

    def call(self, method: str, path: str, email: str, **kwargs: Any) -> Any:
        """One API call; raises with the error body when it fails."""
        response = self.http.request(method, path, headers=self.as_user(email), **kwargs)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path} -> {response.status_code}: {response.text}")
        return response.json() if response.content else None


def _demo_knowledge(client: DemoClient, manager: str) -> dict[str, Any]:
    """The manager uploads the generated sales kit through the real API; the storage trigger,
    the local pg_net queue and the onboarding hook turn it into the knowledge base."""
    from dojo_local import ingest
    from dojo_local.demo_material import write_material

    headers = client.as_user(manager)
    files = write_material(client.env.base / "demo-material")
    # a second run keeps the documents the first one made ready, and replaces the others
    listed = client.call("GET", "/api/v1/onboarding/documents", manager)
    existing = {d["filename"]: d for d in listed}
    ids: list[str] = []
    for path in files:
        previous = existing.get(path.name)
        if previous is not None and previous["status"] == "ready":
            ids.append(previous["id"])
            continue
        if previous is not None:
            client.call("DELETE", f"/api/v1/onboarding/documents/{previous['id']}", manager)
        uploaded = ingest.upload(client.http, headers, path)
        if "id" not in uploaded:
            raise RuntimeError(f"upload of {path.name} refused: {uploaded['error']}")
        ids.append(uploaded["id"])
    rows = ingest.wait(client.env.database_url, ids)
    status = client.call("GET", "/api/v1/onboarding/status", manager)
    question = "Quanto custa o plano Profissional?"
    hits = client.call("GET", "/api/v1/onboarding/search", manager, params={"q": question, "k": 3})
    return {"documents": rows, "status": status, "question": question, "answers": hits}


def _demo_personas(client: DemoClient, manager: str) -> dict[str, Any]:
    """The manager generates a fresh persona set from the ingested documents (replacing the
    previous run's); without ready documents the API answers 409 and the demo says so."""
    response = client.http.post(
        "/api/v1/personas/regenerate", headers=client.as_user(manager), json={"count": 6}
    )
    if response.status_code == 409:
        return {"skipped": response.json()["error"]["message"], "personas": []}
    if response.status_code >= 400:
        raise RuntimeError(f"persona generation -> {response.status_code}: {response.text}")
    return dict(response.json())


def run_demo(quiet: bool = False) -> dict[str, Any]:
    """Run every step of the demo and return its summary."""
    started = time.monotonic()
    port = free_port()
    env = runtime.prepare(f"http://127.0.0.1:{port}")
    server = BackgroundServer(port=port).start()
    try:
        with psycopg.connect(env.database_url, autocommit=True) as conn:
            for email, name, role in PEOPLE:
                accounts.ensure_user(
                    conn, email, company=COMPANY, role=role, full_name=name, password=DEMO_PASSWORD
                )
        client = DemoClient(env, server.url)
        manager = PEOPLE[0][0]
        me = client.call("GET", "/api/v1/auth/me", manager)
        team = client.call("GET", "/api/v1/auth/members", manager)
        health = client.http.get("/health").json()
        knowledge = _demo_knowledge(client, manager)
        personas = _demo_personas(client, manager)
        return {
            "company": me["company"],
            "manager": me,
            "members": team,
            "gateway": health,
            "knowledge": knowledge,
            "personas": personas,
            "database": env.database_url,
            "data_dir": str(env.base),
            "demo_password": DEMO_PASSWORD,
            "seconds": round(time.monotonic() - started, 2),
            "quiet": quiet,
        }
    finally:
        server.stop()


def print_summary(console: Console, summary: dict[str, Any]) -> None:
    """A readable summary of the demo run."""
    console.rule("[bold]Sales AI Dojo — demo")
    company = summary["company"]
    console.print(f"Company: [bold]{company['name']}[/] ({company['locale']}) id {company['id']}")
    table = Table(title="Team")
    for column in ("name", "email", "role"):
        table.add_column(column)
    for member in summary["members"]:
        table.add_row(member["full_name"] or "", member["email"], member["role"])
    console.print(table)
    _print_knowledge(console, summary.get("knowledge") or {})
    _print_personas(console, summary.get("personas") or {})
    console.print(f"Functions on the local gateway: {', '.join(summary['gateway']['functions'])}")
    console.print(f"Database: {summary['database']}")
    console.print(
        f"Sign in locally as any member above with password [bold]{summary['demo_password']}[/]"
    )
    console.print(f"Done in {summary['seconds']} s.")


def _print_knowledge(console: Console, knowledge: dict[str, Any]) -> None:
    if not knowledge:
        return
    table = Table(title="Knowledge base (uploaded through the API, processed by the hook)")
    for column in ("document", "status", "pages", "chunks", "embeddings"):
        table.add_column(column)
    for doc in knowledge["documents"]:
        table.add_row(
            doc["filename"],
            doc["status"] if doc["status"] != "failed" else f"failed: {doc['error']}",
            str(doc["pages"] or "-"),
            str(doc["chunk_count"]),
            str(doc["embeddings_created"]),
        )
    console.print(table)
    if knowledge["answers"]:
        best = knowledge["answers"][0]
        console.print(
            f'Search "{knowledge["question"]}" -> {best["filename"]} p.{best["page"] or "-"}:'
            f" {best['content'][:160]}..."
        )


def _print_personas(console: Console, generation: dict[str, Any]) -> None:
    if generation.get("skipped"):
        console.print(f"Personas: not generated ({generation['skipped']})")
        return
    if not generation.get("personas"):
        return
    label = " — OFFLINE generator" if generation.get("offline") else ""
    table = Table(title=f"Personas{label} (generation {generation['generation_id']})")
    for column in ("name", "role", "difficulty", "first objection", "cites chunks"):
        table.add_column(column)
    for persona in generation["personas"]:
        first = (persona["objections"] or [{"text": "", "chunk_ids": []}])[0]
        table.add_row(
            persona["name"],
            persona["role"],
            persona["difficulty"],
            first["text"],
            ", ".join(str(i) for i in first["chunk_ids"]),
        )
    console.print(table)
    if generation.get("notice"):
        console.print(f"[dim]{generation['notice']}[/]")
