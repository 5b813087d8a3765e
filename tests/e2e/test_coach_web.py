"""The coach in the browser: the next drill starts a session, a question gets a cited answer,
each improvement shows its better line, and the progress page shows the plan."""

from __future__ import annotations

import re

from tests.e2e.helpers import shot
from tests.e2e.test_web import _arrange_material, _graded_session


def test_the_coach_recommends_a_drill_answers_a_question_and_plans(
    sign_in, people, api_as, tmp_path
):
    from playwright.sync_api import expect

    personas = _arrange_material(api_as, people, tmp_path)
    sid = _graded_session(api_as, people["seller"], personas[0]["id"])
    page = sign_in(people["seller"])
    page.get_by_test_id("whoami").wait_for()
    page.goto(page.url.split("/practice/")[0] + f"/sessions/view/?id={sid}")
    drill = page.get_by_test_id("next-drill")
    expect(drill).to_be_visible(timeout=30_000)
    expect(drill).to_contain_text("foi sua nota mais baixa")
    expect(page.get_by_test_id("better-line").first).to_contain_text("Tente dizer")

    page.get_by_label("Sua pergunta sobre esta ligação").fill(
        "Como eu devia ter respondido à objeção de preço?"
    )
    page.get_by_role("button", name="Perguntar").click()
    answer = page.get_by_test_id("coach-answer")
    expect(answer).to_contain_text("Coach offline (sem modelo de linguagem)")
    expect(answer.get_by_test_id("citation-criterion").first).to_be_visible()
    expect(answer.get_by_test_id("citation-turn").first).to_be_visible()
    shot(page, "coach-scorecard")

    page.get_by_role("link", name="Progresso").click()
    plan = page.get_by_test_id("practice-plan")
    expect(plan.locator("li")).to_have_count(3)
    shot(page, "coach-plan")

    # "Praticar agora" starts a text session with the drill's persona
    page.go_back()
    drill = page.get_by_test_id("next-drill")
    drill.get_by_role("button", name="Praticar agora").click()
    expect(page).not_to_have_url(re.compile(re.escape(sid)))
    expect(page.get_by_test_id("session-status")).to_have_text("Ativa")
    expect(page.get_by_test_id("transcript").locator("li[id^=turn-]")).to_have_count(1)
