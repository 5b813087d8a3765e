"""The programme's events reach people: assigned, due tomorrow, overdue, passed, failed,
certified — in the bell and by email, each once, however often the schedule runs."""

from __future__ import annotations

from typing import Any

import pytest

from dojo_local.mailbox import messages
from onboarding import sweeper
from tests.functions.onboarding.notify_kit import outbox
from tests.functions.sessions.data import insert_persona
from tests.functions.sessions.programme import CERTIFICATIONS, assign, due, graded_session

BELL = "/api/v1/notifications"


@pytest.fixture
def team(api, make_user, sql) -> Any:
    manager = make_user("Nuvem Fiscal", "manager")
    seller = make_user("Nuvem Fiscal", "salesperson")
    persona = insert_persona(sql, manager.company_id)
    return manager, seller, str(persona)


def kinds(api, user) -> list[str]:
    return sorted(i["kind"] for i in api.get(BELL, headers=user.headers).json()["items"])


def test_assigned_passed_failed_and_certified_notify_the_assignee(api, sql, team, mailserver):
    manager, seller, persona = team
    exam = assign(
        api,
        manager,
        title="Objeção de preço",
        persona_id=persona,
        assignee_ids=[str(seller.id)],
        max_attempts=1,
    )
    drill = assign(
        api, manager, title="Descoberta", persona_id=persona, assignee_ids=[str(seller.id)]
    )
    assert kinds(api, seller) == ["assigned", "assigned"]
    assert kinds(api, manager) == []
    certification = api.post(
        CERTIFICATIONS,
        headers=manager.headers,
        json={"name": "Nível 1", "assignment_ids": [drill["id"]]},
    )
    assert certification.status_code == 201, certification.text

    graded_session(sql, seller, exam["id"], 40)  # the only attempt, below the pass mark
    graded_session(sql, seller, drill["id"], 85)
    graded_session(sql, seller, drill["id"], 90)  # a better pass: still one "passed"
    assert kinds(api, seller) == sorted(
        ["assigned", "assigned", "failed", "passed", "certified", *["scorecard_ready"] * 3]
    )
    items = {i["kind"]: i for i in api.get(BELL, headers=seller.headers).json()["items"]}
    assert items["failed"]["body"] == "Objeção de preço: nota 40 (mínimo 70)."
    assert items["failed"]["link"] == f"/tasks/?id={exam['id']}"
    assert items["passed"]["title"] == "Tarefa concluída: aprovado"
    assert items["certified"]["body"] == "Você foi certificado em Nível 1."

    sweeper.notifications()
    subjects = sorted(m["subject"] for m in messages(mailserver.path.parent.parent))
    assert subjects == sorted(
        [
            "Nova tarefa de prática",
            "Nova tarefa de prática",
            "Tarefa não aprovada",
            "Tarefa concluída: aprovado",
            "Certificação conquistada",
        ]
    )


def test_due_tomorrow_reminds_once_per_due_date(api, sql, team, mailserver):
    manager, seller, persona = team
    soon = assign(
        api,
        manager,
        title="Fechamento",
        persona_id=persona,
        assignee_ids=[str(seller.id)],
        due_at=due(0.5),
    )
    assign(api, manager, persona_id=persona, assignee_ids=[str(seller.id)], due_at=due(5))
    first = sweeper.notifications()
    assert first["reminders"] == 1
    # the schedule runs again, twice: nobody is reminded twice
    assert sweeper.notifications()["reminders"] == 0
    assert sweeper.notifications()["reminders"] == 0
    reminders = [m for m in messages(mailserver.path.parent.parent) if "amanhã" in m["subject"]]
    assert len(reminders) == 1 and "Fechamento vence em" in reminders[0]["text"]

    # the manager moves the date (still within a day): a new due date, a new reminder
    moved = api.patch(
        f"/api/v1/assignments/{soon['id']}", headers=manager.headers, json={"due_at": due(0.7)}
    )
    assert moved.status_code == 200, moved.text
    assert sweeper.notifications()["reminders"] == 1
    # someone who already passed is not reminded
    graded_session(sql, seller, soon["id"], 95)
    sql.execute(
        "update public.assignments set due_at = now() + interval '3 hours' where id = %s",
        (soon["id"],),
    )
    assert sweeper.notifications()["reminders"] == 0


def test_overdue_notifies_when_the_sweep_decides_it(api, sql, team, db_url):
    from sessions import sweeper as sessions_sweeper

    manager, seller, persona = team
    late = assign(api, manager, title="Prazo", persona_id=persona, assignee_ids=[str(seller.id)])
    sql.execute(
        "update public.assignments set due_at = now() - interval '1 hour' where id = %s",
        (late["id"],),
    )
    for _ in range(2):
        sessions_sweeper.sweep()
    items = [
        i for i in api.get(BELL, headers=seller.headers).json()["items"] if i["kind"] == "overdue"
    ]
    assert len(items) == 1
    assert items[0]["title"] == "Tarefa atrasada"
    assert [r["kind"] for r in outbox(sql)].count("overdue") == 1
