"""The programme's tables behind the tenant wall, at the SQL level (as PostgREST would run them):
a salesperson sees their own assignments, states and certifications; managers their company's;
nobody writes a state, and no one sees another company's programme."""

from __future__ import annotations

import json
import uuid
from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row

from dojo_local import accounts

TABLES = (
    "assignments",
    "assignment_assignees",
    "assignment_transitions",
    "certifications",
    "certification_assignments",
    "certification_holders",
)


class Denied(Exception):
    pass


def _claims(user: uuid.UUID) -> dict[str, Any]:
    return {"sub": str(user), "role": "authenticated", "aud": "authenticated"}


def run_as(db_url: str, user: uuid.UUID, query: str, *params: Any) -> list[dict[str, Any]]:
    """One statement as role `authenticated` with the user's claims, rolled back."""
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        try:
            with conn.transaction(force_rollback=True):
                conn.execute(
                    "select set_config('role', 'authenticated', true),"
                    " set_config('request.jwt.claims', %s, true)",
                    (json.dumps(_claims(user)),),
                )
                cur = conn.execute(query, params)
                return cur.fetchall() if cur.description else [{}] * cur.rowcount
        except psycopg.errors.InsufficientPrivilege as exc:
            raise Denied(str(exc)) from exc


def _company(sql: Any, name: str) -> dict[str, Any]:
    people = {
        "manager": accounts.ensure_user(sql, f"m@{name}.test", company=name, role="manager"),
        "s1": accounts.ensure_user(sql, f"s1@{name}.test", company=name, role="salesperson"),
        "s2": accounts.ensure_user(sql, f"s2@{name}.test", company=name, role="salesperson"),
    }
    company = sql.execute(
        "select company_id from public.profiles where id = %s", (people["manager"],)
    ).fetchone()["company_id"]
    assignment = sql.execute(
        "insert into public.assignments (company_id, difficulty, due_at, pass_mark)"
        " values (%s, 'easy', now() + interval '3 days', 70) returning id",
        (company,),
    ).fetchone()["id"]
    sql.execute(
        "insert into public.assignment_assignees (assignment_id, company_id, user_id)"
        " values (%s, %s, %s)",
        (assignment, company, people["s1"]),
    )
    cert = sql.execute(
        "insert into public.certifications (company_id, name) values (%s, 'Nível 1') returning id",
        (company,),
    ).fetchone()["id"]
    sql.execute(
        "insert into public.certification_assignments (certification_id, assignment_id,"
        " company_id) values (%s, %s, %s)",
        (cert, assignment, company),
    )
    sql.execute(
        "insert into public.certification_holders (certification_id, company_id, user_id,"
        " certified_at) values (%s, %s, %s, now())",
        (cert, company, people["s1"]),
    )
    return {"company": company, "assignment": assignment, "cert": cert, **people}


@pytest.fixture
def world2(sql) -> tuple[dict[str, Any], dict[str, Any]]:
    return _company(sql, "alfa"), _company(sql, "beta")


def _count(db_url, user, table) -> int:
    return len(run_as(db_url, user, f"select 1 from public.{table}"))


def test_visibility_by_role(db_url, world2):
    mine, theirs = world2
    for table in TABLES:
        # managers: their company's rows only (one of each per company here)
        assert _count(db_url, mine["manager"], table) == 1, table
        assert _count(db_url, theirs["manager"], table) == 1, table
    assert _count(db_url, mine["s1"], "assignments") == 1
    assert _count(db_url, mine["s1"], "assignment_assignees") == 1
    assert _count(db_url, mine["s1"], "certification_holders") == 1
    # s2 was not assigned: no assignment, no state, no one else's certification
    for table in (
        "assignments",
        "assignment_assignees",
        "assignment_transitions",
        "certification_holders",
    ):
        assert _count(db_url, mine["s2"], table) == 0, table
    # everyone in the company sees which certifications exist
    assert _count(db_url, mine["s2"], "certifications") == 1
    other = run_as(
        db_url,
        mine["manager"],
        "select 1 from public.assignments where id = %s",
        theirs["assignment"],
    )
    assert other == []


def test_nobody_writes_a_state_or_someone_elses_programme(db_url, world2):
    mine, theirs = world2
    for who in ("manager", "s1"):
        with pytest.raises(Denied):
            run_as(db_url, mine[who], "update public.assignment_assignees set status = 'passed'")
        with pytest.raises(Denied):
            run_as(db_url, mine[who], "update public.certification_holders set expires_at = null")
        with pytest.raises(Denied):
            run_as(
                db_url,
                mine[who],
                "select private.decide_assignee(%s, %s)",
                mine["assignment"],
                mine["s1"],
            )
    # a salesperson cannot assign, nor assign themselves
    with pytest.raises(Denied):
        run_as(
            db_url,
            mine["s1"],
            "insert into public.assignments (company_id, difficulty, due_at, pass_mark,"
            " created_by) values (%s, 'easy', now() + interval '1 day', 1, %s)",
            mine["company"],
            mine["s1"],
        )
    with pytest.raises(Denied):
        run_as(
            db_url,
            mine["s2"],
            "insert into public.assignment_assignees (assignment_id, company_id, user_id)"
            " values (%s, %s, %s)",
            mine["assignment"],
            mine["company"],
            mine["s2"],
        )
    # a manager cannot write into another company, nor touch its rows
    with pytest.raises(Denied):
        run_as(
            db_url,
            mine["manager"],
            "insert into public.assignments (company_id, difficulty, due_at, pass_mark,"
            " created_by) values (%s, 'easy', now() + interval '1 day', 1, %s)",
            theirs["company"],
            mine["manager"],
        )
    assert (
        run_as(
            db_url,
            mine["manager"],
            "delete from public.assignments where id = %s",
            theirs["assignment"],
        )
        == []
    )
    assert (
        run_as(
            db_url,
            mine["manager"],
            "update public.certifications set name = 'x' where id = %s",
            theirs["cert"],
        )
        == []
    )
    # a salesperson's attempt lock finds only their own assignment
    assert (
        run_as(
            db_url,
            mine["s2"],
            "select * from private.assignment_for_attempt(%s)",
            mine["assignment"],
        )
        == []
    )
    assert (
        len(
            run_as(
                db_url,
                mine["s1"],
                "select * from private.assignment_for_attempt(%s)",
                mine["assignment"],
            )
        )
        == 1
    )


def test_the_leaderboard_function_is_the_callers_company_and_only_when_on(db_url, sql, world2):
    mine, theirs = world2
    since = "2000-01-01"
    assert (
        run_as(db_url, mine["s1"], "select * from private.leaderboard(%s, 'overall')", since) == []
    )
    sql.execute(
        "update public.companies set settings = '{\"leaderboard_enabled\": true}' where id = %s",
        (mine["company"],),
    )
    rows = run_as(db_url, mine["s1"], "select * from private.leaderboard(%s, 'overall')", since)
    assert {r["user_id"] for r in rows} == {mine["s1"], mine["s2"]}  # salespeople, 0 sessions
    assert (
        run_as(db_url, theirs["s1"], "select * from private.leaderboard(%s, 'overall')", since)
        == []
    )
