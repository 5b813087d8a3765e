"""The session scorecard PDF through the gateway, read back: text in order, accents, long quotes,
pages that render, pt-BR and en-US, and the scorecard's access rules (404, never 403).

Text comes back with pypdf (what a reader's copy-paste gets); pages are rendered with Debian's
pdftoppm (poppler-utils, installed by `make pdf-setup`).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from psycopg.types.json import Jsonb
from pypdf import PdfReader

from grading import sweeper

BASE = "/api/v1/feedback"
COMPANY = "Distribuidora Pão de Açúcar & Irmãos Conceição Ltda."
REP_NAME = (
    "Maria Antonieta Gonçalves de Albuquerque Conceição e Souza Figueiredo Lemos da Anunciação"
)
LONG_QUOTE = (
    "Entendo perfeitamente a sua preocupação com o orçamento, então deixa eu explicar com calma: "
    + "a migração não interrompe a operação, o acompanhamento é diário e a equipe técnica " * 6
    + "fica à disposição até a virada ser concluída, sem custo adicional nenhum."
)


def flat(text: str) -> str:
    """Extracted text with every run of whitespace as one space (wrapped lines join up)."""
    return " ".join(text.split())


def read(content: bytes) -> tuple[PdfReader, str]:
    """The PDF and its text without the running header and footer (each page's first and last
    line), so text that flows on to the next page reads on."""
    reader = PdfReader(io.BytesIO(content))
    body = ["\n".join(page.extract_text().splitlines()[1:-1]) for page in reader.pages]
    return reader, flat("\n".join(body))


def footers(reader: PdfReader) -> list[str]:
    """Each page's footer (its last line)."""
    return [page.extract_text().splitlines()[-1] for page in reader.pages]


def in_order(text: str, parts: list[str]) -> None:
    """Every part is in `text`, each after the one before."""
    at = 0
    for part in parts:
        found = text.find(flat(part), at)
        assert found >= 0, f"{part!r} missing after position {at}"
        at = found + len(flat(part))


def number(value: float, locale: str = "pt-BR") -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if locale == "pt-BR" else text


@pytest.fixture
def org(make_user, make_session, calls, kit, sql):
    people = {
        "manager": make_user("Acme", "manager"),
        "admin": make_user("Acme", "admin"),
        "rep": make_user("Acme", "salesperson"),
        "rep2": make_user("Acme", "salesperson"),
        "other_manager": make_user("Globex", "manager"),
    }
    rep = people["rep"]
    sql.execute("update public.companies set name = %s where id = %s", (COMPANY, rep.company_id))
    sql.execute("update public.profiles set full_name = %s where id = %s", (REP_NAME, rep.id))
    call = calls["good_price"]
    session = make_session(
        rep, kit.timed(call["turns"], "voice"), mode="voice", persona=call["persona"]
    )
    pending = make_session(people["rep2"], kit.timed(call["turns"], "text"), status="active")
    assert sweeper.sweep()["graded"] == 1
    return {"people": people, "session": session, "pending": pending, "call": call}


