"""The weekly manager digest: who is behind, who improved, the team's weakest category; one per
manager per ISO week however often (or however many at once) the schedule runs."""

from __future__ import annotations

import datetime as dt

from dojo_local.mailbox import messages
from onboarding import digest, sweeper
from tests.functions.onboarding.notify_kit import SCORES, graded_session, outbox

MONDAY = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)  # covers 2026-W49 (Nov 30 - Dec 6)


def test_the_week_covered_and_when_it_is_due():
    assert digest.covered_week(MONDAY, 11) == (
        "2026-W49",
        dt.datetime(2026, 11, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 7, tzinfo=dt.UTC),
    )
    assert digest.covered_week(MONDAY.replace(hour=10), 11) is None, "before the hour"
    assert digest.covered_week(MONDAY + dt.timedelta(days=1), 11)[0] == "2026-W49"
    assert digest.covered_week(MONDAY + dt.timedelta(days=2), 11) is None, "too late: stale"
    new_year = dt.datetime(2027, 1, 4, 11, tzinfo=dt.UTC)
    assert digest.covered_week(new_year, 11)[0] == "2026-W53"


def _team(make_user, sql):
    manager = make_user("Acme", "manager")
    admin = make_user("Acme", "admin")
    improver = make_user("Acme", "salesperson", email="ana@acme.com.br")
    steady = make_user("Acme", "salesperson", email="bruno@acme.com.br")
    idle = make_user("Acme", "salesperson", email="carla@acme.com.br")
    make_user("Lonely Co", "manager")  # no salespeople: no digest
    weak_discovery = {**SCORES, "discovery": {"score": 30}}
    graded_session(sql, improver, overall=60, created_at="2026-11-20T10:00Z")
    graded_session(sql, improver, overall=82, created_at="2026-12-02T10:00Z", scores=weak_discovery)
    graded_session(sql, steady, overall=70, created_at="2026-11-21T10:00Z")
    graded_session(sql, steady, overall=71, created_at="2026-12-03T10:00Z")
    graded_session(sql, idle, overall=50, created_at="2026-12-08T10:00Z")  # next week: not in it
    return manager, admin, improver, steady, idle


def test_each_manager_gets_one_digest_a_week_with_who_is_behind_and_who_improved(
    make_user, sql, mailserver, tmp_path
):
    manager, admin, *_ = _team(make_user, sql)
    assert digest.run(MONDAY) == 2
    rows = sql.execute(
        "select user_id, subject, subject_key, link from public.notifications"
        " where kind = 'weekly_digest' order by user_id"
    ).fetchall()
    assert {r["user_id"] for r in rows} == {manager.id, admin.id}
    subject = rows[0]["subject"]
    assert rows[0]["subject_key"] == "2026-W49" and rows[0]["link"] == "/manager/team/"
    assert subject["behind"] == ["carla@acme.com.br"]
    assert subject["improved"] == [{"name": "ana@acme.com.br", "from": 60.0, "to": 82.0}]
    assert subject["weakest"] == {"category": "discovery", "average": 37.5}
    assert subject["sessions"] == 2

    first = sweeper.notifications(MONDAY)
    assert first["digests"] == 0 and first["emails_sent"] == 2
    mails = messages(tmp_path)
    assert sorted(m["to"] for m in mails) == sorted([manager.email, admin.email])
    text = mails[0]["text"]
    assert mails[0]["subject"] == "Resumo semanal da equipe (2026-W49)"
    assert "- carla@acme.com.br" in text and "- ana@acme.com.br: 60 → 82" in text
    assert "Descoberta: 38" in text

    # the schedule runs again, later the same day and the next: nobody gets a second digest
    for later in (MONDAY, MONDAY + dt.timedelta(hours=3), MONDAY + dt.timedelta(days=1)):
        again = sweeper.notifications(later)
        assert again["digests"] == 0 and again["emails_claimed"] == 0
    assert len(messages(tmp_path)) == 2
    assert len(outbox(sql)) == 2


def test_two_schedules_at_once_make_one_digest_each(make_user, sql, db_url):
    from concurrent.futures import ThreadPoolExecutor

    _team(make_user, sql)
    with ThreadPoolExecutor(max_workers=2) as pool:
        made = list(pool.map(digest.run, [MONDAY, MONDAY]))
    assert sum(made) == 2
    count = sql.execute(
        "select count(*) as n from public.notifications where kind = 'weekly_digest'"
    ).fetchone()["n"]
    assert count == 2 and len(outbox(sql)) == 2


def test_a_manager_who_wants_no_digest_email_still_sees_it_in_the_bell(api, make_user, sql):
    manager, *_ = _team(make_user, sql)
    off = api.put(
        "/api/v1/notifications/preferences",
        headers=manager.headers,
        json={"items": [{"kind": "weekly_digest", "email": False}]},
    )
    assert off.status_code == 200
    digest.run(MONDAY)
    [item] = api.get("/api/v1/notifications", headers=manager.headers).json()["items"]
    assert item["kind"] == "weekly_digest"
    assert item["body"] == "1 atrás, 1 melhoraram; ponto fraco: Descoberta (38)."
    assert {r["recipient"] for r in outbox(sql)} == {
        r["id"]
        for r in sql.execute("select id from public.profiles where role = 'admin'").fetchall()
    }
