"""CSV exports byte for byte: BOM, header, the locale's separator and decimal mark, quoting,
formula-injection defusing, and who gets which rows (team.csv for managers, sessions.csv for the
owner or the company's managers)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from dojo_local import history
from dojo_local.history import Practice
from grading import exports

BASE = "/api/v1/feedback"
SCORES = {"rapport": 72.5, "discovery": 60, "objection_handling": 80, "closing": 90}


@pytest.fixture
def team(make_user, sql):
    people = {
        "manager": make_user("Acme", "manager"),
        "rep": make_user("Acme", "salesperson"),
        "tricky": make_user("Acme", "salesperson"),
        "few": make_user("Acme", "salesperson"),
        "globex": make_user("Globex", "manager"),
        "globex_rep": make_user("Globex", "salesperson"),
    }
    names = {
        "rep": "Ana Conceição",
        "tricky": '=HYPERLINK("http://x.test";"clique"); Silva, "Zé"',
        "few": "+55 11 99999-0000",
    }
    for key, name in names.items():
        sql.execute(
            "update public.profiles set full_name = %s where id = %s", (name, people[key].id)
        )
    now = datetime.now(UTC)
    company = people["rep"].company_id
    for i in range(3):
        for who in ("rep", "tricky"):
            history.seed(
                sql,
                company,
                Practice(
                    people[who].id,
                    now - timedelta(days=i + 1),
                    SCORES,
                    persona_name="@Persona; Ação",
                ),
            )
    history.seed(sql, company, Practice(people["few"].id, now - timedelta(days=1), SCORES))
    history.seed(sql, company, Practice(people["rep"].id, now - timedelta(days=200), SCORES))
    history.seed(
        sql,
        people["globex_rep"].company_id,
        Practice(people["globex_rep"].id, now - timedelta(days=1), SCORES),
    )
    return people


def _read(response, separator):
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8")[1:]
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text), delimiter=separator))


def test_team_csv_in_pt_br(api, team):
    response = api.get(
        f"{BASE}/team.csv", params={"period": "30d"}, headers=team["manager"].headers
    )
    rows = _read(response, ";")
    assert response.headers["content-disposition"] == 'attachment; filename="team-30d.csv"'
    assert rows[0][:9] == [
        "Nome",
        "E-mail",
        "Papel",
        "Sessões praticadas",
        "Minutos praticados",
        "Voz",
        "Texto",
        "Sessões avaliadas",
        "Geral",
    ]
    assert rows[0][9:] == ["Rapport", "Descoberta", "Tratamento de objeções", "Fechamento"]
    by_email = {r[1]: r for r in rows[1:]}
    rep = by_email[team["rep"].email]
    assert rep[0] == "Ana Conceição"
    assert rep[3:8] == ["3", "24", "0", "3", "3"]  # 3 × 8 minutes, text; the old one is out
    assert rep[9] == "72,5"  # the decimal comma a pt-BR spreadsheet reads as a number
    few = by_email[team["few"].email]
    assert few[0] == "'+55 11 99999-0000"  # a leading + would start a formula
    assert few[8:] == ["dados insuficientes"] * 5
    tricky = by_email[team["tricky"].email]
    assert tricky[0] == "'" + '=HYPERLINK("http://x.test";"clique"); Silva, "Zé"'
    # nobody of another company
    assert len(rows) == 4 and team["globex_rep"].email not in by_email


def test_team_csv_quotes_raw_bytes(api, team):
    body = api.get(f"{BASE}/team.csv", headers=team["manager"].headers).content
    raw = body.decode("utf-8")
    # the separator and quotes inside a name are quoted, quotes doubled (RFC 4180)
    assert '"\'=HYPERLINK(""http://x.test"";""clique""); Silva, ""Zé"""' in raw


def test_team_csv_in_en_us(api, team, sql):
    sql.execute(
        "update public.companies set locale = 'en-US' where id = %s", (team["rep"].company_id,)
    )
    rows = _read(api.get(f"{BASE}/team.csv", headers=team["manager"].headers), ",")
    assert rows[0][0] == "Name" and rows[0][-1] == "Closing"
    rep = next(r for r in rows if r[1] == team["rep"].email)
    assert rep[9] == "72.5"
    few = next(r for r in rows if r[1] == team["few"].email)
    assert few[-1] == "insufficient data"


def test_team_csv_is_for_managers(api, team):
    response = api.get(f"{BASE}/team.csv", headers=team["rep"].headers)
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert api.get(f"{BASE}/team.csv").status_code == 401
    assert (
        api.get(
            f"{BASE}/team.csv", params={"period": "2y"}, headers=team["manager"].headers
        ).status_code
        == 422
    )


def test_sessions_csv_owner_sees_own_manager_the_company(api, team):
    mine = _read(api.get(f"{BASE}/sessions.csv", headers=team["rep"].headers), ";")
    header = mine[0]
    assert header[:9] == [
        "Data (UTC)",
        "Nome",
        "E-mail",
        "Persona",
        "Modo",
        "Status",
        "Minutos praticados",
        "Avaliação",
        "Geral",
    ]
    assert header[-2:] == ["Ajustada pelo gestor", "ID da sessão"]
    assert {r[2] for r in mine[1:]} == {team["rep"].email} and len(mine) == 4
    first = mine[1]
    assert first[3] == "'@Persona; Ação" and first[4] == "texto" and first[6] == "8"
    assert first[8] == "74,5"  # 0.2 × 72.5 + 0.3 × 60 + 0.3 × 80 + 0.2 × 90
    assert first[9] == "72,5" and first[-2] == "não"
    dates = [datetime.fromisoformat(r[0]) for r in mine[1:]]
    assert dates == sorted(dates, reverse=True)

    company = _read(api.get(f"{BASE}/sessions.csv", headers=team["manager"].headers), ";")
    assert len(company) == 1 + 7  # rep 3, tricky 3, few 1 in 30 days; nobody of Globex
    everything = api.get(
        f"{BASE}/sessions.csv", params={"period": "all"}, headers=team["rep"].headers
    )
    assert len(_read(everything, ";")) == 5
    other = _read(api.get(f"{BASE}/sessions.csv", headers=team["globex"].headers), ";")
    assert len(other) == 2 and other[1][2] == team["globex_rep"].email


def test_a_salesperson_filtering_on_someone_else_gets_nothing(api, team):
    response = api.get(
        f"{BASE}/sessions.csv",
        params={"user_id": str(team["tricky"].id)},
        headers=team["rep"].headers,
    )
    assert _read(response, ";") == [_read(response, ";")[0]]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_defuse(text, shown):
    assert exports.defuse(text) == shown


def test_numbers_are_never_prefixed_and_follow_the_locale():
    body = exports.write(["a", "b"], [[-1.5, 3]], "pt-BR")
    assert body == "\ufeffa;b\r\n-1,5;3\r\n".encode()
    assert exports.write(["a"], [[2.0]], "en-US") == b"\xef\xbb\xbfa\r\n2\r\n"


def test_csv_routes_are_documented_as_text_csv():
    from grading.app import app

    spec = app.openapi()
    for path in ("/api/v1/feedback/team.csv", "/api/v1/feedback/sessions.csv"):
        content = spec["paths"][path]["get"]["responses"]["200"]["content"]
        assert content == {"text/csv": {"schema": {"type": "string", "format": "binary"}}}
