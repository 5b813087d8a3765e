"""RLS reads the present membership: claims are hints, `public.profiles` decides (issue 12).

Each check runs as `authenticated` with hand-made claims, as a stale or tampered token would give
them; what the user sees must follow their row in `public.profiles`, whatever the claims say.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.sql.test_rls import TABLES, Denied, Tenant, _tenant, _visible, run_as


@pytest.fixture
def pair(sql) -> dict[str, Tenant]:
    return {name: _tenant(sql, name) for name in ("alpha", "beta")}


def _claims(user: uuid.UUID, company: uuid.UUID, role: str) -> dict[str, Any]:
    return {
        "sub": str(user),
        "role": "authenticated",
        "aud": "authenticated",
        "company_id": str(company),
        "user_role": role,
    }


def _view(db_url: str, claims: dict[str, Any]) -> dict[str, set[str]]:
    return {table: _visible(db_url, claims, table) for table in TABLES}


def test_stale_manager_claims_see_what_a_salesperson_sees(db_url, pair):
    me = pair["alpha"]
    seller = me.users["salesperson"]
    honest = _view(db_url, _claims(seller, me.company, "salesperson"))
    for role in ("manager", "admin"):
        stale = _view(db_url, _claims(seller, me.company, role))
        assert stale == honest
    assert honest["personas"] == set()  # the table's secrets are for managers
    assert _visible(db_url, _claims(seller, me.company, "admin"), "persona_cards") == {
        str(me.persona_active)  # the cards: active personas only
    }
    assert honest["training_sessions"] == {str(me.sessions[seller])}  # not the colleague's
    assert honest["usage"] == set()


def test_stale_manager_claims_cannot_write_what_managers_write(db_url, pair):
    me = pair["alpha"]
    claims = _claims(me.users["salesperson"], me.company, "admin")
    updated = run_as(
        db_url, claims, "update personas set difficulty = 'hard' where id = %s", me.persona_active
    )
    assert updated == []
    gone = run_as(db_url, claims, "delete from documents where id = %s", me.document)
    assert gone == []
    promoted = run_as(
        db_url, claims, "update profiles set role = 'admin' where id = %s", me.users["salesperson"]
    )
    assert promoted == []
    with pytest.raises(Denied, match="row-level security"):
        run_as(
            db_url,
            claims,
            "insert into documents (company_id, storage_path, filename) values (%s, %s, 'a.pdf')",
            me.company,
            f"{me.company}/{uuid.uuid4()}/a.pdf",
        )


def test_a_demoted_manager_loses_the_team_view_at_once(db_url, sql, pair):
    me = pair["alpha"]
    manager = me.users["manager"]
    claims = _claims(manager, me.company, "manager")
    assert len(_visible(db_url, claims, "training_sessions")) == 2
    sql.execute("update profiles set role = 'salesperson' where id = %s", (manager,))
    assert _visible(db_url, claims, "training_sessions") == set()  # they have no session
    assert _visible(db_url, claims, "personas") == set()  # no longer a manager: no secrets
    assert _visible(db_url, claims, "persona_cards") == {str(me.persona_active)}


def test_claims_naming_another_company_see_none_of_it(db_url, pair):
    me, other = pair["alpha"], pair["beta"]
    claims = _claims(me.users["admin"], other.company, "admin")
    seen = _view(db_url, claims)
    theirs = _view(db_url, _claims(other.users["admin"], other.company, "admin"))
    mine = _view(db_url, _claims(me.users["admin"], me.company, "admin"))
    assert seen == mine  # the present company, not the claimed one
    for table in TABLES:
        assert not (seen[table] & theirs[table]), table


@pytest.mark.parametrize("who", ["removed", "stranger"])
def test_without_a_profile_claims_see_nothing(db_url, sql, pair, who):
    me = pair["alpha"]
    user = me.users["manager"] if who == "removed" else uuid.uuid4()
    sql.execute("delete from profiles where id = %s", (user,))
    claims = _claims(user, me.company, "admin")
    assert all(rows == set() for rows in _view(db_url, claims).values())
    with pytest.raises(Denied, match="row-level security"):
        run_as(
            db_url,
            claims,
            "insert into personas (company_id, name, role) values (%s, 'x', 'CFO')",
            me.company,
        )


def test_helpers_read_profiles_and_ignore_the_claims(db_url, pair):
    me = pair["alpha"]
    seller = me.users["salesperson"]
    row = run_as(
        db_url,
        _claims(seller, pair["beta"].company, "admin"),
        "select private.company_id(), private.user_role(), private.is_manager()",
    )
    assert row == [(me.company, "salesperson", False)]
