"""The `dojo` command: the local database, tokens, the dev server and the demo."""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
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
    smtp_port: Annotated[int, typer.Option(help="port of the local SMTP server")] = 2525,
    schedule_seconds: Annotated[
        float, typer.Option(help="seconds between runs of the scheduled passes (emails, digests)")
    ] = 10.0,
) -> None:
    """Serve all five functions on one origin, with the trigger dispatcher, the schedule and a
    local SMTP server (its messages: `dojo mail`) running."""
    from dojo_local.mailbox import MailServer
    from dojo_local.schedule import Schedule
    from dojo_local.server import serve_forever

    os.environ["DOJO_EMAIL_PROVIDER"] = "smtp"
    os.environ["DOJO_SMTP_HOST"] = "127.0.0.1"
    os.environ["DOJO_SMTP_PORT"] = str(smtp_port)
    env = runtime.prepare(f"http://{host}:{port}")
    mail = MailServer(env.base, port=smtp_port).start()
    worker = dispatcher.Dispatcher(env.database_url)
    worker.start()
    timer = Schedule(schedule_seconds)
    timer.start()
    console.print(
        f"[bold]Sales AI Dojo[/] on {env.base_url}  (data: {env.base};"
        f" SMTP on 127.0.0.1:{smtp_port}, read it with `dojo mail`)"
    )
    try:
        serve_forever(host, port)
    finally:
        timer.stop()
        worker.stop()
        mail.stop()


@app.command()
def mail(
    to: Annotated[str, typer.Option(help="only messages to this address")] = "",
) -> None:
    """Print the emails the local SMTP server received, one JSON object a line."""
    from dojo_local.mailbox import messages

    for message in messages(data_dir()):
        if to and message["to"] != to:
            continue
        line = {"to": message["to"], "subject": message["subject"], "text": message["text"]}
        typer.echo(json.dumps(line, ensure_ascii=False))


@app.command()
def openapi(
    check: Annotated[
        bool, typer.Option("--check", help="fail when web/openapi.json is stale, write nothing")
    ] = False,
) -> None:
    """Write the merged OpenAPI of the five functions (template routes only) to web/openapi.json."""
    from dojo_local import openapi as merged

    if check:
        if not merged.is_current():
            err.print(f"{merged.OUTPUT} is stale: run `dojo openapi` (or `make web`)")
            raise typer.Exit(1)
        console.print(f"{merged.OUTPUT} is current")
        return
    changed = merged.write()
    console.print(f"{'wrote' if changed else 'unchanged'}: {merged.OUTPUT}")


# Sweepers `dojo sweep` runs, in order: (name, "module:function") inside functions/.
SWEEPERS: list[tuple[str, str]] = [
    ("onboarding", "onboarding.sweeper:sweep"),  # its notifications pass included
    ("grading", "grading.sweeper:sweep"),
    ("personas", "personas.sweeper:sweep"),
]


@app.command()
def sweep() -> None:
    """Run the functions' sweepers once (what the production schedules do)."""
    import importlib

    from dojo_local.paths import FUNCTIONS

    runtime.prepare()
    if str(FUNCTIONS) not in sys.path:
        sys.path.insert(0, str(FUNCTIONS))
    for name, target in SWEEPERS:
        module, _, function = target.partition(":")
        result = getattr(importlib.import_module(module), function)()
        console.print(f"[bold]{name}[/]: {json.dumps(result, default=str)}")


def _manager_headers(env: runtime.LocalEnv, company: str, email: str) -> dict[str, str]:
    """Authorization for a manager of `company` (created when missing)."""
    import psycopg

    slug = re.sub(r"[^a-z0-9]+", "-", company.lower()).strip("-") or "company"
    uploader = email or f"ingest@{slug}.local"
    with psycopg.connect(env.database_url, autocommit=True) as conn:
        accounts.ensure_user(conn, uploader, company=company, role="manager")
    token = accounts.issue_token(env.database_url, uploader, env.issuer)
    return {"authorization": f"Bearer {token}"}


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files to upload", exists=True)],
    company: Annotated[str, typer.Option(help="company name (created when missing)")],
    email: Annotated[str, typer.Option(help="the uploading manager (created when missing)")] = "",
) -> None:
    """Upload files into a company's knowledge base, through the real API, with progress."""
    from rich.progress import BarColumn, Progress, TaskID, TextColumn

    from dojo_local import ingest as local_ingest
    from dojo_local.server import BackgroundServer, free_port

    files = [p for path in paths for p in (sorted(path.iterdir()) if path.is_dir() else [path])]
    port = free_port()
    env = runtime.prepare(f"http://127.0.0.1:{port}")
    headers = _manager_headers(env, company, email)
    server = BackgroundServer(port=port).start()
    failed = 0
    try:
        import httpx

        with (
            httpx.Client(base_url=server.url, timeout=120) as http,
            Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[state]}"),
                console=console,
            ) as progress,
        ):
            tasks: dict[str, TaskID] = {}
            for path in files:
                doc = local_ingest.upload(http, headers, path)
                if "id" not in doc:
                    failed += 1
                    progress.add_task(path.name, total=1, state=f"[red]refused: {doc['error']}")
                    continue
                tasks[doc["id"]] = progress.add_task(path.name, total=1, state="pending")

            def show(rows: list[dict[str, object]]) -> None:
                for row in rows:
                    state = str(row["status"])
                    if state == "ready":
                        state = f"[green]ready[/] {row['chunk_count']} chunks"
                    elif state == "failed":
                        state = f"[red]failed: {row['error']}[/]"
                    finished = row["status"] in local_ingest.DONE
                    done = 1.0 if finished else float(str(row["progress"]))
                    progress.update(tasks[str(row["id"])], completed=done, state=state)

            rows = local_ingest.wait(env.database_url, list(tasks), show)
            failed += sum(1 for r in rows if r["status"] != "ready")
    finally:
        server.stop()
    if failed:
        raise typer.Exit(1)


@app.command()
def demo(
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
) -> None:
    """Run the product end to end on the embedded database, no accounts or keys needed."""
    from dojo_local.demo import run_demo
    from dojo_local.demo_print import print_summary

    # the functions' JSON logs go to stderr: stdout carries only the summary
    with contextlib.redirect_stdout(sys.stderr):
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
    """Build the layer's zip and each function's offline (what `sam build` ships, for this host)."""
    from pathlib import Path

    from dojo_local import package as packaging

    for built in packaging.build_all(Path(out), flow or None):
        console.print(
            f"{built.name:<11} {built.zipped_bytes / 2**20:6.1f} MiB zipped  "
            f"{built.unzipped_bytes / 2**20:6.1f} MiB unzipped  {built.files} files  {built.path}"
        )


def main() -> None:
    """Entry point of `dojo` and `python -m dojo_local`."""
    os.environ.setdefault("DOJO_DATA_DIR", str(data_dir()))
    try:
        app()
    except migrate.StaleDatabase as exc:
        err.print(f"[red]{exc}[/red]")
        sys.exit(1)
