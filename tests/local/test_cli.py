"""The `dojo` command: database management and tokens, in-process with typer's runner."""

from __future__ import annotations

from typer.testing import CliRunner

from dojo.auth import verify_token
from dojo_local import runtime
from dojo_local.cli import app

runner = CliRunner()


def test_token_prints_a_verifiable_token(world, db_url, sql):
    port = world.env.base_url.rsplit(":", 1)[1]
    result = runner.invoke(
        app,
        [
            "token",
            "--email",
            "Ana@Acme.com.br",
            "--company",
            "Acme CLI",
            "--role",
            "manager",
            "--port",
            port,
        ],
    )
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    runtime.apply_settings(world.env)
    principal = verify_token(token)
    assert principal.email == "ana@acme.com.br"
    # the access token hook's hints (for clients; authorization reads the present membership)
    assert principal.claims["user_role"] == "manager"
    company = sql.execute("select id from companies where name = 'Acme CLI'").fetchone()
    assert principal.token_company_id == company["id"]
    # idempotent: the same user and company again, no duplicates
    again = runner.invoke(
        app, ["token", "--email", "ana@acme.com.br", "--company", "Acme CLI", "--port", port]
    )
    assert again.exit_code == 0
    assert sql.execute("select count(*) as n from companies").fetchone()["n"] == 1
    runtime.apply_settings(world.env)


def test_token_rejects_an_unknown_role(world, db_url):
    result = runner.invoke(
        app, ["token", "--email", "a@b.com.br", "--company", "X", "--role", "boss"]
    )
    assert result.exit_code != 0


def test_db_status_and_migrate(world, db_url):
    status = runner.invoke(app, ["db", "status"])
    assert status.exit_code == 0 and "running" in status.output
    migrated = runner.invoke(app, ["db", "migrate"])
    assert migrated.exit_code == 0 and "up to date" in migrated.output


def test_mail_prints_what_the_local_smtp_server_received(tmp_path, monkeypatch):
    import json
    import smtplib
    from email.message import EmailMessage

    from dojo_local.mailbox import MailServer
    from dojo_local.server import free_port

    monkeypatch.setenv("DOJO_DATA_DIR", str(tmp_path))
    port = free_port()
    server = MailServer(tmp_path, port=port).start()
    try:
        for to in ("ana@acme.com.br", "bia@acme.com.br"):
            message = EmailMessage()
            message["From"], message["To"], message["Subject"] = "d@dojo.local", to, "Olá"
            message.set_content("Sua avaliação está pronta.")
            with smtplib.SMTP("127.0.0.1", port) as smtp:
                smtp.send_message(message)
    finally:
        server.stop()
    result = runner.invoke(app, ["mail"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert lines == [
        {"to": to, "subject": "Olá", "text": "Sua avaliação está pronta.\n"}
        for to in ("ana@acme.com.br", "bia@acme.com.br")
    ]
    only = runner.invoke(app, ["mail", "--to", "bia@acme.com.br"])
    assert [json.loads(line)["to"] for line in only.output.splitlines()] == ["bia@acme.com.br"]