def test_session_pdf_reads_back_in_order(api, org):
    rep, session = org["people"]["rep"], org["session"]
    card = api.get(f"{BASE}/sessions/{session}", headers=rep.headers).json()
    response = api.get(f"{BASE}/sessions/{session}/report.pdf", headers=rep.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith('attachment; filename="scorecard-')
    assert "maria-antonieta" in response.headers["content-disposition"]
    reader, text = read(response.content)
    assert reader.metadata.title.endswith(COMPANY)

    overall = [number(card["overall"]), card["overall_band"], "Nota geral"]
    header = [COMPANY, REP_NAME, org["call"]["persona"]["name"], *overall]
    categories = [f"{c['name']} {number(c['score'])}" for c in card["categories"]]
    # the four bars, then each category with its justification and evidence
    details = []
    for category in card["categories"]:
        details += [f"{category['name']} — {number(category['score'])}", category["justification"]]
        details += [f"“{e['quote']}”" for e in category["evidence"]]
    items = ["Pontos fortes", *[f"• {s['text']}" for s in card["strengths"]]]
    items += ["O que melhorar", *[f"• {s['text']}" for s in card["improvements"]]]
    items += ["Recomendações", *[f"• {s['text']}" for s in card["recommendations"]]]
    metrics = ["Métricas da conversa", *[m["name"] for m in card["metrics"]["items"]]]
    transcript = ["Apêndice: transcrição", *[text for _, text in org["call"]["turns"]]]
    in_order(text, [*header, *categories, *details, *items, *metrics, *transcript])
    assert card["categories"] and card["strengths"] and card["categories"][0]["evidence"]


def test_accents_and_a_long_quote_wrap_intact(api, org, sql):
    rep, session = org["people"]["rep"], org["session"]
    strength = {
        "category": "rapport",
        "text": "Acolheu a objeção de preço",
        "quote": LONG_QUOTE,
        "turn": 2,
    }
    # a monologue longer than a page flows on across pages
    monologue = {**strength, "text": "Explicou a migração", "quote": " ".join([LONG_QUOTE] * 12)}
    sql.execute(
        "update public.feedback set strengths = %s where session_id = %s",
        (Jsonb([strength, monologue]), session),
    )
    response = api.get(f"{BASE}/sessions/{session}/report.pdf", headers=rep.headers)
    assert response.status_code == 200, response.text
    _, text = read(response.content)
    in_order(text, ["Pontos fortes", "• Acolheu a objeção de preço", f"“{LONG_QUOTE}” (fala 2)"])
    in_order(text, ["• Explicou a migração", f"“{monologue['quote']}” (fala 2)", "O que melhorar"])
    for word in ("Conceição", "Anunciação", "orçamento", "à disposição", "Recomendações"):
        assert word in text


def test_english_company_reads_in_english(api, org, sql):
    rep, session = org["people"]["rep"], org["session"]
    sql.execute("update public.companies set locale = 'en-US' where id = %s", (rep.company_id,))
    response = api.get(f"{BASE}/sessions/{session}/report.pdf", headers=rep.headers)
    assert response.status_code == 200, response.text
    reader, text = read(response.content)
    in_order(text, ["Training session scorecard", "Salesperson", "Overall score", "Strengths"])
    in_order(text, ["Conversation metrics", "Appendix: transcript"])
    pages = len(reader.pages)
    assert [f.split(" UTC ")[1] for f in footers(reader)] == [
        f"Page {n} of {pages}" for n in range(1, pages + 1)
    ]
    assert "Nota geral" not in text and "Pontos fortes" not in text


def test_pages_render_to_images(api, org, tmp_path: Path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (Debian's poppler-utils: run `make pdf-setup`)")
    rep, session = org["people"]["rep"], org["session"]
    content = api.get(f"{BASE}/sessions/{session}/report.pdf", headers=rep.headers).content
    (tmp_path / "report.pdf").write_bytes(content)
    result = subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(tmp_path / "report.pdf"), str(tmp_path / "page")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(io.BytesIO(content)).pages) >= 3
    assert all(p.stat().st_size > 1000 for p in pages)  # drawn, not blank


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_managers_of_the_company_get_the_report(api, org, who):
    response = api.get(
        f"{BASE}/sessions/{org['session']}/report.pdf", headers=org["people"][who].headers
    )
    assert response.status_code == 200, response.text
    assert REP_NAME in read(response.content)[1]


@pytest.mark.parametrize("who", ["rep2", "other_manager"])
def test_anyone_else_gets_404_as_for_a_missing_session(api, org, who):
    headers = org["people"][who].headers
    theirs = api.get(f"{BASE}/sessions/{org['session']}/report.pdf", headers=headers)
    missing = api.get(f"{BASE}/sessions/{uuid.uuid4()}/report.pdf", headers=headers)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["error"]["code"] == missing.json()["error"]["code"] == "not_found"
    assert theirs.json()["error"]["message"] == missing.json()["error"]["message"]


def test_no_token_is_401_and_an_ungraded_session_is_409(api, org):
    assert api.get(f"{BASE}/sessions/{org['session']}/report.pdf").status_code == 401
    rep2 = org["people"]["rep2"]
    response = api.get(f"{BASE}/sessions/{org['pending']}/report.pdf", headers=rep2.headers)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "grading_pending"


def test_too_little_conversation_still_gives_a_report(api, make_user, make_session, kit):
    rep = make_user("Acme", "salesperson")
    session = make_session(rep, kit.timed([["salesperson", "Olá, bom dia!"]], "text"))
    assert sweeper.sweep()["insufficient"] == 1
    response = api.get(f"{BASE}/sessions/{session}/report.pdf", headers=rep.headers)
    assert response.status_code == 200, response.text
    _, text = read(response.content)
    in_order(
        text,
        ["Sessão não avaliada", "Conversa insuficiente", "Métricas da conversa", "Olá, bom dia!"],
    )
    assert "Nota geral" not in text
