"""The bell: notifications made by the database where events happen, read and marked through the
API, each person seeing only their own, in their company's language; email preferences."""

from __future__ import annotations

import uuid

from tests.functions.onboarding.notify_kit import graded_session, outbox

BASE = "/api/v1/notifications"


def test_a_scorecard_ready_reaches_its_owner_only(api, make_user, sql):
    seller = make_user("Acme", "salesperson")
    manager = make_user("Acme", "manager")
    outsider = make_user("Other Co", "salesperson")
    session = graded_session(sql, seller, overall=64)

    mine = api.get(BASE, headers=seller.headers)
    assert mine.status_code == 200, mine.text
    body = mine.json()
    assert body["unread"] == 1
    [item] = body["items"]
    assert item["kind"] == "scorecard_ready"
    assert item["link"] == f"/sessions/view/?id={session}"
    assert item["read_at"] is None
    assert item["title"] == "Sua avaliação está pronta"
    assert "Carlos Menezes" in item["body"] and "64" in item["body"]
    for other in (manager, outsider):
        assert api.get(BASE, headers=other.headers).json() == {"items": [], "unread": 0}
    # someone else's notification does not exist for them (404, not 403)
    stolen = api.post(f"{BASE}/{item['id']}/read", headers=outsider.headers)
    assert stolen.status_code == 404
    assert stolen.json()["error"]["code"] == "not_found"


def test_a_regrade_or_a_replayed_event_notifies_once(api, make_user, sql):
    seller = make_user("Acme", "salesperson")
    session = graded_session(sql, seller)
    # a regrade replaces the scores (insert ... on conflict do update): not a new scorecard
    sql.execute(
        "insert into public.feedback (session_id, company_id, user_id, overall, grader,"
        " rubric_version) values (%s, %s, %s, 90, 'x', '2026-11-v1')"
        " on conflict (session_id) do update set overall = excluded.overall",
        (session, seller.company_id, seller.id),
    )
    # the same event delivered again through the one function that notifies
    for _ in range(2):
        sql.execute(
            "select private.notify(%s, 'scorecard_ready', '{}'::jsonb, '/sessions/', %s)",
            (seller.id, str(session)),
        )
    rows = sql.execute("select kind from public.notifications").fetchall()
    assert [r["kind"] for r in rows] == ["scorecard_ready"]


def test_a_manager_review_notifies_the_owner_each_time_with_an_email(api, make_user, sql):
    seller = make_user("Acme", "salesperson")
    manager = make_user("Acme", "manager")
    session = graded_session(sql, seller)
    note = "Boa descoberta; faltou propor o próximo passo."
    patched = api.patch(
        f"/api/v1/feedback/sessions/{session}",
        headers=manager.headers,
        json={"scores": {"closing": 80}, "note": note},
    )
    assert patched.status_code == 200, patched.text
    items = api.get(BASE, headers=seller.headers).json()["items"]
    review = next(i for i in items if i["kind"] == "manager_review")
    assert note in review["body"]
    assert review["title"] == "Seu gestor revisou uma avaliação"
    # reviewed again later: a second review, a second notification
    sql.execute("update public.feedback set overridden_at = now() + interval '1 minute'")
    kinds = [i["kind"] for i in api.get(BASE, headers=seller.headers).json()["items"]]
    assert kinds.count("manager_review") == 2
    # a scorecard is not emailed by default; a review is (one email row per review)
    assert [r["kind"] for r in outbox(sql)] == ["manager_review", "manager_review"]
    assert {r["recipient"] for r in outbox(sql)} == {seller.id}


def test_mark_read_and_mark_all_read(api, make_user, sql):
    seller = make_user("Acme", "salesperson")
    for _ in range(3):
        graded_session(sql, seller)
    items = api.get(BASE, headers=seller.headers).json()["items"]
    assert len(items) == 3
    first = api.post(f"{BASE}/{items[0]['id']}/read", headers=seller.headers)
    assert first.status_code == 200 and first.json()["read_at"] is not None
    again = api.post(f"{BASE}/{items[0]['id']}/read", headers=seller.headers).json()
    assert again["read_at"] == first.json()["read_at"], "the first read time is kept"
    unread = api.get(f"{BASE}?unread=true", headers=seller.headers).json()
    assert unread["unread"] == 2 and len(unread["items"]) == 2
    marked = api.post(f"{BASE}/read-all", headers=seller.headers).json()
    assert marked == {"marked": 2, "unread": 0}
    missing = api.post(f"{BASE}/{uuid.uuid4()}/read", headers=seller.headers)
    assert missing.status_code == 404
    assert api.post(f"{BASE}/not-an-id/read", headers=seller.headers).status_code == 422


