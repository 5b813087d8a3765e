"""The manager's analytics on hand-made histories (real embedded Postgres, through the gateway):
heatmap averages and counts, insufficient cells, trends and changes, the weakest category,
activity per ISO week, metric distributions, period boundaries, filters and who may see what.

Acme (pt-BR): Ana has 3 sessions in the last 30 days and 3 in the 30 before; Bruno 2 (too few);
Carla 4, one overridden by the manager; Davi none. Globex has its own rep.
"""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta

import pytest

from dojo.db import service_transaction
from dojo_local import history
from dojo_local.history import Practice
from grading import analytics
from grading.models.analytics import AnalyticsQuery

URL = "/api/v1/feedback/analytics"
NOW = datetime.now(UTC)


def _scores(r: float, d: float, o: float, c: float) -> dict[str, float]:
    return {"rapport": r, "discovery": d, "objection_handling": o, "closing": c}


def _ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@pytest.fixture
def acme(make_user, sql):
    people = {
        "manager": make_user("Acme", "manager"),
        "admin": make_user("Acme", "admin"),
        "ana": make_user("Acme", "salesperson"),
        "bruno": make_user("Acme", "salesperson"),
        "carla": make_user("Acme", "salesperson"),
        "davi": make_user("Acme", "salesperson"),
        "globex_manager": make_user("Globex", "manager"),
        "globex_rep": make_user("Globex", "salesperson"),
    }
    for key, name in (("ana", "Ana Alves"), ("bruno", "Bruno Brito"), ("carla", "Carla Cruz")):
        sql.execute(
            "update public.profiles set full_name = %s where id = %s", (name, people[key].id)
        )
    sql.execute(
        "update public.profiles set full_name = 'Davi Dias' where id = %s", (people["davi"].id,)
    )
    company = people["ana"].company_id
    call = history.persona(sql, company, "Carlos Menezes")
    other = history.persona(sql, company, "Paula Prado")
    talk = iter([0.3, 0.4, 0.5, 0.6, 0.7, 0.45, 0.45, 0.45, 0.45])

    def add(who, days, scores, **kw):
        kw.setdefault("persona_id", call)
        if "metrics" not in kw:
            kw["metrics"] = {"talk_ratio": next(talk, 0.45)}
        return history.seed(sql, company, Practice(people[who].id, _ago(days), scores, **kw))

    # Ana, last 30 days: rapport 60/70/80, discovery 40/50/60, objections 70, closing 80/90/100
    add("ana", 2, _scores(80, 60, 70, 100), mode="voice", minutes=10)
    add("ana", 9, _scores(70, 50, 70, 90), mode="voice", minutes=6)
    add("ana", 29, _scores(60, 40, 70, 80), minutes=5)
    # Ana, previous 30 days (31..59 days ago): rapport 50 each
    for days in (31, 40, 59):
        add("ana", days, _scores(50, 50, 50, 50), metrics={})
    # Bruno: two sessions only
    add("bruno", 3, _scores(90, 30, 90, 90), persona_id=other)
    add("bruno", 4, _scores(90, 30, 90, 90), persona_id=other)
    # Carla: four, discovery 20/30/40 and one the manager overrode from 10 to 50
    for days, disc in ((1, 20), (5, 30), (6, 40)):
        add("carla", days, _scores(75, disc, 65, 70))
    add("carla", 7, _scores(75, 10, 65, 70), override={"discovery": 50})
    # Globex: someone else's data
    history.seed(
        sql,
        people["globex_rep"].company_id,
        Practice(people["globex_rep"].id, _ago(1), _scores(5, 5, 5, 5)),
    )
    return people


