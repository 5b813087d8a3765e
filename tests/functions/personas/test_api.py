"""The personas API over the real gateway, with the offline generator: roles, RLS, management."""

from __future__ import annotations

import pytest

BASE = "/api/v1/personas"


def _count(sql, company_id, status=None):
    query = "select count(*) as n from public.personas where company_id = %s"
    params = [company_id]
    if status:
        query += " and status = %s"
        params.append(status)
    return sql.execute(query, params).fetchone()["n"]


def test_generate_without_documents_is_409(api, make_user, material, sql):
    manager = make_user("Acme", "manager")
    material(manager.company_id, {"novo.md": ["Ainda processando."]}, status="processing")
    response = api.post(f"{BASE}/generate", headers=manager.headers, json={})
    assert response.status_code == 409
    assert "upload documents first" in response.json()["error"]["message"]
    assert _count(sql, manager.company_id) == 0


def test_generate_offline_default_set(api, make_user, material, sql):
    manager = make_user("Acme", "manager")
    ids = material(manager.company_id)
    response = api.post(f"{BASE}/generate", headers=manager.headers)
    # one contract whatever the provider: the job; the offline one has already finished it
    assert response.status_code == 202, response.text
    job = response.json()
    assert (job["status"], job["kind"], job["attempts"], job["error"]) == (
        "done",
        "generate",
        1,
        None,
    )
    assert response.headers["location"] == job["status_url"]
    followed = api.get(job["status_url"], headers=manager.headers)
    assert followed.status_code == 200 and followed.json() == job
    body = job["result"]
    assert body["generation_id"] == job["generation_id"] and job["persona_count"] == 6
    assert body["generator"] == "offline"
    assert body["offline"] is True
    assert "offline" in body["notice"]
    assert body["count"] == 6
    assert body["difficulty"] == {"easy": 1, "medium": 3, "hard": 2}
    assert body["context"]["documents"] == 3
    personas = body["personas"]
    assert len({p["name"] for p in personas}) == 6
    assert len({p["role"] for p in personas}) == 6
    all_ids = {i for chunk_ids in ids.values() for i in chunk_ids}
    for p in personas:
        assert p["generator"] == "offline" and p["offline"] is True
        assert p["generation_id"] == body["generation_id"]
        assert p["status"] == "active"
        assert p["voice_id"]
        assert p["objections"] and all(set(o["chunk_ids"]) <= all_ids for o in p["objections"])
        assert p["hidden_facts"] and p["end_conditions"] and p["first_message"]
        assert {"segment", "size", "current_solution", "budget", "decision_process"} <= set(
            p["company_profile"]
        )
    stored = sql.execute(
        "select count(distinct generation_id) as g, count(*) as n from public.personas"
        " where company_id = %s and generator = 'offline'",
        (manager.company_id,),
    ).fetchone()
    assert (stored["g"], stored["n"]) == (1, 6)
    usage = sql.execute(
        "select provider, operation, ref_id from public.usage where company_id = %s",
        (manager.company_id,),
    ).fetchall()
    assert [(u["provider"], u["operation"]) for u in usage] == [("offline", "persona_generation")]
    assert str(usage[0]["ref_id"]) == body["generation_id"]


def test_generate_with_count_mix_and_focus(api, make_user, material):
    manager = make_user("Acme", "manager")
    material(manager.company_id)
    body = {"difficulty": {"easy": 1, "medium": 3, "hard": 4}, "focus": "preço e contrato"}
    response = api.post(f"{BASE}/generate", headers=manager.headers, json=body)
    assert response.status_code == 202, response.text
    personas = response.json()["result"]["personas"]
    assert len(personas) == 8
    levels = [p["difficulty"] for p in personas]
    assert (levels.count("easy"), levels.count("medium"), levels.count("hard")) == (1, 3, 4)


@pytest.mark.parametrize(
    "body",
    [
        {"count": 4},
        {"count": 11},
        {"count": 6, "difficulty": {"easy": 1, "medium": 1, "hard": 1}},
        {"difficulty": {"easy": 1, "hard": 1}},
        {"count": 6, "colour": "blue"},
    ],
)
def test_generate_rejects_bad_requests(api, make_user, material, sql, body):
    manager = make_user("Acme", "manager")
    material(manager.company_id)
    response = api.post(f"{BASE}/generate", headers=manager.headers, json=body)
    assert response.status_code == 422
    assert _count(sql, manager.company_id) == 0


