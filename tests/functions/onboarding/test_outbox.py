"""The scheduled email pass over real SMTP (aiosmtpd on loopback): each email sent once, leased,
with no connection held while sending; refusals retried or given up; a duplicate run sends nothing
twice; a crash mid-send never sends again."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from dojo.settings import get_settings
from dojo_local.mailbox import messages
from dojo_local.server import free_port
from onboarding import outbox as pass_
from onboarding import sweeper
from onboarding.store import outbox as store
from tests.functions.onboarding.notify_kit import graded_session, outbox


def review(sql, seller, manager, note="Faltou fechar o próximo passo.") -> None:
    """A manager's review of a new scorecard of `seller` (queues one email)."""
    session = graded_session(sql, seller)
    sql.execute(
        "update public.feedback set override_note = %s, overridden_by = %s, overridden_at = now()"
        " where session_id = %s",
        (note, manager.id, session),
    )


def test_the_pass_sends_each_email_once_over_smtp(make_user, sql, mailserver, tmp_path):
    seller = make_user("Acme", "salesperson")
    manager = make_user("Acme", "manager")
    review(sql, seller, manager)
    review(sql, seller, manager, note="Ótima abertura.")

    first = sweeper.notifications()
    assert first["emails_claimed"] == 2 and first["emails_sent"] == 2
    got = messages(tmp_path)
    assert [m["to"] for m in got] == [seller.email, seller.email]
    assert {m["subject"] for m in got} == {"Seu gestor revisou uma avaliação"}
    assert "Faltou fechar o próximo passo." in got[0]["text"]
    assert "/sessions/view/?id=" in got[0]["text"] and "<h2>" in got[0]["html"]
    rows = outbox(sql)
    assert [r["status"] for r in rows] == ["sent", "sent"]
    assert all(r["attempts"] == 1 and r["provider_message_id"] for r in rows)

    # the schedule runs again (and again): nothing more goes out
    for _ in range(2):
        assert sweeper.notifications()["emails_claimed"] == 0
    assert len(messages(tmp_path)) == 2


def test_two_passes_at_once_never_claim_the_same_email(make_user, sql, db_url):
    from dojo.db import service_transaction

    seller = make_user("Acme", "salesperson")
    manager = make_user("Acme", "manager")
    for _ in range(3):
        review(sql, seller, manager)
    with service_transaction() as one, service_transaction() as two:
        a = store.claim(one, 2, 300)
        b = store.claim(two, 10, 300)  # runs while the first still holds its rows
    assert len(a) == 2 and len(b) == 1
    assert {r["id"] for r in a}.isdisjoint({r["id"] for r in b})
    with service_transaction() as three:
        assert store.claim(three, 10, 300) == [], "leased rows are nobody else's"


def test_a_pass_that_died_mid_send_is_never_sent_again(make_user, sql, mailserver, tmp_path):
    from dojo.db import service_transaction

    seller = make_user("Acme", "salesperson")
    manager = make_user("Acme", "manager")
    review(sql, seller, manager)
    with service_transaction() as conn:
        [leased] = store.claim(conn, 10, 300)
    # ... the sender crashed after claiming; its lease runs out
    sql.execute("update public.email_outbox set leased_until = now() - interval '1 second'")
    summary = sweeper.notifications()
    assert summary["emails_claimed"] == 0
    [row] = outbox(sql)
    assert row["status"] == "unknown" and row["attempts"] == 1
    assert messages(tmp_path) == []
    # the dead pass wakes up and reports: its lease is gone, nothing changes
    with service_transaction() as conn:
        outcome = store.finish(
            conn,
            leased["id"],
            leased["lease_token"],
            message_id="late",
            error=None,
            retry=False,
            max_attempts=5,
        )
    assert outcome == "lost_lease"
    assert outbox(sql)[0]["status"] == "unknown"


class Refusing:
    """An SMTP server that answers DATA with a fixed reply (4xx: try later; 5xx: never)."""

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.seen = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.seen += 1
        return self.reply


@pytest.fixture
def refusing(monkeypatch, db_url):
    started: list[Controller] = []

    def start(reply: str) -> Refusing:
        handler = Refusing(reply)
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)
        monkeypatch.setenv("DOJO_SMTP_PORT", str(port))
        monkeypatch.setenv("DOJO_EMAIL_PROVIDER", "smtp")
        get_settings.cache_clear()
        return handler

    yield start
    for controller in started:
        controller.stop()
    get_settings.cache_clear()


