"""The `dojo` command: the local database, tokens, the dev server and the demo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Annotated

import typer
from rich.console import Console

from dojo_local import accounts, dispatcher, migrate, pg, runtime
from dojo_local.paths import data_dir

app = typer.Typer(help="Sales AI Dojo: the local runtime.", no_args_is_help=True)
db_app = typer.Typer(help="The embedded PostgreSQL database.", no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console()
err = Console(stderr=True)


@db_app.command("start")
def db_start() -> None:
    """Start the embedded database (it keeps running after this command)."""
    console.print(f"database running: {pg.start()}")


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded database."""
    console.print("database stopped" if pg.stop() else "database was not running")


@db_app.command("status")
def db_status() -> None:
    """Say whether the embedded database runs, and where."""
    uri = pg.uri_if_running()
    console.print(f"running: {uri}" if uri else f"stopped (data in {pg.pgdata()})")
    if uri is None:
        raise typer.Exit(1)


@db_app.command("migrate")
def db_migrate() -> None:
    """Apply the local Supabase stand-ins and the migrations (each once)."""
    applied = migrate.migrate(pg.start())
    console.print(f"applied {len(applied)}: {', '.join(applied)}" if applied else "up to date")


@db_app.command("reset")
def db_reset(yes: Annotated[bool, typer.Option("--yes", help="do not ask")] = False) -> None:
    """Delete the local database and create it again, migrated."""
    if not yes:
        typer.confirm(f"delete the database in {pg.pgdata()}?", abort=True)
    pg.destroy()
    applied = migrate.migrate(pg.start())
    console.print(f"database reset; applied {len(applied)} migrations")


@db_app.command("psql", context_settings={"allow_extra_args": True})
def db_psql(ctx: typer.Context) -> None:
    """Open psql on the embedded database (extra arguments go to psql)."""
    uri = pg.start()
    raise typer.Exit(subprocess.call([str(pg.psql_path()), uri, *ctx.args]))  # noqa: S603


@app.command()
def token(
    email: Annotated[str, typer.Option(help="the user's email")],
    company: Annotated[str, typer.Option(help="company name (created when missing)")],
    role: Annotated[str, typer.Option(help="salesperson, manager or admin")] = "salesperson",
    ttl: Annotated[int, typer.Option(help="seconds until the token expires")] = 3600,
    port: Annotated[int, typer.Option(help="the port `dojo dev` serves on")] = 8000,
) -> None:
    """Print a valid access token (creating the company, user and profile when missing)."""
    if role not in ("salesperson", "manager", "admin"):
        raise typer.BadParameter("role must be salesperson, manager or admin")
    env = runtime.prepare(f"http://127.0.0.1:{port}")
    import psycopg

    with psycopg.connect(env.database_url, autocommit=True) as conn:
        accounts.ensure_user(conn, email, company=company, role=role)
    typer.echo(accounts.issue_token(env.database_url, email, env.issuer, ttl))


@app.command()
def dev(
    port: Annotated[int, typer.Option(help="port to serve on")] = 8000,
    host: Annotated[str, typer.Option(help="address to bind")] = "127.0.0.1",
) -> None:
    """Serve all five functions on one origin, with the trigger dispatcher running."""
    from dojo_local.server import serve_forever

    env = runtime.prepare(f"http://{host}:{port}")
    worker = dispatcher.Dispatcher(env.database_url)
    worker.start()
    console.print(f"[bold]Sales AI Dojo[/] on {env.base_url}  (data: {env.base})")
    try:
        serve_forever(host, port)
    finally:
        worker.stop()


@app.command()
def demo(
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
) -> None:
    """Run the product end to end on the embedded database, no accounts or keys needed."""
    from dojo_local.demo import print_summary, run_demo

    summary = run_demo(quiet=as_json)
    if as_json:
        typer.echo(json.dumps(summary, indent=2, ensure_ascii=False, default=str))
    else:
        print_summary(console, summary)


@app.command()
def package(
    out: Annotated[str, typer.Option(help="where the zips and manifest.json go")] = "build",
    flow: Annotated[list[str] | None, typer.Option(help="only this function (repeatable)")] = None,
) -> None:
    """Build each function's deployment zip offline (its folder + the layer + its dependencies)."""
    from pathlib import Path

    from dojo_local import package as packaging

    for built in packaging.build_all(Path(out), flow or list(packaging.FLOWS)):
        console.print(
            f"{built.flow:<11} {built.zipped_bytes / 2**20:6.1f} MiB zipped  "
            f"{built.unzipped_bytes / 2**20:6.1f} MiB unzipped  {built.files} files  {built.path}"
        )


def main() -> None:
    """Entry point used by `python -m dojo_local`."""
    os.environ.setdefault("DOJO_DATA_DIR", str(data_dir()))
    app()
    sys.exit(0)
