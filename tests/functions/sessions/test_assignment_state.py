"""The assignee state rules, in the database: the pure rules over every state (hypothesis against a
plain statement of the rules), then `private.decide_assignee` over stored attempts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg.types.json import Jsonb

from tests.functions.sessions.data import insert_persona
from tests.functions.sessions.programme import assign, assignee_row, graded_session

CATEGORIES = ("rapport", "discovery", "objection_handling", "closing")
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def expected_status(
    passed: bool, attempts: int, open_: int, max_attempts: int | None, due_at: datetime
) -> str:
    """The rules as the migration states them, in order."""
    if passed:
        return "passed"
    if max_attempts is not None and attempts >= max_attempts and open_ == 0:
        return "failed"
    if due_at < NOW:
        return "overdue"
    return "in_progress" if attempts > 0 else "assigned"


@pytest.fixture(scope="module")
def pure(world) -> Any:
    """One connection for the pure functions (they read no table)."""
    with psycopg.connect(world.env.database_url, autocommit=True) as conn:
        yield conn


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    passed=st.booleans(),
    attempts=st.integers(0, 6),
    open_=st.integers(0, 2),
    max_attempts=st.none() | st.integers(1, 5),
    due_in_hours=st.integers(-48, 48),
)
def test_status_rules_over_every_state(pure, passed, attempts, open_, max_attempts, due_in_hours):
    open_ = min(open_, attempts)
    due_at = NOW + timedelta(hours=due_in_hours, seconds=1 if due_in_hours >= 0 else 0)
    row = pure.execute(
        "select private.assignee_status(%s, %s, %s, %s, %s, %s)",
        (passed, attempts, open_, max_attempts, due_at, NOW),
    ).fetchone()
    assert row[0] == expected_status(passed, attempts, open_, max_attempts, due_at)


score = st.integers(0, 100)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    overall=st.none() | st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 2)),
    scores=st.dictionaries(st.sampled_from(CATEGORIES), score),
    pass_mark=score,
    minimums=st.dictionaries(st.sampled_from(CATEGORIES), score),
)
def test_an_attempt_passes_on_the_mark_and_every_minimum(
    pure, overall, scores, pass_mark, minimums
):
    row = pure.execute(
        "select private.attempt_passes(%s::numeric, %s, %s::numeric, %s)",
        (overall, Jsonb(scores), pass_mark, Jsonb(minimums)),
    ).fetchone()
    expected = (
        overall is not None
        and overall >= pass_mark
        and all(k in scores and scores[k] >= v for k, v in minimums.items())
    )
    assert row[0] is expected


def test_the_override_counts_per_category(pure):
    row = pure.execute(
        "select private.effective_scores(%s, %s)",
        (Jsonb({"rapport": {"score": 40}, "closing": {"score": 80}}), Jsonb({"rapport": 75})),
    ).fetchone()
    assert row[0] == {"rapport": 75, "closing": 80}


# --- decide_assignee over stored attempts --------------------------------------------------------


@pytest.fixture
def exam(api, make_user, sql) -> Any:
    manager = make_user("Nuvem Fiscal", "manager")
    seller = make_user("Nuvem Fiscal", "salesperson")
    persona = insert_persona(sql, manager.company_id)
    made = assign(
        api,
        manager,
        persona_id=str(persona),
        assignee_ids=[str(seller.id)],
        max_attempts=3,
        category_minimums={"closing": 60},
    )
    return made["id"], seller


def test_best_attempt_counts_and_a_worse_one_never_undoes_a_pass(sql, exam):
    assignment, seller = exam
    graded_session(sql, seller, assignment, 60)
    assert assignee_row(sql, assignment, seller)["status"] == "in_progress"
    best = graded_session(sql, seller, assignment, 85)
    graded_session(sql, seller, assignment, 50)
    state = assignee_row(sql, assignment, seller)
    assert (state["status"], state["attempts"], state["session_id"]) == ("passed", 3, best)
    assert float(state["score"]) == 85 and state["passed_at"] is not None


def test_a_category_minimum_blocks_a_high_overall(sql, exam):
    assignment, seller = exam
    low_close = dict.fromkeys(CATEGORIES, 95) | {"closing": 50}
    graded_session(sql, seller, assignment, 90, low_close)
    assert assignee_row(sql, assignment, seller)["status"] == "in_progress"
    # the manager raises closing above the minimum: the same attempt now passes
    sql.execute(
        "update public.feedback set override_scores = '{\"closing\": 65}' where user_id = %s",
        (seller.id,),
    )
    assert assignee_row(sql, assignment, seller)["status"] == "passed"


def test_failed_needs_every_attempt_graded_and_insufficient_counts(sql, exam):
    assignment, seller = exam
    graded_session(sql, seller, assignment, 30)
    graded_session(sql, seller, assignment, None, status="insufficient")
    open_one = sql.execute(
        "insert into public.training_sessions (company_id, user_id, mode, status, rubric_version,"
        " assignment_id) values (%s, %s, 'text', 'active', '2026-11-v1', %s) returning id",
        (seller.company_id, seller.id, assignment),
    ).fetchone()["id"]
    # three attempts used, but one is still going: not failed yet
    state = assignee_row(sql, assignment, seller)
    assert (state["status"], state["attempts"]) == ("in_progress", 3)
    sql.execute(
        "update public.training_sessions set status = 'ended', ended_at = now() where id = %s",
        (open_one,),
    )
    assert assignee_row(sql, assignment, seller)["status"] == "in_progress"  # awaiting its grade
    sql.execute(
        "insert into public.feedback (session_id, company_id, user_id, overall, scores, grader,"
        " rubric_version) values (%s, %s, %s, 40, '{}', 'test', '2026-11-v1')",
        (open_one, seller.company_id, seller.id),
    )
    assert assignee_row(sql, assignment, seller)["status"] == "failed"
    # raising the attempts re-opens it
    sql.execute("update public.assignments set max_attempts = 5 where id = %s", (assignment,))
    assert assignee_row(sql, assignment, seller)["status"] == "in_progress"


def test_a_session_that_failed_to_start_is_not_an_attempt(sql, exam):
    assignment, seller = exam
    sid = sql.execute(
        "insert into public.training_sessions (company_id, user_id, mode, status, rubric_version,"
        " assignment_id) values (%s, %s, 'voice', 'created', '2026-11-v1', %s) returning id",
        (seller.company_id, seller.id, assignment),
    ).fetchone()["id"]
    assert assignee_row(sql, assignment, seller)["attempts"] == 1
    sql.execute("update public.training_sessions set status = 'failed' where id = %s", (sid,))
    state = assignee_row(sql, assignment, seller)
    assert (state["status"], state["attempts"]) == ("assigned", 0)
