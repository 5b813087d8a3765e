"""Migrations: tracked (applying twice is a no-op) and safe to push to a real Supabase project."""

from __future__ import annotations

import re

import psycopg
import pytest

from dojo_local import migrate
from dojo_local.paths import MIGRATIONS

SUPABASE_SCHEMAS = (
    "auth",
    "storage",
    "net",
    "vault",
    "extensions",
    "supabase_functions",
    "realtime",
)
SUPABASE_ROLES = (
    "anon",
    "authenticated",
    "service_role",
    "authenticator",
    "postgres",
    "supabase_auth_admin",
    "supabase_admin",
    "supabase_storage_admin",
)


def test_applying_twice_is_a_noop(db_url):
    assert migrate.migrate(db_url) == []
    with psycopg.connect(db_url) as conn:
        applied = conn.execute("select count(*) from supabase_migrations.schema_migrations")
        assert applied.fetchone()[0] == len(migrate.migration_files())


def test_fresh_database_applies_everything_in_order(tmp_path):
    from dojo_local import pg

    url = pg.start(tmp_path)
    try:
        applied = migrate.migrate(url)
        versions = [v for v, _ in migrate.migration_files()]
        assert applied == versions
        assert all(
            v.startswith("local_")
            for v in versions[: len(list(MIGRATIONS.parent.joinpath("local").glob("*.sql")))]
        )
        assert migrate.migrate(url) == []
        assert pg.stop(tmp_path) is True
        assert pg.uri_if_running(tmp_path) is None
        assert pg.stop(tmp_path) is False
    finally:
        pg.destroy(tmp_path)


def _statements(sql: str) -> list[str]:
    without_comments = re.sub(r"--[^\n]*", "", sql)
    return [s.strip().lower() for s in without_comments.split(";") if s.strip()]


def test_migrations_never_create_or_alter_supabase_owned_schemas_or_roles():
    schema = "|".join(SUPABASE_SCHEMAS)
    role = "|".join(SUPABASE_ROLES)
    forbidden = [
        rf"\b(create|alter|drop)\s+schema\s+(if\s+(not\s+)?exists\s+)?({schema})\b",
        rf"\b(create|alter|drop)\s+role\s+(if\s+(not\s+)?exists\s+)?({role})\b",
        rf"\b(create|alter|drop)\s+(table|view|type|sequence)\s+(if\s+(not\s+)?exists\s+)?({schema})\.",
        r"\bcreate\s+(or\s+replace\s+)?function\s+(auth|storage|net|vault)\.",
        r"\bcreate\s+role\b",
        r"\balter\s+database\b",
    ]
    for path in sorted(MIGRATIONS.glob("*.sql")):
        for statement in _statements(path.read_text()):
            for pattern in forbidden:
                assert not re.search(pattern, statement), f"{path.name}: {statement[:120]}"


def test_every_public_table_has_rls(sql):
    rows = sql.execute(
        "select c.relname, c.relrowsecurity from pg_class c join pg_namespace n"
        " on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r'"
    ).fetchall()
    assert rows
    assert [r["relname"] for r in rows if not r["relrowsecurity"]] == []


def test_security_definer_functions_pin_their_search_path(sql):
    rows = sql.execute(
        "select p.proname, p.proconfig from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
        " where n.nspname in ('public', 'private') and p.prosecdef"
    ).fetchall()
    assert rows
    for row in rows:
        assert any(c.startswith("search_path=") for c in row["proconfig"] or []), row["proname"]


# Extensions Supabase installs and manages itself (enabled from the dashboard, in their own
# schemas); a migration creating one would fail or fight the platform.
SUPABASE_MANAGED_EXTENSIONS = (
    "pg_net",
    "supabase_vault",
    "pgsodium",
    "pg_graphql",
    "pg_stat_statements",
    "pgjwt",
    "pg_cron",
)


def test_extensions_go_to_the_extensions_schema_and_leave_managed_ones_alone():
    managed = "|".join(SUPABASE_MANAGED_EXTENSIONS)
    for path in sorted(MIGRATIONS.glob("*.sql")):
        for statement in _statements(path.read_text()):
            if not re.match(r"create\s+extension\b", statement):
                continue
            assert not re.search(
                rf"\bextension\s+(if\s+not\s+exists\s+)?({managed})\b", statement
            ), f"{path.name}: enable Supabase-managed extensions in the dashboard: {statement}"
            assert re.search(r"\bwith\s+schema\s+extensions\b", statement), (
                f"{path.name}: extensions live in the `extensions` schema: {statement}"
            )


def test_no_index_or_ownership_change_on_supabase_tables():
    """Supabase owns auth.* and storage.*: policies and triggers on them work, indexes do not."""
    schema = "|".join(SUPABASE_SCHEMAS)
    forbidden = [
        rf"\bcreate\s+(unique\s+)?index\b[^;]*\bon\s+(only\s+)?({schema})\.",
        rf"\balter\s+(function|table|view)\s+({schema})\.[^;]*\bowner\s+to\b",
        rf"\b(drop)\s+(function|trigger|policy|index)\s+(if\s+exists\s+)?({schema})\.",
    ]
    for path in sorted(MIGRATIONS.glob("*.sql")):
        for statement in _statements(path.read_text()):
            for pattern in forbidden:
                assert not re.search(pattern, statement), f"{path.name}: {statement[:120]}"


def test_migration_names_are_supabase_cli_versions_and_unique():
    names = [p.name for p in sorted(MIGRATIONS.glob("*.sql"))]
    assert names
    for name in names:
        assert re.fullmatch(r"\d{14}_[a-z0-9_]+\.sql", name), name
    versions = [name.split("_", 1)[0] for name in names]
    assert len(versions) == len(set(versions)), "two migrations share a version"


def test_a_database_built_from_removed_migrations_is_told_to_reset(db_url):
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(
            "insert into supabase_migrations.schema_migrations (version, name)"
            " values ('20261126000100', '20261126000100_foundation')"
        )
        try:
            with pytest.raises(migrate.StaleDatabase, match="dojo db reset"):
                migrate.migrate(db_url)
        finally:
            conn.execute(
                "delete from supabase_migrations.schema_migrations where version = '20261126000100'"
            )
    assert migrate.migrate(db_url) == []


def test_each_sql_function_is_defined_once_across_migrations():
    defined: dict[str, list[str]] = {}
    for path in sorted(MIGRATIONS.glob("*.sql")):
        for name in re.findall(
            r"create\s+(?:or\s+replace\s+)?function\s+([\w.]+)\s*\(", path.read_text(), re.I
        ):
            defined.setdefault(name.lower(), []).append(path.name)
    assert {k: v for k, v in defined.items() if len(v) > 1} == {}
