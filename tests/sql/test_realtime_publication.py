"""The realtime migration adds documents and feedback to Supabase's publication, when it exists."""

from __future__ import annotations

from dojo_local.paths import MIGRATIONS

MIGRATION = MIGRATIONS / "20261201000900_realtime.sql"


def _published(sql) -> set[str]:
    rows = sql.execute(
        "select tablename from pg_publication_tables where pubname = 'supabase_realtime'"
    ).fetchall()
    return {r["tablename"] for r in rows}


def test_without_the_publication_nothing_is_created(sql):
    sql.execute(MIGRATION.read_text())
    found = sql.execute("select 1 from pg_publication where pubname = 'supabase_realtime'")
    assert found.fetchone() is None


def test_with_the_publication_both_tables_are_added_once(sql):
    sql.execute("create publication supabase_realtime for table public.companies")
    try:
        sql.execute(MIGRATION.read_text())
        assert _published(sql) == {"companies", "documents", "feedback"}
        sql.execute(MIGRATION.read_text())
        assert _published(sql) == {"companies", "documents", "feedback"}
    finally:
        sql.execute("drop publication supabase_realtime")
