"""The demo's last step: grade the practice session through the trigger and print its scorecard."""

from __future__ import annotations

import io
import json
from pathlib import Path

from psycopg.types.json import Jsonb
from rich.console import Console

from dojo_local import accounts
from dojo_local.demo import COMPANY, DemoClient, _demo_grading
from dojo_local.demo_print import _print_scorecard

CALLS = Path(__file__).parents[1] / "functions" / "grading" / "fixtures" / "calls"


def _render(grading: dict) -> str:
    out = io.StringIO()
    _print_scorecard(Console(file=out, width=200), grading)
    return out.getvalue()


def test_nothing_to_grade_is_reported(world, sql):
    client = DemoClient(world.env, world.server.url)
    grading = _demo_grading(client, world.env)
    assert grading == {"graded": False, "reason": "no practice session ended in this demo"}
    assert "nothing graded" in _render(grading)


def test_the_demo_session_is_graded_and_printed(world, sql):
    email = "vendedor1@nuvemfiscal.demo"
    user_id = accounts.ensure_user(sql, email, company=COMPANY, role="salesperson")
    company_id = sql.execute(
        "select company_id from public.profiles where id = %s", (user_id,)
    ).fetchone()["company_id"]
    call = json.loads((CALLS / "good_accountant.json").read_text(encoding="utf-8"))
    transcript = [
        {"speaker": s, "text": t, "start": 4.0 * i, "end": 4.0 * i, "words": len(t.split())}
        for i, (s, t) in enumerate(call["turns"])
    ]
    # the session ends: the trigger queues the grading hook, the demo step drains the queue
    sql.execute(
        "insert into public.training_sessions (company_id, user_id, mode, status,"
        " persona_snapshot, rubric_version, transcript, ended_at)"
        " values (%s, %s, 'text', 'ended', %s, '2026-11-v1', %s, now())",
        (company_id, user_id, Jsonb(call["persona"]), Jsonb(transcript)),
    )
    client = DemoClient(world.env, world.server.url)
    grading = _demo_grading(client, world.env)
    assert grading["graded"] is True
    card = grading["scorecard"]
    assert card["status"] == "graded" and card["grader"]["offline"] is True
    assert sql.execute("select count(*) as n from net.http_request_queue").fetchone()["n"] == 0
    printed = _render(grading)
    assert "OFFLINE grader" in printed and "Overall:" in printed
    assert "Descoberta" in printed and "Strengths" in printed and "To improve" in printed
    assert "Proporção de fala do vendedor" in printed and "Gong Labs" in printed
    assert f"(turn {card['strengths'][0]['turn']})" in printed
