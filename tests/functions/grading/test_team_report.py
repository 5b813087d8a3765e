"""The team report PDF through the gateway, read back against the analytics screen's own answer:
the heatmap's names and numbers in order, insufficient cells, the weakest category, a page per
person, pages that render, pt-BR and en-US, and managers only.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from dojo_local import history
from dojo_local.history import Practice

URL = "/api/v1/feedback/team/report.pdf"
ANALYTICS = "/api/v1/feedback/analytics"
NOW = datetime.now(UTC)
NAMES = {
    "ana": "Ana Beatriz Conceição",
    "bruno": "Bruno Gonçalves",
    "carla": "Carla Antonieta de Albuquerque Figueiredo Lemos da Anunciação e Souza",
}


def flat(text: str) -> str:
    return " ".join(text.split())


def pages(content: bytes) -> list[str]:
    """Each page's text without its running header and footer (first and last line)."""
    reader = PdfReader(io.BytesIO(content))
    return [flat("\n".join(p.extract_text().splitlines()[1:-1])) for p in reader.pages]


def in_order(text: str, parts: list[str]) -> None:
    at = 0
    for part in parts:
        found = text.find(flat(part), at)
        assert found >= 0, f"{part!r} missing after position {at}"
        at = found + len(flat(part))


def number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _scores(r: float, d: float, o: float, c: float) -> dict[str, float]:
    return {"rapport": r, "discovery": d, "objection_handling": o, "closing": c}


@pytest.fixture
def team(make_user, sql):
    people = {
        "manager": make_user("Acme", "manager"),
        "ana": make_user("Acme", "salesperson"),
        "bruno": make_user("Acme", "salesperson"),
        "carla": make_user("Acme", "salesperson"),
        "globex": make_user("Globex", "manager"),
    }
    for key, name in NAMES.items():
        sql.execute(
            "update public.profiles set full_name = %s where id = %s", (name, people[key].id)
        )
    company = people["ana"].company_id
    persona = history.persona(sql, company, "Carlos Menezes")

    def add(who: str, days: float, scores: dict[str, float], mode: str = "voice") -> None:
        at = NOW - timedelta(days=days)
        practice = Practice(people[who].id, at, scores, mode=mode, persona_id=persona)
        practice.metrics = {"talk_ratio": 0.45, "words_per_minute": 150.0}
        history.seed(sql, company, practice)

    for days in (2, 9, 20):
        add("ana", days, _scores(80, 60, 70, 90))
    for days in (40, 50, 55):  # the previous 30 days
        add("ana", days, _scores(60, 60, 60, 60), mode="text")
    add("bruno", 3, _scores(90, 30, 90, 90))  # too few sessions for any cell
    for days in (1, 5, 6):
        add("carla", days, _scores(70, 35, 65, 75), mode="text")
    return people


def test_team_pdf_reads_back_like_the_analytics_screen(api, team):
    manager = team["manager"]
    screen = api.get(ANALYTICS, params={"period": "30d"}, headers=manager.headers).json()
    response = api.get(URL, params={"period": "30d"}, headers=manager.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="team-report-30d-' in response.headers["content-disposition"]
    text = pages(response.content)
    heat = screen["heatmap"]
    rows = heat["rows"]
    assert {r["name"] for r in rows} == set(NAMES.values())
    summary = " ".join(text[:2])
    expected = ["Relatório da equipe", "últimos 30 dias", "Pessoas", "Sessões"]
    weakest = screen["weakest"]
    expected.append(f"Categoria mais fraca da equipe: {weakest['name']}")
    expected += ["Mapa de calor", *[c["name"] for c in heat["categories"]]]
    for row in rows:
        expected.append(row["name"])
        for cell in [row["overall"], *row["cells"]]:
            shown = number(cell["average"]) if cell["status"] == "ok" else "—"
            expected.append(f"{shown} ({cell['sessions']})")
    expected += ["média da equipe", number(heat["team"]["overall"]["average"])]
    in_order(summary, expected)
    assert weakest["person"]["name"] == NAMES["carla"] and weakest["name"] == "Descoberta"
    # Bruno's cells have one session each: no number, the count only
    in_order(summary, [NAMES["bruno"], "— (1) — (1) — (1) — (1) — (1)"])
    # one page per person, in the heatmap's order, after the team's pages
    person_pages = [next(i for i, t in enumerate(text) if t.startswith(r["name"])) for r in rows]
    assert person_pages == sorted(person_pages) and person_pages[-1] == len(text) - 1
    ana = text[person_pages[0]]
    in_order(ana, [NAMES["ana"], "Desempenho individual", "Nota geral", "Categorias", "Rapport"])
    in_order(ana, ["Tendências por categoria", "Rapport", "80 (3)", "60 (3)", "+20"])


def test_english_company_reads_in_english(api, team, sql):
    manager = team["manager"]
    sql.execute("update public.companies set locale = 'en-US' where id = %s", (manager.company_id,))
    response = api.get(URL, params={"period": "90d"}, headers=manager.headers)
    assert response.status_code == 200, response.text
    text = " ".join(pages(response.content))
    in_order(text, ["Team report", "last 90 days", "Heatmap", "Discovery", "team average"])
    in_order(text, ["Trends per category", "Practice activity", "Team metrics"])
    assert "Relatório" not in text and "Descoberta" not in text


def test_a_twenty_person_quarter_renders_a_page_per_person(api, make_user, sql, tmp_path: Path):
    manager = make_user("Acme", "manager")
    seeded = history.seed_team(sql, "Acme", people=20, sessions=12, days=90)
    response = api.get(URL, params={"period": "90d"}, headers=manager.headers)
    assert response.status_code == 200, response.text
    text = pages(response.content)
    firsts = [t.split(" Desempenho individual")[0] for t in text if "Desempenho individual" in t]
    assert firsts == [f"Vendedor {i:02d}" for i in range(len(seeded["people"]))]
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (Debian's poppler-utils: run `make pdf-setup`)")
    (tmp_path / "team.pdf").write_bytes(response.content)
    result = subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(tmp_path / "team.pdf"), str(tmp_path / "page")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert len(list(tmp_path.glob("page-*.png"))) == len(text)


@pytest.mark.parametrize("who", ["ana", "globex"])
def test_salespeople_get_403_and_other_companies_see_only_their_own(api, team, who):
    response = api.get(URL, headers=team[who].headers)
    if who == "ana":
        assert response.status_code == 403
        assert response.json()["error"]["code"]
        return
    assert response.status_code == 200  # Globex's manager gets Globex's (empty) team
    text = " ".join(pages(response.content))
    assert not any(name in text for name in NAMES.values())


def test_a_bad_period_is_a_clear_422(api, team):
    response = api.get(URL, params={"period": "7d"}, headers=team["manager"].headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"]
