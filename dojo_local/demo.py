"""`dojo demo`: the product end to end on the embedded database, with the offline providers."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import psycopg

from dojo.providers.embeddings import fold
from dojo_local import accounts, demo_analytics, demo_coach, demo_notify, dispatcher, runtime
from dojo_local.demo_programme import demo_programme
from dojo_local.demo_reports import demo_reports
from dojo_local.demo_retry import demo_retry
from dojo_local.demo_voice import demo_voice
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
    client: DemoClient,
    salesperson: str,
    generation: dict[str, Any],
    assignment_id: str | None = None,
) -> dict[str, Any]:
    """A salesperson practises a pt-BR text call with one of the company's personas through the
    sessions API (offline persona without a model key): discovery questions, a pitch, each
    concern answered with facts from the knowledge base, then a concrete next step. With
    `assignment_id` the session is an attempt at that assignment (its persona)."""
    personas = generation.get("personas") or []
    if not personas:
        return {"skipped": "no persona to talk to"}
    persona = next((p for p in personas if p["difficulty"] == "medium"), personas[0])
    start = {"assignment_id": assignment_id} if assignment_id else {"persona_id": persona["id"]}
    started = client.call(
        "POST", "/api/v1/sessions/start", salesperson, json={**start, "mode": "text"}
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
        retry = demo_retry(client, env.database_url, PEOPLE[1][0], session, _CONCERN_LEADS)
        coach = demo_coach.run(client, grading)
        analytics = demo_analytics.run(
            client,
            manager,
            [(PEOPLE[1][0], 2)],
            lambda who: _demo_session(client, who, personas),
        )
        programme = demo_programme(client, manager, PEOPLE[1][0], session)
        reports = demo_reports(client, env.base, grading, manager, PEOPLE[1][0])
        chosen = (session.get("persona") or {}).get("id")
        voice = demo_voice(client, PEOPLE[1][0], chosen)
        return {
            "voice": voice,
            "company": me["company"],
            "manager": me,
            "members": team,
            "gateway": health,
            "knowledge": knowledge,
            "personas": personas,
            "grading": grading,
            "coach": coach,
            "reports": reports,
            "session": session,
            "analytics": analytics,
            "retry": retry,
            "programme": programme,
            "notifications": notifications,
            "database": env.database_url,
            "data_dir": str(env.base),
            "demo_password": DEMO_PASSWORD,
            "seconds": round(time.monotonic() - started, 2),
            "quiet": quiet,
        }
    finally:
        server.stop()


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
    graded = card["status"] in ("graded", "insufficient")
    return {"graded": graded, "scorecard": card, "email": email}