def test_second_generation_adds_and_regenerate_replaces(api, make_user, material, sql):
    manager = make_user("Acme", "manager")
    material(manager.company_id)
    first = api.post(f"{BASE}/generate", headers=manager.headers, json={"count": 5}).json()
    second = api.post(f"{BASE}/generate", headers=manager.headers, json={"count": 5}).json()
    names = [p["name"] for p in first["result"]["personas"] + second["result"]["personas"]]
    assert len(set(names)) == 10, "a new set never repeats an active persona's name"
    assert _count(sql, manager.company_id, "active") == 10
    replaced = api.post(f"{BASE}/regenerate", headers=manager.headers, json={"count": 6})
    assert replaced.status_code == 202
    assert replaced.json()["result"]["archived"] == 10
    assert _count(sql, manager.company_id, "active") == 6
    assert _count(sql, manager.company_id, "archived") == 10
    active = sql.execute(
        "select distinct generation_id from public.personas where company_id = %s"
        " and status = 'active'",
        (manager.company_id,),
    ).fetchall()
    assert [str(r["generation_id"]) for r in active] == [replaced.json()["generation_id"]]


def test_salesperson_cannot_generate_edit_or_archive(api, make_user, material, sql):
    manager = make_user("Acme", "manager")
    seller = make_user("Acme", "salesperson")
    material(manager.company_id)
    persona = api.post(f"{BASE}/generate", headers=manager.headers).json()["result"]["personas"][0]
    assert api.post(f"{BASE}/generate", headers=seller.headers).status_code == 403
    assert api.post(f"{BASE}/regenerate", headers=seller.headers).status_code == 403
    pid = persona["id"]
    patch = api.patch(f"{BASE}/{pid}", headers=seller.headers, json={"name": "Hacker"})
    assert patch.status_code == 403
    assert api.post(f"{BASE}/{pid}/archive", headers=seller.headers).status_code == 403
    assert api.post(f"{BASE}/{pid}/unarchive", headers=seller.headers).status_code == 403
    assert _count(sql, manager.company_id) == 6
    assert _count(sql, manager.company_id, "active") == 6


def test_salesperson_sees_active_only_managers_see_all(api, make_user, material):
    manager = make_user("Acme", "manager")
    admin = make_user("Acme", "admin")
    seller = make_user("Acme", "salesperson")
    material(manager.company_id)
    personas = api.post(f"{BASE}/generate", headers=manager.headers).json()["result"]["personas"]
    archived = personas[0]["id"]
    response = api.post(f"{BASE}/{archived}/archive", headers=manager.headers)
    assert response.json()["status"] == "archived"
    seen = api.get(BASE, headers=seller.headers).json()
    assert len(seen) == 5 and archived not in {p["id"] for p in seen}
    assert api.get(f"{BASE}/{archived}", headers=seller.headers).status_code == 404
    assert len(api.get(BASE, headers=manager.headers).json()) == 6
    assert len(api.get(BASE, headers=admin.headers).json()) == 6
    only = api.get(BASE, headers=manager.headers, params={"status": "archived"}).json()
    assert [p["id"] for p in only] == [archived]
    # archiving twice changes nothing; unarchive brings it back to salespeople
    again = api.post(f"{BASE}/{archived}/archive", headers=manager.headers).json()
    assert again["updated_at"] == response.json()["updated_at"]
    assert api.post(f"{BASE}/{archived}/unarchive", headers=manager.headers).status_code == 200
    assert api.get(f"{BASE}/{archived}", headers=seller.headers).status_code == 200


def test_other_company_persona_is_404(api, make_user, material, sql):
    manager = make_user("Acme", "manager")
    rival = make_user("Rival", "manager")
    rival_seller = make_user("Rival", "salesperson")
    material(manager.company_id)
    pid = api.post(f"{BASE}/generate", headers=manager.headers).json()["result"]["personas"][0][
        "id"
    ]
    for user in (rival, rival_seller):
        assert api.get(f"{BASE}/{pid}", headers=user.headers).status_code == 404
        assert api.get(BASE, headers=user.headers).json() == []
    assert api.patch(f"{BASE}/{pid}", headers=rival.headers, json={"name": "X"}).status_code == 404
    assert api.post(f"{BASE}/{pid}/archive", headers=rival.headers).status_code == 404
    assert api.post(f"{BASE}/{pid}/unarchive", headers=rival.headers).status_code == 404
    row = sql.execute("select name, status from public.personas where id = %s", (pid,)).fetchone()
    assert row["name"] != "X" and row["status"] == "active"
    # the rival has no material of its own: the first company's chunks do not count
    assert api.post(f"{BASE}/generate", headers=rival.headers).status_code == 409


