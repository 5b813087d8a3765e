"""GET /api/v1/auth/usage: an admin sees what their company used and cost, by month and kind."""

from __future__ import annotations

import datetime as dt

import pytest

from dojo.db import service_transaction
from dojo.usage import Usage, record

URL = "/api/v1/auth/usage"


def _record(company_id, *usages: Usage) -> None:
    with service_transaction() as conn:
        for usage in usages:
            record(conn, company_id, usage)


def _this_month() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m")


@pytest.fixture
def billed(make_user, sql):
    """Acme's usage this month, last month and two years ago; Globex's this month."""
    admin = make_user("Acme", "admin")
    other = make_user("Globex", "admin")
    _record(
        admin.company_id,
        Usage("llm", "openai", "gpt-4o", "grading", input_tokens=1000, output_tokens=200),
        Usage("llm", "openai", "gpt-4o", "personas", input_tokens=3000, output_tokens=1000),
        Usage("llm", "openai", "mystery-model", "roleplay", input_tokens=50, output_tokens=5),
        Usage(
            "embeddings", "openai", "text-embedding-3-small", "ingest", input_tokens=500, inputs=3
        ),
        Usage("vapi", "vapi", None, "call", seconds=120.5, cost_usd=0.05),
    )
    _record(
        other.company_id,
        Usage("llm", "openai", "gpt-4o", "grading", input_tokens=10**6, output_tokens=10**6),
        Usage("vapi", "vapi", None, "call", seconds=999, cost_usd=9.99),
    )
    # one older row per period, moved back in time
    _record(admin.company_id, Usage("vapi", "vapi", None, "call", seconds=60, cost_usd=0.02))
    sql.execute(
        "update usage set created_at = date_trunc('month', now()) - interval '10 days'"
        " where id = (select max(id) from usage)"
    )
    _record(admin.company_id, Usage("vapi", "vapi", None, "call", seconds=30, cost_usd=0.01))
    sql.execute(
        "update usage set created_at = now() - interval '2 years'"
        " where id = (select max(id) from usage)"
    )
    return admin


def test_admin_sees_own_company_sums_by_month_and_kind(api, billed):
    response = api.get(URL, headers=billed.headers)
    assert response.status_code == 200
    body = response.json()
    assert body["currency"] == "USD"
    rows = {(m["month"], m["kind"]): m for m in body["months"]}
    this = _this_month()
    last = (dt.date.fromisoformat(this + "-01") - dt.timedelta(days=1)).strftime("%Y-%m")
    assert set(rows) == {(this, "llm"), (this, "embeddings"), (this, "vapi"), (last, "vapi")}

    llm = rows[(this, "llm")]
    assert (llm["calls"], llm["input_tokens"], llm["output_tokens"]) == (3, 4050, 1205)
    # gpt-4o at $2.50 / $10.00 per 1M: (4000 * 2.5 + 1200 * 10) / 1e6; the unknown model is unpriced
    assert llm["cost_usd"] == pytest.approx(0.022)
    assert llm["unpriced_calls"] == 1

    emb = rows[(this, "embeddings")]
    assert (emb["inputs"], emb["input_tokens"]) == (3, 500)
    assert emb["cost_usd"] == pytest.approx(500 * 0.02 / 1e6)

    vapi = rows[(this, "vapi")]
    assert vapi["seconds"] == pytest.approx(120.5) and vapi["cost_usd"] == pytest.approx(0.05)
    assert rows[(last, "vapi")]["cost_usd"] == pytest.approx(0.02)

    assert [m["month"] for m in body["months"]] == sorted(
        (m["month"] for m in body["months"]), reverse=True
    )
    assert body["total_cost_usd"] == pytest.approx(0.022 + 0.00001 + 0.05 + 0.02)


def test_months_window_limits_the_report(api, billed):
    body = api.get(URL, params={"months": 1}, headers=billed.headers).json()
    assert {m["month"] for m in body["months"]} == {_this_month()}
    assert body["since"] == _this_month() + "-01"
    everything = api.get(URL, params={"months": 36}, headers=billed.headers).json()
    assert sum(m["calls"] for m in everything["months"]) == 7  # two years ago included


def test_another_company_is_never_counted(api, billed, make_user):
    other_admin = make_user("Globex", "admin")
    body = api.get(URL, headers=other_admin.headers).json()
    vapi = next(m for m in body["months"] if m["kind"] == "vapi")
    assert vapi["seconds"] == pytest.approx(999) and vapi["cost_usd"] == pytest.approx(9.99)
    acme = api.get(URL, headers=billed.headers).json()
    assert all(m["seconds"] < 999 for m in acme["months"])
    assert all(m["input_tokens"] < 10**6 for m in acme["months"])


def test_a_company_without_usage_gets_an_empty_report(api, make_user):
    admin = make_user("Initech", "admin")
    body = api.get(URL, headers=admin.headers).json()
    assert body["months"] == [] and body["total_cost_usd"] == 0


@pytest.mark.parametrize("role", ["manager", "salesperson"])
def test_only_admins_see_usage(api, billed, make_user, role):
    user = make_user("Acme", role)
    response = api.get(URL, headers=user.headers)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_anonymous_and_bad_parameters(api, billed):
    assert api.get(URL).status_code == 401
    for months in (0, 37, "x"):
        response = api.get(URL, params={"months": months}, headers=billed.headers)
        assert response.status_code == 422
