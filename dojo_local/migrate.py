"""Applies the local Supabase stand-ins, then the migrations, each once, in order."""

from __future__ import annotations

from pathlib import Path

import psycopg

from dojo_local.paths import LOCAL_SQL, MIGRATIONS

_TRACKING = """
create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (
  version text primary key,
  name text,
  applied_at timestamptz not null default now()
);
"""


def migration_files() -> list[tuple[str, Path]]:
    """(version, path) for the stand-ins then the migrations, in the order they apply."""
    local = [(f"local_{p.stem}", p) for p in sorted(LOCAL_SQL.glob("*.sql"))]
    migrations = [(p.stem.split("_", 1)[0], p) for p in sorted(MIGRATIONS.glob("*.sql"))]
    return local + migrations


def migrate(url: str) -> list[str]:
    """Apply what has not been applied yet; returns the versions applied now (empty = no-op)."""
    applied_now: list[str] = []
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(_TRACKING)
        done = {
            r[0] for r in conn.execute("select version from supabase_migrations.schema_migrations")
        }
        for version, path in migration_files():
            if version in done:
                continue
            with conn.transaction():
                conn.execute(path.read_text(encoding="utf-8"))
                conn.execute(
                    "insert into supabase_migrations.schema_migrations (version, name)"
                    " values (%s, %s)",
                    (version, path.stem),
                )
            applied_now.append(version)
    return applied_now


def configure_hooks(url: str, base_url: str, secret: str) -> None:
    """Point the Vault hook settings at the local gateway (production sets them in Vault)."""
    values = {
        "onboarding_hook_url": f"{base_url}/internal/onboarding/hook",
        "grading_hook_url": f"{base_url}/internal/grading/hook",
        "personas_hook_url": f"{base_url}/internal/personas/hook",
        "dojo_hook_secret": secret,
    }
    with psycopg.connect(url, autocommit=True) as conn:
        for name, value in values.items():
            conn.execute(
                "insert into vault.secrets (name, secret) values (%s, %s)"
                " on conflict (name) do update set secret = excluded.secret, updated_at = now()",
                (name, value),
            )
