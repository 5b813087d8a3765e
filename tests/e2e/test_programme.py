"""The programme in the browser: a manager assigns, switches the leaderboard on and certifies;
a salesperson passes one assignment (a prepared text call) and fails an exam (a careless one)."""

from __future__ import annotations

import re

import psycopg

from tests.e2e.helpers import shot
from tests.functions.sessions.data import insert_material, insert_persona
from tests.functions.sessions.programme import BAD_CALL, GOOD_CALL, due


def _persona(db_url: str, people) -> str:
    """The scripted persona of the sessions tests, with its material, in the e2e company."""
    with psycopg.connect(db_url, autocommit=True, row_factory=psycopg.rows.dict_row) as sql:
        company = sql.execute(
            "select company_id from public.profiles where email = %s",
            (people["manager"].email,),
        ).fetchone()["company_id"]
        insert_material(sql, company)
        return str(insert_persona(sql, company))


def test_manager_assigns_switches_the_leaderboard_on_and_certifies(sign_in, people, db_url):
    from playwright.sync_api import expect

    _persona(db_url, people)
    page = sign_in(people["manager"])
    page.get_by_role("link", name="Tarefas da equipe").click()
    page.get_by_label("Título").fill("Objeções de preço")
    page.get_by_label("Nota mínima (0–100)").fill("70")
    page.get_by_label("Tentativas (vazio = ilimitadas)").fill("2")
    page.get_by_label("Caio Nunes").check()
    page.get_by_role("button", name="Atribuir", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Tarefa atribuída")
    card = page.get_by_test_id("assignment-card").filter(has_text="Objeções de preço")
    expect(card.get_by_test_id("assignee-row")).to_have_count(1)
    expect(card.get_by_test_id("assignee-status")).to_have_text("Atribuída")

    page.get_by_label("Nome da certificação").fill("Objeções de preço — nível 2")
    page.get_by_role("checkbox", name="Objeções de preço").check()
    page.get_by_role("button", name="Criar certificação").click()
    expect(page.get_by_test_id("certification")).to_contain_text("Ninguém ainda")
    shot(page, "manager-assignments")

    page.get_by_role("link", name="Ranking").click()
    expect(page.get_by_test_id("leaderboard-off")).to_be_visible()
    page.get_by_role("switch").click()  # checked once the company's setting is saved
    expect(page.get_by_role("switch")).to_be_checked()
    expect(page.get_by_test_id("leaderboard")).to_be_visible()
    expect(page.get_by_test_id("leaderboard-row").filter(has_text="Caio Nunes")).to_contain_text(
        "Sessões insuficientes"
    )


def test_salesperson_passes_one_assignment_and_fails_an_exam(sign_in, people, api_as, db_url):
    from playwright.sync_api import expect

    persona = _persona(db_url, people)
    manager, seller = api_as(people["manager"]), api_as(people["seller"])
    base = {"persona_id": persona, "mode": "text", "due_at": due(), "pass_mark": 70}
    seller_id = manager("GET", "/api/v1/auth/members")
    caio = next(m["id"] for m in seller_id if m["email"] == people["seller"].email)
    practice = manager(
        "POST", "/api/v1/assignments", json={**base, "title": "Treino", "assignee_ids": [caio]}
    )
    exam = manager(
        "POST",
        "/api/v1/assignments",
        json={**base, "title": "Prova", "assignee_ids": [caio], "max_attempts": 1},
    )
    manager(
        "POST",
        "/api/v1/certifications",
        json={"name": "Nível 1", "assignment_ids": [practice["id"]], "validity_days": 180},
    )
    # the exam is failed through the API: one careless attempt
    sid = seller("POST", "/api/v1/sessions/start", json={"assignment_id": exam["id"]})["session_id"]
    for text in BAD_CALL:
        seller("POST", f"/api/v1/sessions/{sid}/messages", json={"text": text})
    seller("POST", f"/api/v1/sessions/{sid}/end")

    page = sign_in(people["seller"])
    page.get_by_role("link", name="Minhas tarefas").click()
    task = page.get_by_test_id("task").filter(has_text="Treino")
    expect(task.get_by_test_id("task-attempts")).to_contain_text("Tentativas ilimitadas")
    failed = page.get_by_test_id("task").filter(has_text="Prova")
    expect(failed.get_by_test_id("task-status")).to_have_text("Reprovado(a)", timeout=30_000)
    expect(failed.get_by_test_id("task-attempts")).to_contain_text("Tentativas restantes: 0")
    expect(failed.get_by_role("button", name="Começar agora")).to_be_disabled()
    shot(page, "salesperson-tasks")

    task.get_by_role("button", name="Começar agora").click()
    expect(page).to_have_url(re.compile(r"/sessions/view/\?id="))
    transcript = page.get_by_test_id("transcript")
    for text in GOOD_CALL:
        if page.get_by_test_id("session-status").inner_text() != "Ativa":
            break
        before = transcript.locator("li[id^=turn-]").count()
        page.get_by_label("Sua mensagem").fill(text)
        page.keyboard.press("Enter")
        expect(transcript.locator("li[id^=turn-]")).to_have_count(before + 2)
    if page.get_by_test_id("session-status").inner_text() == "Ativa":
        page.get_by_role("button", name="Encerrar ligação").click()
    expect(page.get_by_test_id("scorecard")).to_be_visible(timeout=30_000)

    page.get_by_role("link", name="Minhas tarefas").click()
    passed = page.get_by_test_id("task").filter(has_text="Treino")
    expect(passed.get_by_test_id("task-status")).to_have_text("Aprovado(a)")
    expect(passed.get_by_role("link", name="Ver a avaliação que decidiu")).to_be_visible()
    expect(page.get_by_test_id("my-certification")).to_contain_text("Certificado(a)")
    shot(page, "salesperson-passed")
