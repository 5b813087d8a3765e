"""The manager's analytics page in headless chromium, on seeded weeks of graded history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from dojo_local import history
from dojo_local.history import Practice
from tests.e2e.helpers import shot

SCORES = {"rapport": 80.0, "discovery": 45.0, "objection_handling": 70.0, "closing": 75.0}


def _seed(db_url: str, people) -> None:
    """Caio: four graded sessions in the last weeks (voice and text); Lia: two (too few)."""
    now = datetime.now(UTC)
    with psycopg.connect(db_url, autocommit=True) as conn:
        ids = {
            row[0]: row[1]
            for row in conn.execute("select email, id from public.profiles").fetchall()
        }
        company = conn.execute("select company_id from public.profiles limit 1").fetchone()[0]
        persona = history.persona(conn, company, "Roberta Lins")
        rng_metrics = [0.3, 0.42, 0.48, 0.7, 0.45, 0.5]
        plan = [
            ("seller", d, m) for d, m in ((1, "voice"), (6, "text"), (13, "voice"), (20, "text"))
        ]
        plan += [("other", 2, "text"), ("other", 9, "voice")]
        for i, (who, days, mode) in enumerate(plan):
            practice = Practice(
                ids[people[who].email],
                now - timedelta(days=days),
                {**SCORES, "discovery": SCORES["discovery"] + i},
                mode=mode,
                persona_id=persona,
                metrics={"talk_ratio": rng_metrics[i], "fillers_per_100_words": 2.0 + i},
            )
            history.seed(conn, company, practice)


def test_manager_reads_the_analytics_and_downloads_the_team_csv(sign_in, people, db_url):
    from playwright.sync_api import expect

    _seed(db_url, people)
    page = sign_in(people["manager"])
    page.get_by_role("link", name="Análises").click()
    heatmap = page.get_by_test_id("heatmap")
    expect(heatmap).to_contain_text("Caio Nunes")
    caio = heatmap.locator("tr", has=page.get_by_role("button", name="Caio Nunes"))
    expect(caio).to_contain_text("n = 4")
    lia = heatmap.locator("tr", has=page.get_by_role("button", name="Lia Rocha"))
    expect(lia).to_contain_text("dados insuficientes")
    expect(lia).to_contain_text("n = 2")
    expect(page.get_by_test_id("weakest")).to_contain_text("Descoberta")
    expect(page.get_by_test_id("weakest")).to_contain_text("Caio Nunes")
    expect(page.get_by_test_id("trend")).to_be_visible()
    expect(page.get_by_test_id("activity-table")).to_contain_text("Lia Rocha")
    expect(page.get_by_test_id("metric-talk_ratio")).to_contain_text("Abaixo da faixa: 1")
    expect(page.get_by_test_id("metric-words_per_minute")).to_contain_text("Não medida")
    shot(page, "manager-analytics")

    with page.expect_download() as info:
        page.get_by_role("button", name="Baixar equipe (CSV)").click()
    body = Path(info.value.path()).read_bytes()
    assert body.startswith(b"\xef\xbb\xbfNome;E-mail;")
    assert "Caio Nunes" in body.decode("utf-8")

    # filters: voice only leaves Caio's two voice sessions and Lia's one
    page.get_by_label("Modo").select_option("voice")
    expect(caio).to_contain_text("n = 2")
    page.get_by_label("Idioma").select_option("en")
    expect(lia).to_contain_text("insufficient data")
