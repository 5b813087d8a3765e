"""`dojo demo`: the product end to end on the embedded database, with the offline providers."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import psycopg
from rich.console import Console
from rich.table import Table

from dojo.providers.embeddings import fold
from dojo_local import accounts, demo_notify, dispatcher, runtime
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
    question = "Qual o preço do plano Profissional?"
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
    # 202 with the job: offline it is already done; a real model runs it through trigger and hook
    return _await_generation(client, manager, response.json())


def _await_generation(client: DemoClient, manager: str, job: dict[str, Any]) -> dict[str, Any]:
    """Deliver the queued hook and poll the job until it is done or failed."""
    deadline = time.monotonic() + 300
    while True:
        if job["status"] == "done":
            return dict(job["result"])
        if job["status"] == "failed":
            return {"skipped": job.get("error") or "persona generation failed", "personas": []}
        if time.monotonic() >= deadline:
            return {"skipped": "persona generation is still running", "personas": []}
        time.sleep(2)
        dispatcher.drain(client.env.database_url)
        job = client.call("GET", job["status_url"], manager)


_SCRIPT_OPENING = [
    "Bom dia! Aqui é o Rafael, da Nuvem Fiscal. Tudo bem?",
    "Como vocês fazem hoje a emissão de notas e quem cuida disso na empresa?",
    "Qual é o maior desafio com o sistema atual de vocês?",
    "Quem participa da decisão e como funciona o orçamento para esse tipo de compra?",
    "Quais outras opções vocês estão avaliando e qual é o prazo para decidir?",
    "O que vocês já tentaram antes para resolver esse problema?",
    "Pelo que você contou, o plano Profissional encaixa: R$ 349 por mês, até 1.000 notas, NF-e,"
    " NFS-e e NFC-e, com o módulo Fiscal Inteligente que alerta NCM e CFOP errados antes do envio.",
]
_SCRIPT_CLOSE = (
    "Faz sentido agendarmos uma demonstração de 20 minutos na quinta-feira com a sua equipe?"
)
# How the offline persona voices a concern (a real model words it freely; the demo then simply
# answers whatever it heard last, a bounded number of times).
_CONCERN_LEADS = (
    "Olha, vou ser sincero:",
    "Isso não me convence.",
    "Você não respondeu à minha preocupação.",
    "Continuo sem ver como isso resolve.",
    "Calma, antes de qualquer próximo passo:",
    "Antes de falar em próximo passo:",
    "Certo, isso responde. Mas tem outra coisa:",
)
_QUOTED = re.compile(r"“([^”]+)”")
_WORDS = re.compile(r"[a-z0-9]{4,}")


def _words(text: str) -> set[str]:
    return set(_WORDS.findall(fold(text)))


def _answer_from_material(client: DemoClient, salesperson: str, concern: str) -> str:
    """Answer a concern the way a prepared rep would: with the company's own facts, found in
    the knowledge base (the same search the manager's search box uses)."""
    already_quoted = set(_QUOTED.findall(concern))
    concern = concern.split("Pelo que vi no material", 1)[0]
    for lead in _CONCERN_LEADS:
        concern = concern.replace(lead, "")
    hits = client.call(
        "GET", "/api/v1/onboarding/search", salesperson, params={"q": concern, "k": 5}
    )
    wanted = _words(concern)
    sentences = [
        " ".join(sentence.split())
        for hit in hits
        for sentence in re.split(r"(?<=[.!?])\s+", hit["content"])
        if any(ch.isdigit() for ch in sentence)
    ]
    # a fact that answers, not the customer's own quote read back to them
    fresh = [s for s in sentences if s not in already_quoted and s.rstrip(".") not in concern]
    best = max(fresh, key=lambda sentence: len(_words(sentence) & wanted), default="")
    return (
        f"Entendo a sua preocupação, e ela é justa. {best} Por exemplo, clientes do seu porte"
        " usam isso todos os dias, e eu posso te mostrar exatamente como fica no seu caso."
    )


def _demo_session(
    client: DemoClient, salesperson: str, generation: dict[str, Any]
) -> dict[str, Any]:
    """A salesperson practises a pt-BR text call with one of the company's personas through the
    sessions API (offline persona without a model key): discovery questions, a pitch, each
    concern answered with facts from the knowledge base, then a concrete next step."""
    personas = generation.get("personas") or []
    if not personas:
        return {"skipped": "no persona to talk to"}
    persona = next((p for p in personas if p["difficulty"] == "medium"), personas[0])
    started = client.call(
        "POST",
        "/api/v1/sessions/start",
        salesperson,
        json={"persona_id": persona["id"], "mode": "text"},
    )
    sid = started["session_id"]

    def say(text: str) -> dict[str, Any]:
        return dict(
            client.call(
                "POST", f"/api/v1/sessions/{sid}/messages", salesperson, json={"text": text}
            )
        )

    def answer_concerns(reply: dict[str, Any]) -> dict[str, Any]:
        # a concern is answered when it comes up, before moving on (bounded)
        for _ in range(len(persona["objections"]) + 2):
            heard = reply["turns"][1]["text"]
            if reply["ended"] or not heard.startswith(_CONCERN_LEADS):
                break
            reply = say(_answer_from_material(client, salesperson, heard))
        return reply

    reply: dict[str, Any] = {"ended": False}
    for line in [*_SCRIPT_OPENING, _SCRIPT_CLOSE]:
        reply = answer_concerns(say(line))
        if reply["ended"]:
            break
    if not reply["ended"]:
        answer_concerns(say(_SCRIPT_CLOSE))
    client.call("POST", f"/api/v1/sessions/{sid}/end", salesperson)
    session = client.call("GET", f"/api/v1/sessions/{sid}", salesperson)
    return {"persona": persona, "session": session}


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
        session = _demo_session(client, PEOPLE[1][0], personas)
        grading = _demo_grading(client, env)
        notifications = demo_notify.run(client, env, manager, PEOPLE[1][0], grading)
        return {
            "company": me["company"],
            "manager": me,
            "members": team,
            "gateway": health,
            "knowledge": knowledge,
            "personas": personas,
            "grading": grading,
            "session": session,
            "notifications": notifications,
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
    _print_session(console, summary.get("session") or {})
    _print_scorecard(console, summary.get("grading") or {})
    demo_notify.print_summary(console, summary.get("notifications") or {})
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


def _print_session(console: Console, practice: dict[str, Any]) -> None:
    if practice.get("skipped"):
        console.print(f"Practice session: skipped ({practice['skipped']})")
        return
    if not practice:
        return
    session = practice["session"]
    persona = session["persona"]
    table = Table(
        title=f"Practice session (text) with {persona['name']}, {persona['role']}"
        f" [{persona['difficulty']}] - {session['status']}, {session['ended_reason']}"
    )
    for column in ("#", "time", "who", "text"):
        table.add_column(column)
    for turn in session["transcript"]:
        who = "Vendedor" if turn["speaker"] == "salesperson" else "Cliente"
        table.add_row(str(turn["index"]), f"{turn['start']:.0f}s", who, turn["text"])
    console.print(table)


def _demo_grading(client: DemoClient, env: runtime.LocalEnv) -> dict[str, Any]:
    """Last step: make sure the demo's practice session was graded, and fetch its scorecard.

    Ending the session fired the database trigger; draining the local pg_net queue delivers it to
    the grading hook over real HTTP (idempotent: a delivery already made changes nothing).
    """
    dispatcher.drain(env.database_url)
    with psycopg.connect(env.database_url, autocommit=True) as conn:
        row = conn.execute(
            "select s.id, p.email from public.training_sessions s"
            " join public.profiles p on p.id = s.user_id"
            " join public.companies c on c.id = s.company_id"
            " where c.name = %s and s.status = 'ended'"
            " order by s.ended_at desc nulls last limit 1",
            (COMPANY,),
        ).fetchone()
    if row is None:
        return {"graded": False, "reason": "no practice session ended in this demo"}
    session_id, email = row
    card = client.call("GET", f"/api/v1/feedback/sessions/{session_id}", email)
    return {"graded": card["status"] in ("graded", "insufficient"), "scorecard": card}


def _band(band: dict[str, Any] | None) -> str:
    if not band:
        return "-"
    low, high = band.get("low"), band.get("high")
    if low is not None and high is not None:
        return f"{low:g}-{high:g}"
    return f">= {low:g}" if low is not None else f"<= {high:g}"


def _print_scorecard(console: Console, grading: dict[str, Any]) -> None:
    if not grading:
        return
    card = grading.get("scorecard") or {}
    if not grading.get("graded"):
        reason = grading.get("reason") or card.get("message") or card.get("status")
        console.print(f"Scorecard: nothing graded ({reason})")
        return
    grader = card["grader"]
    kind = "OFFLINE grader" if grader["offline"] else "model grader"
    console.rule(f"[bold]Scorecard[/] — {kind}, rubric {card['rubric_version']}")
    console.print(f"[dim]{grader['label']}[/]")
    if card["status"] == "insufficient":
        console.print(card["message"])
        return
    console.print(f"Overall: [bold]{card['overall']:.0f}/100[/] ({card['overall_band']})")
    table = Table()
    for column in ("category", "weight", "score", "why"):
        table.add_column(column)
    for category in card["categories"]:
        table.add_row(
            category["name"],
            f"{category['weight']:.0%}",
            f"{category['score']:.0f}",
            category["justification"],
        )
    console.print(table)
    for title, items in (("Strengths", card["strengths"]), ("To improve", card["improvements"])):
        console.print(f"[bold]{title}[/]")
        for item in items[:2]:
            console.print(f"  - {item['text']} — \u201c{item['quote']}\u201d (turn {item['turn']})")
    metrics = Table(title="Conversation metrics (computed by code) beside published benchmarks")
    for column in ("metric", "value", "reference", "status", "source"):
        metrics.add_column(column)
    for metric in card["metrics"]["items"]:
        value = metric["value"]
        if value is None:
            shown = "n/a (voice only)"
        elif metric["unit"] == "ratio":
            shown = f"{value:.0%}"
        else:
            shown = f"{value:g} {metric['unit']}"
        band = metric.get("band") or {}
        metrics.add_row(
            metric["name"],
            shown,
            _band(band),
            metric.get("status", "-"),
            (band.get("source") or "").split(":")[0],
        )
    console.print(metrics)