def test_english_company_reads_english(api, make_user, sql):
    seller = make_user("Globex", "salesperson")
    sql.execute("update public.companies set locale = 'en-US' where id = %s", (seller.company_id,))
    graded_session(sql, seller, overall=71.6)
    [item] = api.get(BASE, headers=seller.headers).json()["items"]
    assert item["title"] == "Your scorecard is ready"
    assert item["body"] == "Call with Carlos Menezes: score 72."


def test_email_preferences_per_person_and_kind(api, make_user, sql):
    seller = make_user("Acme", "salesperson")
    manager = make_user("Acme", "manager")
    prefs = api.get(f"{BASE}/preferences", headers=seller.headers).json()["items"]
    by_kind = {p["kind"]: p for p in prefs}
    assert "weekly_digest" not in by_kind, "the digest is for managers"
    assert by_kind["scorecard_ready"] == {
        "kind": "scorecard_ready",
        "email": False,
        "default": False,
    }
    assert by_kind["manager_review"]["email"] is True
    manager_prefs = api.get(f"{BASE}/preferences", headers=manager.headers).json()["items"]
    manager_kinds = {p["kind"] for p in manager_prefs}
    assert "weekly_digest" in manager_kinds

    changed = api.put(
        f"{BASE}/preferences",
        headers=seller.headers,
        json={
            "items": [
                {"kind": "scorecard_ready", "email": True},
                {"kind": "manager_review", "email": False},
            ]
        },
    )
    assert changed.status_code == 200, changed.text
    now = {p["kind"]: p["email"] for p in changed.json()["items"]}
    assert now["scorecard_ready"] is True and now["manager_review"] is False
    graded_session(sql, seller)
    assert [r["kind"] for r in outbox(sql)] == ["scorecard_ready"]
    # the manager's own preferences are untouched
    manager_prefs = api.get(f"{BASE}/preferences", headers=manager.headers).json()["items"]
    assert next(p for p in manager_prefs if p["kind"] == "scorecard_ready")["email"] is False

    refused = api.put(
        f"{BASE}/preferences",
        headers=seller.headers,
        json={"items": [{"kind": "weekly_digest", "email": True}]},
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "bad_request"
    for bad in ({"items": []}, {"items": [{"kind": "nope", "email": True}]}, {}):
        response = api.put(f"{BASE}/preferences", headers=seller.headers, json=bad)
        assert response.status_code == 422, bad


def test_nobody_without_an_address_is_emailed_and_strangers_are_refused(api, make_user, sql):
    seller = make_user("Acme", "salesperson")
    manager = make_user("Acme", "manager")
    sql.execute("update public.profiles set email = null where id = %s", (seller.id,))
    session = graded_session(sql, seller)
    sql.execute(
        "update public.feedback set override_note = 'ok', overridden_by = %s, overridden_at = now()"
        " where session_id = %s",
        (manager.id, session),
    )
    kinds = {r["kind"] for r in sql.execute("select kind from public.notifications").fetchall()}
    assert kinds == {"scorecard_ready", "manager_review"}
    assert outbox(sql) == []
    assert api.get(BASE).status_code == 401


def test_a_call_too_short_to_grade_says_so_instead_of_a_score(api, make_user, sql):
    seller = make_user("Acme", "salesperson")
    session = graded_session(sql, seller)
    sql.execute("delete from public.notifications")
    sql.execute("delete from public.feedback where session_id = %s", (session,))
    sql.execute(
        "insert into public.feedback (session_id, company_id, user_id, status, grader,"
        " rubric_version) values (%s, %s, %s, 'insufficient', 'x', '2026-11-v1')",
        (session, seller.company_id, seller.id),
    )
    [item] = api.get(BASE, headers=seller.headers).json()["items"]
    assert item["body"] == "Conversa com Carlos Menezes: curta demais para avaliar."


def test_a_preference_is_true_or_false_never_a_guess(api, make_user):
    seller = make_user("Acme", "salesperson")
    for value in (0, 1, "yes", None):
        response = api.put(
            f"{BASE}/preferences",
            headers=seller.headers,
            json={"items": [{"kind": "scorecard_ready", "email": value}]},
        )
        assert response.status_code == 422, value