def _get(api, who, **params):
    response = api.get(URL, headers=who.headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _row(data, user):
    return next(r for r in data["heatmap"]["rows"] if r["user_id"] == str(user.id))


def _cells(row):
    return {c["category"]: c for c in row["cells"]}


def test_heatmap_averages_counts_and_insufficient_cells(api, acme):
    data = _get(api, acme["manager"], period="30d")
    heat = data["heatmap"]
    assert heat["min_sessions"] == 3
    assert [c["key"] for c in heat["categories"]] == [
        "rapport",
        "discovery",
        "objection_handling",
        "closing",
    ]
    assert [r["name"] for r in heat["rows"]] == [
        "Ana Alves",
        "Bruno Brito",
        "Carla Cruz",
        "Davi Dias",
    ]
    ana = _cells(_row(data, acme["ana"]))
    assert ana["rapport"] == {"category": "rapport", "sessions": 3, "average": 70.0, "status": "ok"}
    assert ana["discovery"]["average"] == 50.0 and ana["closing"]["average"] == 90.0
    bruno = _row(data, acme["bruno"])
    assert bruno["sessions"] == 2
    assert all(
        c == {**c, "sessions": 2, "average": None, "status": "insufficient"} for c in bruno["cells"]
    )
    assert bruno["overall"]["status"] == "insufficient" and bruno["overall"]["average"] is None
    davi = _row(data, acme["davi"])
    assert davi["sessions"] == 0 and {c["status"] for c in davi["cells"]} == {"insufficient"}
    # the manager's override counts: Carla's discovery is 20, 30, 40 and 50
    carla = _cells(_row(data, acme["carla"]))
    assert carla["discovery"] == {
        "category": "discovery",
        "sessions": 4,
        "average": 35.0,
        "status": "ok",
    }
    # the team: mean of sufficient personal averages (Ana 50, Carla 35), all sessions counted
    team = {c["category"]: c for c in heat["team"]["cells"]}
    assert team["discovery"] == {
        "category": "discovery",
        "sessions": 9,
        "average": 42.5,
        "status": "ok",
    }
    assert heat["team"]["people"] == 2
    # nobody else's company, no manager without practice
    names = {r["name"] for r in heat["rows"]}
    assert acme["globex_rep"].email not in names and acme["manager"].email not in names


def test_weakest_category_and_who_is_weakest(api, acme):
    weakest = _get(api, acme["manager"])["weakest"]
    assert weakest["category"] == "discovery" and weakest["name"] == "Descoberta"
    assert weakest["team_average"] == 42.5 and weakest["people"] == 2
    assert weakest["person"] == {
        "user_id": str(acme["carla"].id),
        "name": "Carla Cruz",
        "average": 35.0,
        "sessions": 4,
    }


def test_trends_moving_average_and_change_against_the_previous_period(api, acme):
    data = _get(api, acme["manager"], period="30d")
    ana = next(t for t in data["trends"] if t["user_id"] == str(acme["ana"].id))
    rapport = next(c for c in ana["categories"] if c["category"] == "rapport")
    assert [p["score"] for p in rapport["points"]] == [60, 70, 80]
    assert [p["moving_average"] for p in rapport["points"]] == [60, 65, 70]
    assert rapport["moving_average"] == 70
    assert rapport["average"] == 70 and rapport["previous_average"] == 50
    assert rapport["previous_sessions"] == 3 and rapport["change"] == 20
    # too few sessions on either side: no change
    carla = next(t for t in data["trends"] if t["user_id"] == str(acme["carla"].id))
    assert all(c["change"] is None and c["previous_sessions"] == 0 for c in carla["categories"])
    # `all` has no previous period
    everything = _get(api, acme["manager"], period="all")
    assert everything["period"]["start"] is None and everything["period"]["previous_start"] is None
    ana_all = next(t for t in everything["trends"] if t["user_id"] == str(acme["ana"].id))
    assert all(c["change"] is None for c in ana_all["categories"])
    assert next(c for c in ana_all["categories"] if c["category"] == "rapport")["sessions"] == 6


def test_activity_per_iso_week_minutes_and_modes(api, acme):
    data = _get(api, acme["manager"], period="30d")
    activity = data["activity"]
    ana = next(p for p in activity["people"] if p["user_id"] == str(acme["ana"].id))
    assert (ana["sessions"], ana["voice"], ana["text"]) == (3, 2, 1)
    assert ana["minutes"] == pytest.approx(21.0)
    expected = {}
    for days in (2, 9, 29):
        iso = _ago(days).isocalendar()
        key = f"{iso.year}-W{iso.week:02d}"
        expected[key] = expected.get(key, 0) + 1
    assert {w["week"]: w["sessions"] for w in ana["weeks"]} == expected
    assert all(datetime.fromisoformat(w["week_start"]).weekday() == 0 for w in ana["weeks"])
    assert activity["sessions"] == 3 + 2 + 4 and activity["voice"] == 2
    assert activity["weeks"] == sorted(activity["weeks"])


def test_metric_distributions_against_their_bands(api, acme):
    metrics = {m["key"]: m for m in _get(api, acme["manager"], period="30d")["metrics"]}
    assert list(metrics) == [
        "talk_ratio",
        "questions_per_10_min",
        "longest_monologue_seconds",
        "patience_seconds",
        "fillers_per_100_words",
        "words_per_minute",
    ]
    talk = metrics["talk_ratio"]
    values = [0.3, 0.4, 0.5, 0.6, 0.7, 0.45, 0.45, 0.45, 0.45]  # Ana's 3, Bruno's 2, Carla's 4
    assert talk["sessions"] == 9
    assert talk["median"] == pytest.approx(statistics.median(values))
    assert talk["minimum"] == 0.3 and talk["maximum"] == 0.7
    assert talk["mean"] == pytest.approx(statistics.fmean(values), abs=1e-3)
    assert (talk["below"], talk["within"], talk["above"]) == (1, 6, 2)
    assert talk["band"]["low"] == 0.35 and "Gong" in talk["band"]["source"]
    assert talk["name"] == "Proporção de fala do vendedor"
    bins = talk["histogram"]
    assert len(bins) == 10 and sum(b["sessions"] for b in bins) == 9
    assert bins[0]["low"] == 0.3 and bins[-1]["high"] == 0.7
    assert bins[0]["sessions"] == 1 and bins[-1]["sessions"] == 1
    # not measured in the period (text sessions have no pace): listed, empty, with the band
    pace = metrics["words_per_minute"]
    assert pace["sessions"] == 0 and pace["median"] is None and pace["histogram"] == []
    assert pace["band"]["low"] == 140


@pytest.mark.parametrize(
    ("period", "ana_sessions"), [("30d", 3), ("90d", 6), ("365d", 6), ("all", 6)]
)
def test_periods(api, acme, period, ana_sessions):
    data = _get(api, acme["manager"], period=period)
    assert _row(data, acme["ana"])["sessions"] == ana_sessions
    assert data["period"]["period"] == period


def test_period_boundaries_are_half_open(acme, sql):
    """A session exactly at the start counts, one exactly at the end does not; the previous
    period ends where this one starts."""
    ana = acme["ana"]
    now = datetime(2030, 1, 31, 12, tzinfo=UTC)
    start = now - timedelta(days=30)
    for at in (start, now, start - timedelta(microseconds=1)):
        history.seed(sql, ana.company_id, Practice(ana.id, at, _scores(10, 10, 10, 10)))
    with service_transaction() as conn:
        data = analytics.dashboard(conn, ana.company_id, AnalyticsQuery(period="30d"), now=now)
    assert data.period.start == start and data.period.previous_start == start - timedelta(days=30)
    row = next(r for r in data.heatmap.rows if r.user_id == ana.id)
    assert row.sessions == 1  # the one at `start`
    trend = next(t for t in data.trends if t.user_id == ana.id).categories[0]
    assert trend.previous_sessions == 1  # the one a microsecond before `start`


def test_filters_person_persona_and_mode(api, acme, sql):
    manager = acme["manager"]
    one = _get(api, manager, user_id=str(acme["carla"].id))
    assert [r["name"] for r in one["heatmap"]["rows"]] == ["Carla Cruz"]
    assert [t["name"] for t in one["trends"]] == ["Carla Cruz"]
    assert one["activity"]["sessions"] == 4 and one["filters"]["user_id"] == str(acme["carla"].id)

    voice = _get(api, manager, mode="voice")
    assert voice["activity"]["sessions"] == 2 and voice["activity"]["text"] == 0
    assert _row(voice, acme["ana"])["cells"][0]["sessions"] == 2

    paula = sql.execute("select id from public.personas where name = 'Paula Prado'").fetchone()[
        "id"
    ]
    by_persona = _get(api, manager, persona_id=str(paula))
    assert _row(by_persona, acme["bruno"])["sessions"] == 2
    assert _row(by_persona, acme["ana"])["sessions"] == 0
    # someone of another company: nothing, and nothing about them
    other = _get(api, manager, user_id=str(acme["globex_rep"].id))
    assert other["heatmap"]["rows"] == [] and other["activity"]["sessions"] == 0


@pytest.mark.parametrize(
    ("who", "status"), [("manager", 200), ("admin", 200), ("ana", 403), ("globex_manager", 200)]
)
def test_who_may_read_the_analytics(api, acme, who, status):
    response = api.get(URL, headers=acme[who].headers)
    assert response.status_code == status
    if status == 403:
        assert response.json()["error"]["code"] == "forbidden"
    if who == "globex_manager":
        rows = response.json()["heatmap"]["rows"]
        assert [r["user_id"] for r in rows] == [str(acme["globex_rep"].id)]
        assert rows[0]["cells"][0]["sessions"] == 1


@pytest.mark.parametrize(
    "params",
    [{"period": "7d"}, {"period": ""}, {"mode": "phone"}, {"user_id": "nope"}, {"persona_id": "1"}],
)
def test_bad_input_is_a_clear_422(api, acme, params):
    response = api.get(URL, headers=acme["manager"].headers, params=params)
    assert response.status_code == 422
    assert set(response.json()["error"]) >= {"code", "message", "request_id"}


def test_no_token_is_401_and_assignments_are_absent(api, acme):
    assert api.get(URL).status_code == 401
    assert _get(api, acme["manager"])["assignments"] is None
