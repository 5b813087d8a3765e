"""A notification arrives in the bell while the salesperson looks (polling locally), leads to what
it is about, and the manager's review reaches them by email through the schedule and real SMTP."""

from __future__ import annotations

import re

from dojo.settings import get_settings
from dojo_local.mailbox import MailServer, messages
from dojo_local.schedule import Schedule
from dojo_local.server import free_port
from tests.e2e.helpers import shot, wait_until
from tests.e2e.test_web import _arrange_material, _graded_session


def test_the_scorecard_and_the_review_arrive_in_the_bell_and_by_email(
    sign_in, people, api_as, tmp_path, monkeypatch
):
    from playwright.sync_api import expect

    personas = _arrange_material(api_as, people, tmp_path)
    port = free_port()
    mail = MailServer(tmp_path / "mail-data", port=port).start()
    monkeypatch.setenv("DOJO_EMAIL_PROVIDER", "smtp")
    monkeypatch.setenv("DOJO_SMTP_PORT", str(port))
    get_settings.cache_clear()
    timer = Schedule(interval=0.5)  # the local stand-in for the EventBridge schedule
    timer.start()
    try:
        page = sign_in(people["seller"])
        bell = page.get_by_test_id("notification-bell")
        expect(bell).to_be_visible()
        expect(page.get_by_test_id("notification-count")).to_have_count(0)

        # a session ends and is graded while the page stays open: the bell rings by itself
        sid = _graded_session(api_as, people["seller"], personas[0]["id"])
        expect(page.get_by_test_id("notification-count")).to_have_text("1", timeout=15_000)
        bell.click()
        item = page.get_by_test_id("notification-scorecard_ready")
        expect(item).to_contain_text("Sua avaliação está pronta")
        shot(page, "notification-bell")
        item.click()
        expect(page).to_have_url(re.compile(rf"/sessions/view/\?id={sid}$"))
        expect(page.get_by_test_id("scorecard")).to_be_visible()
        expect(page.get_by_test_id("notification-count")).to_have_count(0)

        # the manager reviews it: the bell rings again, and the email goes out on the schedule
        note = "Boa abertura; faltou propor a demonstração."
        api_as(people["manager"])(
            "PATCH",
            f"/api/v1/feedback/sessions/{sid}",
            json={"scores": {"closing": 80}, "note": note},
        )
        expect(page.get_by_test_id("notification-count")).to_have_text("1", timeout=15_000)
        sent = wait_until(lambda: messages(tmp_path / "mail-data"))
        assert [(m["to"], m["subject"]) for m in sent] == [
            (people["seller"].email, "Seu gestor revisou uma avaliação")
        ]
        assert note in sent[0]["text"] and f"/sessions/view/?id={sid}" in sent[0]["text"]

        # the notifications page: mark all read, and ask for scorecards by email too
        bell.click()
        page.get_by_role("link", name="Ver todas e preferências de e-mail").click()
        expect(page).to_have_url(re.compile(r"/notifications/$"))
        expect(page.get_by_role("link", name="Seu gestor revisou uma avaliação")).to_be_visible()
        page.get_by_role("button", name="Marcar todas como lidas").click()
        expect(page.get_by_test_id("notification-count")).to_have_count(0)
        scorecards = page.get_by_test_id("email-pref-scorecard_ready")
        expect(scorecards).not_to_be_checked()
        scorecards.check()
        page.get_by_role("button", name="Salvar").click()
        expect(page.get_by_role("status").filter(has_text="Preferências salvas.")).to_be_visible()
        page.reload()
        expect(page.get_by_test_id("email-pref-scorecard_ready")).to_be_checked()
        shot(page, "notifications-page")
    finally:
        timer.stop()
        timer.join(timeout=10)
        mail.stop()
        get_settings.cache_clear()
    # one review, one email: the schedule ran many times meanwhile and sent nothing twice
    assert len(messages(tmp_path / "mail-data")) == 1
