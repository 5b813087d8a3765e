"""Recording retention: a company setting (managers), a sweep that deletes older recordings."""

from __future__ import annotations

import pytest

from dojo.providers.storage import RECORDINGS, ObjectMissing
from sessions.sweeper import sweep
from tests.functions.sessions.data import WAV, insert_persona, insert_voice_session, vapi_env

SETTINGS = "/api/v1/auth/company/settings"


def _kept(sql, user, persona, call_id: str, days_ago: int):
    """A voice session that ended `days_ago` days ago with its recording in our storage."""
    sid = insert_voice_session(sql, user.id, user.company_id, persona, call_id, status="ended")
    path = f"{user.company_id}/{sid}.wav"
    RECORDINGS.get().put(path, WAV, "audio/wav")
    sql.execute("set session_replication_role = replica")  # no grading dispatch for the arrangement
    sql.execute(
        "update public.training_sessions set recording_path = %s, recording_copied_at = now(),"
        ' transcript = \'[{"speaker": "persona", "text": "Alô", "start": 0, "end": 1,'
        ' "words": 1}]\', ended_at = now() - make_interval(days => %s) where id = %s',
        (path, days_ago, sid),
    )
    sql.execute("set session_replication_role = origin")
    return sid, path


def _path(sql, sid):
    return sql.execute(
        "select recording_path, recording_deleted_at, jsonb_array_length(transcript) as turns"
        " from public.training_sessions where id = %s",
        (sid,),
    ).fetchone()


def _exists(path: str) -> bool:
    try:
        RECORDINGS.get().get(path)
    except ObjectMissing:
        return False
    return True


def test_managers_set_retention_salespeople_cannot(api, make_user):
    manager = make_user("Nuvem Fiscal", "manager")
    seller = make_user("Nuvem Fiscal", "salesperson")
    assert api.get(SETTINGS, headers=seller.headers).json()["recording_retention_days"] is None
    refused = api.patch(SETTINGS, headers=seller.headers, json={"recording_retention_days": 7})
    assert refused.status_code == 403
    for bad in (0, 5000, "soon"):
        response = api.patch(
            SETTINGS, headers=manager.headers, json={"recording_retention_days": bad}
        )
        assert response.status_code == 422, bad
    changed = api.patch(SETTINGS, headers=manager.headers, json={"recording_retention_days": 30})
    assert changed.status_code == 200 and changed.json()["recording_retention_days"] == 30
    assert api.get(SETTINGS, headers=seller.headers).json()["recording_retention_days"] == 30


def test_the_sweep_deletes_only_recordings_past_their_companys_retention(
    api, sql, make_user, monkeypatch
):
    vapi_env(monkeypatch)
    manager = make_user("Nuvem Fiscal", "manager")
    seller = make_user("Nuvem Fiscal", "salesperson")
    other = make_user("Globex", "salesperson")  # keeps the default, 90 days
    mine, theirs = insert_persona(sql, seller.company_id), insert_persona(sql, other.company_id)
    api.patch(SETTINGS, headers=manager.headers, json={"recording_retention_days": 30})
    old, old_path = _kept(sql, seller, mine, "call-old", 40)
    recent, recent_path = _kept(sql, seller, mine, "call-recent", 10)
    other_old, other_path = _kept(sql, other, theirs, "call-globex", 40)

    assert sweep()["recordings_deleted"] == 1
    gone = _path(sql, old)
    assert gone["recording_path"] is None and gone["recording_deleted_at"] is not None
    assert gone["turns"] == 1  # the transcript stays
    assert not _exists(old_path)
    assert _exists(recent_path) and _path(sql, recent)["recording_path"] == recent_path
    assert _exists(other_path) and _path(sql, other_old)["recording_path"] == other_path
    detail = api.get(f"/api/v1/sessions/{old}", headers=seller.headers).json()
    assert detail["recording_url"] is None and len(detail["transcript"]) == 1
    assert sweep()["recordings_deleted"] == 0


@pytest.mark.parametrize("days", [1, 89])
def test_the_default_keeps_recent_recordings(api, sql, make_user, monkeypatch, days):
    vapi_env(monkeypatch)
    seller = make_user("Nuvem Fiscal", "salesperson")
    _sid, path = _kept(sql, seller, insert_persona(sql, seller.company_id), f"call-{days}", days)
    assert sweep()["recordings_deleted"] == 0 and _exists(path)