def test_manager_edits_any_field_validated(api, make_user, material, sql):
    manager = make_user("Acme", "manager")
    rival = make_user("Rival", "manager")
    ids = material(manager.company_id)
    rival_ids = material(rival.company_id, {"r.md": ["Plano Rival custa R$ 10,00/mês."]})
    persona = api.post(f"{BASE}/generate", headers=manager.headers).json()["result"]["personas"][0]
    pid = persona["id"]
    chunk = ids["contrato-padrao.pdf"][0]
    change = {
        "name": "Helena Vasconcelos",
        "difficulty": "hard",
        "objections": [{"text": "Multa de 30%? Nem pensar.", "chunk_ids": [chunk]}],
        "company_profile": {"segment": "Agronegócio", "size": "90 funcionários"},
        "end_conditions": ["Desliga se ouvir a palavra 'promoção'."],
    }
    response = api.patch(f"{BASE}/{pid}", headers=manager.headers, json=change)
    assert response.status_code == 200, response.text
    edited = response.json()
    assert edited["name"] == "Helena Vasconcelos"
    assert edited["difficulty"] == "hard"
    assert edited["objections"] == change["objections"]
    assert edited["company_profile"]["segment"] == "Agronegócio"
    assert edited["role"] == persona["role"], "fields not sent stay as they were"
    bad = [
        {"difficulty": "impossible"},
        {"name": ""},
        {"name": None},
        {"objections": []},
        {"company_profile": None},
        {"status": "archived"},
        {},
    ]
    for body in bad:
        assert api.patch(f"{BASE}/{pid}", headers=manager.headers, json=body).status_code == 422
    foreign = {"objections": [{"text": "x", "chunk_ids": [rival_ids["r.md"][0]]}]}
    response = api.patch(f"{BASE}/{pid}", headers=manager.headers, json=foreign)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_chunks"
    voice = api.patch(f"{BASE}/{pid}", headers=manager.headers, json={"voice_id": "nope"})
    assert voice.status_code == 400
    row = sql.execute("select name, objections from public.personas where id = %s", (pid,))
    assert row.fetchone()["objections"] == change["objections"]


@pytest.mark.parametrize("role", ["salesperson", "manager", "admin"])
@pytest.mark.parametrize("same_company", [True, False], ids=["own", "other"])
def test_tenant_and_role_matrix(api, make_user, material, sql, role, same_company):
    owner = make_user("Acme", "manager")
    material(owner.company_id)
    pid = api.post(f"{BASE}/generate", headers=owner.headers).json()["result"]["personas"][0]["id"]
    caller = make_user("Acme" if same_company else "Rival", role)
    writer = role != "salesperson"
    if same_company:
        expected = {
            ("GET", BASE): 200,
            ("GET", f"{BASE}/{pid}"): 200,
            ("PATCH", f"{BASE}/{pid}"): 200 if writer else 403,
            ("POST", f"{BASE}/{pid}/archive"): 200 if writer else 403,
            ("POST", f"{BASE}/{pid}/unarchive"): 200 if writer else 403,
            ("POST", f"{BASE}/generate"): 202 if writer else 403,
            ("POST", f"{BASE}/regenerate"): 202 if writer else 403,
        }
    else:
        expected = {
            ("GET", BASE): 200,
            ("GET", f"{BASE}/{pid}"): 404,
            ("PATCH", f"{BASE}/{pid}"): 404 if writer else 403,
            ("POST", f"{BASE}/{pid}/archive"): 404 if writer else 403,
            ("POST", f"{BASE}/{pid}/unarchive"): 404 if writer else 403,
            ("POST", f"{BASE}/generate"): 409 if writer else 403,
            ("POST", f"{BASE}/regenerate"): 409 if writer else 403,
        }
    for (method, path), status in expected.items():
        body = {"speaking_style": "Fala baixo."} if method == "PATCH" else None
        response = api.request(method, path, headers=caller.headers, json=body)
        assert response.status_code == status, (method, path, response.text)
        if (method, path) == ("GET", BASE):
            listed = {p["id"] for p in response.json()}
            assert (pid in listed) == same_company
        assert api.request(method, path, json=body).status_code == 401
    if not same_company:
        row = sql.execute(
            "select speaking_style, status from public.personas where id = %s", (pid,)
        )
        assert row.fetchone()["speaking_style"] != "Fala baixo."


def test_generate_from_scant_material_still_grounds_every_objection(api, make_user, material):
    manager = make_user("Acme", "manager")
    ids = material(manager.company_id, {"curto.txt": ["Consultoria fiscal.", "Atendemos SP."]})
    response = api.post(f"{BASE}/generate", headers=manager.headers, json={"count": 5})
    assert response.status_code == 202, response.text
    allowed = set(ids["curto.txt"])
    for persona in response.json()["result"]["personas"]:
        assert persona["objections"]
        assert all(set(o["chunk_ids"]) <= allowed for o in persona["objections"])
