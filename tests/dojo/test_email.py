"""The email capability: SMTP (against a real aiosmtpd server on loopback, with AUTH) and Amazon
SES's v2 API (moto), each saying whether a refusal is worth another try."""

from __future__ import annotations

from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from dojo.providers import email as provider
from dojo.providers.email import Email, EmailRefused, SesSender, SmtpSender
from dojo.settings import get_settings
from dojo_local.mailbox import MailServer, messages
from dojo_local.server import free_port

# the AUTH test runs on loopback without TLS on purpose
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

MESSAGE = Email(
    to="ana@acme.com.br",
    subject="Tarefa vence amanhã",
    text="Olá, Ana.\nA tarefa vence amanhã.\n",
    html="<p>Olá, Ana.</p>",
    reference="row-1",
)


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch):
    def apply(**values: str) -> None:
        for key, value in values.items():
            monkeypatch.setenv(f"DOJO_{key.upper()}", value)
        get_settings.cache_clear()

    yield apply
    get_settings.cache_clear()


def test_smtp_delivers_text_and_html_with_utf8(tmp_path, settings_env):
    port = free_port()
    server = MailServer(tmp_path, port=port).start()
    try:
        settings_env(
            email_provider="smtp", smtp_port=str(port), email_from="Dojo <no-reply@acme.test>"
        )
        message_id = provider.send(MESSAGE)
    finally:
        server.stop()
    [got] = messages(tmp_path)
    assert got["to"] == "ana@acme.com.br"
    assert got["subject"] == "Tarefa vence amanhã"
    assert got["text"] == MESSAGE.text
    assert got["html"].strip() == MESSAGE.html
    assert got["from"] == "Dojo <no-reply@acme.test>"
    assert got["message_id"] == message_id and message_id.endswith("@acme.test>")
    assert got["reference"] == "row-1"


class _Recorder:
    def __init__(self) -> None:
        self.logins: list[tuple[str, str]] = []
        self.received = 0

    def __call__(self, *args: Any) -> AuthResult:
        data = args[-1]  # (server, session, envelope, mechanism, login data)
        login, password = data.login.decode(), data.password.decode()  # loopback test only
        self.logins.append((login, password))
        # handled=False: aiosmtpd answers the client itself (235 or 535)
        return AuthResult(success=password == "right", handled=False)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received += 1
        return "250 OK"


@pytest.fixture
def auth_server():
    recorder = _Recorder()
    port = free_port()
    controller = Controller(
        recorder,
        hostname="127.0.0.1",
        port=port,
        authenticator=recorder,
        auth_require_tls=False,
        auth_required=True,
    )
    controller.start()
    yield recorder, port
    controller.stop()


def test_smtp_logs_in_when_a_user_is_set_and_a_wrong_password_is_final(auth_server, settings_env):
    recorder, port = auth_server
    settings_env(smtp_port=str(port), smtp_username="dojo", smtp_password="right")
    SmtpSender().send(MESSAGE)
    assert recorder.logins == [("dojo", "right")] and recorder.received == 1

    settings_env(smtp_password="wrong")
    with pytest.raises(EmailRefused) as refused:
        SmtpSender().send(MESSAGE)
    assert not refused.value.transient
    assert "wrong" not in str(refused.value) and "535" in str(refused.value)
    assert recorder.received == 1


@pytest.fixture
def ses(monkeypatch: pytest.MonkeyPatch, settings_env):
    from moto import mock_aws

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    settings_env(
        email_provider="ses", ses_region="sa-east-1", email_from="Dojo <no-reply@acme.test>"
    )
    with mock_aws():
        import boto3

        client = boto3.client("sesv2", region_name="sa-east-1")
        yield client


def _sent(region: str = "sa-east-1") -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID][region].sent_messages)


def test_ses_sends_through_sesv2(ses):
    ses.create_email_identity(EmailIdentity="no-reply@acme.test")
    message_id = SesSender().send(MESSAGE)
    [sent] = _sent()
    assert sent.id == message_id
    assert sent.subject == "Tarefa vence amanhã"
    assert sent.destinations == {"ToAddresses": ["ana@acme.com.br"]}
    assert sent.source == "Dojo <no-reply@acme.test>"


def test_ses_rejection_is_final_and_throttling_is_transient(ses):
    with pytest.raises(EmailRefused) as rejected:  # the sender is not a verified identity
        SesSender().send(MESSAGE)
    assert not rejected.value.transient and "MessageRejected" in str(rejected.value)

    from botocore.stub import Stubber

    sender = SesSender()
    client = sender._client()
    with Stubber(client) as stub:
        stub.add_client_error("send_email", "TooManyRequestsException", http_status_code=429)
        with pytest.raises(EmailRefused) as throttled:
            sender.send(MESSAGE)
    assert throttled.value.transient
    assert _sent() == []


def test_the_provider_is_chosen_by_the_settings(settings_env):
    settings_env(email_provider="smtp")
    assert isinstance(provider.EMAIL.get(), SmtpSender)
    settings_env(email_provider="ses")
    assert isinstance(provider.EMAIL.get(), SesSender)
