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
