"""Recordings: copied from Vapi into our storage after the report, played from signed URLs."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from dojo import recordings
from dojo.settings import get_settings
from sessions.sweeper import sweep
from tests.functions.sessions.data import (
    VAPI,
    VAPI_STORAGE,
    WAV,
    insert_persona,
    insert_voice_session,
    vapi_env,
)
from tests.functions.webhooks.payloads import URL, end_of_call_report, signed

REPORT = json.loads(
    (Path(__file__).parent / "fixtures/end_of_call_report_recorded.json").read_text()
)
CALL = REPORT["message"]["call"]["id"]


@pytest.fixture
def call(api, make_user, sql, monkeypatch):
    vapi_env(monkeypatch, mode="hmac", credential="cred-1")
    owner = make_user("Nuvem Fiscal", "salesperson")
    persona = insert_persona(sql, owner.company_id)
    sid = insert_voice_session(sql, owner.id, owner.company_id, persona, CALL)
    return owner, sid


def _report(api, payload=REPORT):
    body, headers = signed(payload)
    response = api.post(URL, content=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def _row(sql, sid):
    return sql.execute("select * from public.training_sessions where id = %s", (sid,)).fetchone()


def _stored(path: str) -> Path:
    settings = get_settings()
    return Path(settings.data_dir).expanduser() / "storage" / settings.recordings_bucket / path


def test_report_copies_the_recording_and_the_owner_plays_it(api, sql, call, vapi_recordings):
    owner, sid = call
    assert _report(api)["applied"] is True
    row = _row(sql, sid)
    path = f"{owner.company_id}/{sid}.wav"
    assert row["recording_path"] == path and row["recording_copy_pending_at"] is None
    assert row["recording_copy_attempts"] == 1 and row["recording_copied_at"] is not None
    assert _stored(path).read_bytes() == WAV
    # the presigned URL of the report is the one downloaded (Vapi's plain URL is not public)
    assert "X-Amz-Signature" in str(vapi_recordings.calls.last.request.url)
    detail = api.get(f"/api/v1/sessions/{sid}", headers=owner.headers).json()
    played = api.get(detail["recording_url"].removeprefix(get_settings().public_url.rstrip("/")))
    assert played.status_code == 200 and played.content == WAV
    # a duplicate report copies nothing again
    assert _report(api)["applied"] is False
    assert vapi_recordings.call_count == 1


def test_managers_hear_it_other_salespeople_and_companies_get_404(api, sql, call, make_user):
    _owner, sid = call
    _report(api)
    manager = make_user("Nuvem Fiscal", "manager")
    colleague = make_user("Nuvem Fiscal", "salesperson")
    stranger = make_user("Globex", "manager")
    seen = api.get(f"/api/v1/sessions/{sid}", headers=manager.headers).json()
    assert seen["recording_url"] and seen["latency"]["p95_ms"] == 1915
    for other in (colleague, stranger):
        response = api.get(f"/api/v1/sessions/{sid}", headers=other.headers)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_a_forged_or_expired_link_reads_nothing(api, sql, call):
    owner, sid = call
    _report(api)
    url = api.get(f"/api/v1/sessions/{sid}", headers=owner.headers).json()["recording_url"]
    token = url.rsplit("/", 1)[1]
    forged = token[:-4] + ("0000" if not token.endswith("0000") else "1111")
    assert api.get(f"/storage/v1/downloads/{forged}").status_code == 404
    upload_link = recordings.RECORDINGS.get().signed_upload("x/y.wav", 10).token
    assert api.get(f"/storage/v1/downloads/{upload_link}").status_code == 404


def test_passing_failures_are_retried_within_the_copy(api, sql, call, mock_http):
    owner, sid = call
    route = mock_http.get(url__startswith=VAPI_STORAGE).mock(
        side_effect=[
            httpx.Response(503),
            httpx.ConnectTimeout("slow"),
            httpx.Response(200, content=WAV, headers={"content-type": "audio/wav"}),
        ]
    )
    _report(api)
    assert route.call_count == 3
    assert _row(sql, sid)["recording_path"] == f"{owner.company_id}/{sid}.wav"


def test_a_failed_copy_stays_owed_and_the_sweeper_finishes_it(api, sql, call, mock_http):
    owner, sid = call
    down = mock_http.get(url__startswith=VAPI_STORAGE).mock(return_value=httpx.Response(502))
    _report(api)
    row = _row(sql, sid)
    assert down.call_count == get_settings().recording_copy_tries
    assert row["status"] == "ended" and row["recording_path"] is None
    assert row["recording_copy_pending_at"] is not None and "502" in row["recording_copy_error"]
    assert api.get(f"/api/v1/sessions/{sid}", headers=owner.headers).json()["recording_url"] is None
    # too fresh for the sweeper: the failed attempt may still be finishing
    assert sweep()["recordings_copied"] == 0
    sql.execute(  # an hour later (the call is recent: its recording is within retention)
        "update public.training_sessions set recording_copy_claimed_at = now() - interval '1 hour',"
        " ended_at = now() - interval '1 hour' where id = %s",
        (sid,),
    )
    # the presigned URL has expired by now; the call's recording endpoint redirects to a fresh one
    mock_http.get(url__startswith=VAPI_STORAGE).mock(return_value=httpx.Response(403))
    fresh = "https://recordings.vapi-signed.example/fresh.wav"
    api_route = mock_http.get(f"{VAPI}/call/{CALL}/mono-recording").mock(
        return_value=httpx.Response(302, headers={"location": fresh})
    )
    mock_http.get(fresh).mock(return_value=httpx.Response(200, content=WAV))
    result = sweep()
    assert result["recordings_copied"] == 1 and result["recordings_owed"] == 0
    assert api_route.calls.last.request.headers["authorization"].startswith("Bearer ")
    row = _row(sql, sid)
    assert row["recording_copy_attempts"] == 2 and row["recording_path"].endswith(".wav")
    assert row["recording_copy_error"] is None


def test_a_worker_taken_over_writes_nothing(api, sql, call):
    owner, sid = call
    sql.execute(
        "update public.training_sessions set recording_copy_attempts = 2,"
        " recording_copy_pending_at = now(), call_report_at = now() where id = %s",
        (sid,),
    )
    stale = recordings.CopyJob(sid, owner.company_id, CALL, VAPI_STORAGE + "rec.wav", 1)
    assert recordings.copy(stale) is False
    assert _row(sql, sid)["recording_path"] is None


def test_a_report_without_recording_owes_nothing(api, sql, call):
    _owner, sid = call
    payload = end_of_call_report(CALL)
    del payload["message"]["artifact"]["recordingUrl"]
    _report(api, payload)
    row = _row(sql, sid)
    assert row["recording_copy_pending_at"] is None and row["recording_copy_attempts"] == 0