def test_a_transient_refusal_is_retried_later_then_sent(make_user, sql, refusing, tmp_path):
    seller = make_user("Acme", "salesperson")
    manager = make_user("Acme", "manager")
    review(sql, seller, manager)
    busy = refusing("451 4.3.0 try again later")
    assert pass_.deliver().outcomes == {"pending": 1}
    [row] = outbox(sql)
    assert busy.seen == 1 and row["status"] == "pending" and row["attempts"] == 1
    assert "451" in row["last_error"]
    assert pass_.deliver().claimed == 0, "it waits for its backoff"

    from dojo_local.mailbox import MailServer

    port = free_port()
    good = MailServer(tmp_path, port=port).start()
    try:
        import os

        os.environ["DOJO_SMTP_PORT"] = str(port)
        get_settings.cache_clear()
        sql.execute("update public.email_outbox set next_attempt_at = now()")
        assert pass_.deliver().outcomes == {"sent": 1}
    finally:
        good.stop()
    [row] = outbox(sql)
    assert row["status"] == "sent" and row["attempts"] == 2 and row["last_error"] is None
    assert len(messages(tmp_path)) == 1


def test_a_final_refusal_or_running_out_of_attempts_gives_up(make_user, sql, refusing):
    seller = make_user("Acme", "salesperson")
    manager = make_user("Acme", "manager")
    review(sql, seller, manager)
    rejecting = refusing("550 5.1.1 no such mailbox")
    assert pass_.deliver().outcomes == {"failed": 1}
    sql.execute("update public.email_outbox set next_attempt_at = now()")
    assert pass_.deliver().claimed == 0 and rejecting.seen == 1

    review(sql, seller, manager)
    busy = refusing("421 4.7.0 busy")
    attempts = get_settings().email_max_attempts
    for _ in range(attempts + 2):
        sql.execute("update public.email_outbox set next_attempt_at = now()")
        pass_.deliver()
    assert busy.seen == attempts
    assert [r["status"] for r in outbox(sql)] == ["failed", "failed"]


def test_nobody_listening_is_transient_and_no_secret_is_logged(
    make_user, sql, monkeypatch, db_url, capsys
):
    seller = make_user("Acme", "salesperson")
    manager = make_user("Acme", "manager")
    review(sql, seller, manager)
    password = "s3cr3t-smtp-password"
    monkeypatch.setenv("DOJO_SMTP_PORT", str(free_port()))
    monkeypatch.setenv("DOJO_SMTP_USERNAME", "dojo")
    monkeypatch.setenv("DOJO_SMTP_PASSWORD", password)
    get_settings.cache_clear()
    monkeypatch.setenv("DOJO_LOG_LEVEL", "DEBUG")
    get_settings.cache_clear()
    capsys.readouterr()
    result = sweeper.notifications()
    logs = capsys.readouterr().out
    get_settings.cache_clear()
    assert result["emails_pending"] == 1
    [row] = outbox(sql)
    assert row["status"] == "pending" and "could not be reached" in row["last_error"]
    assert "email not sent" in logs and "could not be reached" in logs
    assert password not in logs + json.dumps(result) + str(row)
    assert seller.email not in logs, "addresses stay out of the logs"


def test_the_pass_sends_through_amazon_ses_when_configured(make_user, sql, monkeypatch, db_url):
    from moto import mock_aws
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    seller = make_user("Acme", "salesperson")
    manager = make_user("Acme", "manager")
    sql.execute("update public.companies set locale = 'en-US' where id = %s", (seller.company_id,))
    review(sql, seller, manager, note="Great opening.")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("DOJO_EMAIL_PROVIDER", "ses")
    monkeypatch.setenv("DOJO_SES_REGION", "us-east-2")
    monkeypatch.setenv("DOJO_EMAIL_FROM", "Dojo <no-reply@acme.test>")
    get_settings.cache_clear()
    from dojo.providers.email import EMAIL, SesSender

    EMAIL.register("ses", SesSender)  # a fresh client inside the mock
    try:
        with mock_aws():
            import boto3

            boto3.client("sesv2", region_name="us-east-2").create_email_identity(
                EmailIdentity="no-reply@acme.test"
            )
            assert sweeper.notifications()["emails_sent"] == 1
            assert sweeper.notifications()["emails_claimed"] == 0
            sent = ses_backends[DEFAULT_ACCOUNT_ID]["us-east-2"].sent_messages
            assert len(sent) == 1
            assert sent[0].subject == "Your manager reviewed a scorecard"
            assert sent[0].destinations == {"ToAddresses": [seller.email]}
    finally:
        get_settings.cache_clear()
    [row] = outbox(sql)
    assert row["status"] == "sent" and row["provider_message_id"] == sent[0].id
