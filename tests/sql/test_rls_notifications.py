"""Notifications behind the tenant wall, at the SQL level (as PostgREST would run them): each person
reads and marks only their own; nobody makes one, touches the outbox or calls the notify functions
through the Data API; the bell's table joins Supabase's Realtime publication once."""

from __future__ import annotations

import pytest

from dojo_local import accounts
from dojo_local.paths import MIGRATIONS
from tests.sql.test_rls_programme import Denied, run_as

MIGRATION = MIGRATIONS / "20261203000200_notifications.sql"


@pytest.fixture
def people(sql):
    made = {
        "seller": accounts.ensure_user(sql, "s@alfa.test", company="alfa", role="salesperson"),
        "manager": accounts.ensure_user(sql, "m@alfa.test", company="alfa", role="manager"),
        "stranger": accounts.ensure_user(sql, "s@beta.test", company="beta", role="admin"),
    }
    for who in ("seller", "stranger"):
        sql.execute(
            "select private.notify(%s, 'assigned', '{}'::jsonb, '/assignments/', 'k1')",
            (made[who],),
        )
    return made


def test_each_person_reads_and_marks_only_their_own(db_url, people):
    assert len(run_as(db_url, people["seller"], "select * from public.notifications")) == 1
    assert run_as(db_url, people["manager"], "select * from public.notifications") == []
    assert len(run_as(db_url, people["stranger"], "select * from public.notifications")) == 1
    marked = run_as(
        db_url, people["manager"], "update public.notifications set read_at = now() returning id"
    )
    assert marked == []
    with pytest.raises(Denied):
        run_as(db_url, people["seller"], "update public.notifications set kind = 'passed'")
    with pytest.raises(Denied):
        run_as(
            db_url,
            people["seller"],
            "insert into public.notifications (company_id, user_id, kind, subject_key, link)"
            " select company_id, id, 'passed', 'x', '/' from public.profiles",
        )


def test_the_outbox_and_the_notify_functions_are_out_of_reach(db_url, people):
    for query in (
        "select * from public.email_outbox",
        "select private.notify(auth.uid(), 'passed', '{}'::jsonb, '/x', 'y')",
        "select * from private.claim_emails(10, 60)",
        "select private.remind_due_soon(24)",
        "select private.assignment_subject(gen_random_uuid())",
    ):
        with pytest.raises(Denied):
            run_as(db_url, people["seller"], query)


def test_preferences_are_only_ones_own(db_url, people, sql):
    run_as(
        db_url,
        people["seller"],
        "insert into public.notification_preferences (user_id, company_id, kind, email)"
        " values (auth.uid(), private.company_id(), 'assigned', false)",
    )
    with pytest.raises(Exception, match="row-level security"):
        run_as(
            db_url,
            people["seller"],
            "insert into public.notification_preferences (user_id, company_id, kind, email)"
            " select id, company_id, 'assigned', false from public.profiles where id <> auth.uid()",
        )
    assert run_as(db_url, people["manager"], "select * from public.notification_preferences") == []


def test_the_bell_joins_the_realtime_publication_once(sql):
    sql.execute("create publication supabase_realtime for table public.companies")
    try:
        publish = MIGRATION.read_text().rsplit("do $$", 1)[1]  # the migration's last block
        for _ in range(2):
            sql.execute("do $$" + publish)
        rows = sql.execute(
            "select tablename from pg_publication_tables where pubname = 'supabase_realtime'"
        ).fetchall()
        assert sorted(r["tablename"] for r in rows) == ["companies", "notifications"]
    finally:
        sql.execute("drop publication supabase_realtime")


def test_a_notification_that_cannot_be_made_never_fails_its_event(sql, people):
    made = sql.execute(
        "select private.notify(%s, 'no_such_kind', '{}'::jsonb, '/x', 'k') as id"
        ", private.notify(%s, 'passed', '{}'::jsonb, 'https://evil.example/', 'k') as other",
        (people["seller"], people["seller"]),
    ).fetchone()
    assert made == {"id": None, "other": None}
