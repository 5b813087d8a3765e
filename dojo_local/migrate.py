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


class StaleDatabase(RuntimeError):
    """The database was migrated from files that are no longer in the tree."""


def migrate(url: str) -> list[str]:
    """Apply what has not been applied yet; returns the versions applied now (empty = no-op).

    Raises StaleDatabase when the database carries migrations the tree no longer has (the schema
    was rebaselined before any deploy): applying the new files on top would not give the schema
    they describe, so the local database must be recreated.
    """
    applied_now: list[str] = []
    files = migration_files()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(_TRACKING)
        done = {
            r[0] for r in conn.execute("select version from supabase_migrations.schema_migrations")
        }
        unknown = sorted(done - {version for version, _ in files})
        if unknown:
            raise StaleDatabase(
                f"this local database was built from migrations that no longer exist ({unknown[0]}"
                f"{' and more' if len(unknown) > 1 else ''}); recreate it with `dojo db reset`"
            )
        for version, path in files:
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
