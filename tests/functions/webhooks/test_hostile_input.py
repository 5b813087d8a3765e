"""Hostile requests to the Vapi webhook (issue 12): 401 before anything is read or parsed, 413
past the body cap, 400 for input the database cannot store, and none of them changes anything.

Every signed case uses the real HMAC scheme (`hex(HMAC-SHA256(secret, "<timestamp>.<body>"))`).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dojo.vapi.auth import sign
from tests.functions.sessions.data import (
    WEBHOOK_SECRET,
    insert_material,
    insert_persona,
    insert_voice_session,
    vapi_env,
)
from tests.functions.webhooks.payloads import URL, end_of_call_report, signed, tool_calls

CAP = 6 * 1024 * 1024  # Lambda's synchronous request payload (Function URL / HTTP API)


@pytest.fixture
def voice(api, make_user, sql, monkeypatch):
    vapi_env(monkeypatch, mode="hmac", credential="cred-1")
    user = make_user("Nuvem Fiscal", "salesperson")
    insert_material(sql, user.company_id)
    persona = insert_persona(sql, user.company_id)
    return insert_voice_session(sql, user.id, user.company_id, persona, "call-A")


def _unchanged(sql, sid) -> None:
    """The session still waits for its report: nothing was saved, graded or billed."""
    row = sql.execute(
        "select status, transcript, call_report_at, cost from public.training_sessions"
        " where id = %s",
        (sid,),
    ).fetchone()
    assert row == {"status": "active", "transcript": [], "call_report_at": None, "cost": None}
    assert sql.execute("select count(*) as n from net.http_request_queue").fetchone()["n"] == 0
    assert sql.execute("select count(*) as n from public.usage").fetchone()["n"] == 0


def _error(response, status: int | tuple[int, ...]) -> dict[str, Any]:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, response.text
    error = response.json()["error"]
    assert set(error) >= {"code", "message", "request_id"}
    return error


def _stamped(body: bytes, stamp: str) -> dict[str, str]:
    """Headers whose HMAC matches `stamp` exactly as sent: only the freshness check can refuse."""
    return {
        "content-type": "application/json",
        "x-timestamp": stamp,
        "x-signature": sign(body, WEBHOOK_SECRET, stamp),
    }


# --- the timestamp must be a plain, finite, recent number ------------------------------------


@pytest.mark.parametrize(
    "stamp",
    [
        "nan",
        "NaN",
        "inf",
        "-inf",
        "Infinity",
        "-1754436160",
        "0",
        "1e12",
        "1_754_436_160",
        "0x68a1b2c3",
        "99999999999999999999",
        "yesterday",
        "",
    ],
)
def test_timestamps_that_are_not_finite_recent_numbers_are_401(api, sql, voice, stamp):
    body = json.dumps(end_of_call_report("call-A")).encode()
    _error(api.post(URL, content=body, headers=_stamped(body, stamp)), 401)
    _unchanged(sql, voice)


def test_a_correctly_signed_fresh_timestamp_still_passes(api, sql, voice):
    body = json.dumps(end_of_call_report("call-A")).encode()
    for stamp in (str(int(time.time())), f"{time.time():.3f}", str(int(time.time() * 1000))):
        assert api.post(URL, content=body, headers=_stamped(body, stamp)).status_code == 200


# --- bodies are bounded before they are read ----------------------------------------------------


def _report_of(size: int) -> bytes:
    """A well-formed report padded to `size` bytes with transcript text."""
    payload = end_of_call_report("call-A")
    base = len(json.dumps(payload).encode())
    payload["message"]["artifact"]["transcript"] += "x" * (size - base)
    body = json.dumps(payload).encode()
    assert len(body) == size
    return body


def test_a_body_past_the_cap_is_413_and_changes_nothing(api, sql, voice):
    body = _report_of(CAP + 1)
    _error(api.post(URL, content=body, headers=signed(body)[1]), 413)
    _unchanged(sql, voice)


def test_a_streamed_body_without_length_past_the_cap_is_413(api, sql, voice):
    body = _report_of(CAP + 1)
    headers = signed(body)[1]

    def chunks():
        for i in range(0, len(body), 64 * 1024):
            yield body[i : i + 64 * 1024]

    response = api.post(URL, content=chunks(), headers=headers)
    _error(response, 413)
    _unchanged(sql, voice)


def test_a_body_at_the_cap_is_read_and_applied(api, sql, voice):
    body = _report_of(CAP)
    response = api.post(URL, content=body, headers=signed(body)[1])
    assert response.status_code == 200 and response.json()["applied"] is True


class _Receiver:
    """An ASGI `receive` sending a large body in chunks, counting what the app pulled."""

    def __init__(self, chunks: int, size: int = 64 * 1024) -> None:
        self.left = chunks
        self.size = size
        self.pulled = 0

    async def __call__(self) -> dict[str, Any]:
        if self.left == 0:
            return {"type": "http.disconnect"}
        self.left -= 1
        self.pulled += 1
        return {"type": "http.request", "body": b"{" * self.size, "more_body": self.left > 0}


def _call_app(headers: dict[str, str], receive: _Receiver) -> int:
    """The webhooks app called directly over ASGI; returns the response status."""
    from webhooks.app import app

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": URL,
        "raw_path": URL.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    asyncio.run(app(scope, receive, send))
    return next(m["status"] for m in sent if m["type"] == "http.response.start")


def test_unauthenticated_callers_get_401_before_the_body_is_read(voice):
    receive = _Receiver(chunks=1000)  # 64 MB on offer
    assert _call_app({"content-type": "application/json"}, receive) == 401
    assert receive.pulled == 0
    stale = {"x-timestamp": str(int(time.time()) - 3600), "x-signature": "ab" * 32}
    assert _call_app(stale, receive) == 401
    assert receive.pulled == 0


def test_a_declared_length_past_the_cap_is_413_unread(voice):
    receive = _Receiver(chunks=1000)
    headers = {**_stamped(b"", str(int(time.time()))), "content-length": str(CAP + 1)}
    assert _call_app(headers, receive) == 413
    assert receive.pulled == 0


def test_an_undeclared_stream_stops_at_the_cap(voice):
    receive = _Receiver(chunks=1000)
    assert _call_app(_stamped(b"", str(int(time.time()))), receive) == 413
    assert receive.pulled == CAP // (64 * 1024) + 1  # read up to the cap, not the 64 MB


# --- input the database cannot store is a 400 that changes nothing ------------------------------


def _nested(depth: int) -> bytes:
    return b'{"message": {"type": "end-of-call-report", "call": {"id": "call-A"}, "x": ' + (
        b"[" * depth + b"]" * depth + b"}}"
    )


def _report(mutate) -> dict[str, Any]:
    payload = end_of_call_report("call-A")
    mutate(payload["message"])
    return payload


def _say(message: dict[str, Any], text: str) -> None:
    message["artifact"]["messages"][1]["message"] = text


def _times(message: dict[str, Any], start: float, end: float) -> None:
    message["artifact"]["messages"][2].update(time=start, endTime=end)


HOSTILE = {
    "100,000-deep JSON": _nested(100_000),
    "65-deep JSON": _nested(63),
    "NUL in call.id": _report(lambda m: m["call"].update(id="call-A\u0000")),
    "NUL in the transcript": _report(lambda m: _say(m, "Alô\u0000, aqui é a Carla.")),
    "NUL in a key": _report(lambda m: m["artifact"].update({"x\u0000": 1})),
    "unpaired surrogate in the transcript": _report(lambda m: _say(m, "Alô \ud800")),
    "NaN cost (not JSON)": json.dumps(_report(lambda m: m.update(cost=float("nan")))).encode(),
    "cost beyond a float": json.dumps(end_of_call_report("call-A"))
    .replace('"cost": 0.42', '"cost": 1e400', 1)
    .encode(),
    "absurd cost": _report(lambda m: m.update(cost=1e9)),
    "negative cost": _report(lambda m: m.update(cost=-5)),
    "call lasting millennia": _report(
        lambda m: m.update(startedAt="0001-01-01T00:00:00Z", endedAt="9999-12-31T00:00:00Z")
    ),
    "absurd legacy duration": _report(lambda m: m.update(durationSeconds=1e12)),
    "turn times at the float limits": _report(lambda m: _times(m, -1.7e308, 1.7e308)),
    "turn start at the float limit": _report(
        lambda m: m["artifact"]["messages"][1].update(secondsFromStart=1.7e308)
    ),
    "not an object": b"[1, 2]",
    "not UTF-8": b'{"message": {"type": "status-update", "call": {"id": "\xff"}}}',
    "type not a string": {"message": {"type": ["end-of-call-report"], "call": {"id": "call-A"}}},
    "call id too long": _report(lambda m: m["call"].update(id="c" * 201)),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_signed_hostile_input_is_400_and_changes_nothing(api, sql, voice, case):
    response = api.post(URL, content=(body := _body(HOSTILE[case])), headers=signed(body)[1])
    # 400 from the webhook; 422 should a generic NUL rule for JSON bodies answer first
    _error(response, (400, 422) if "NUL" in case else 400)
    _unchanged(sql, voice)
    assert api.post(URL, json={}, headers={}).status_code == 401  # still answering, no 500 after


def _body(payload: Any) -> bytes:
    return payload if isinstance(payload, bytes) else json.dumps(payload).encode()


def test_nul_in_a_tool_call_query_is_refused(api, voice):
    payload = tool_calls("call-A", ("tc-1", {"query": "preço\u0000"}))
    body = _body(payload)
    _error(api.post(URL, content=body, headers=signed(body)[1]), (400, 422))


@pytest.mark.parametrize(
    "arguments", ['{"query": "pre\\u00e7o\\u0000"}', '{"query": ' + "[" * 5000 + "]" * 5000 + "}"]
)
def test_unreadable_arguments_strings_answer_an_error_for_that_call(api, voice, arguments):
    """Arguments sent as a JSON string are decoded as strictly as the body."""
    body = _body(tool_calls("call-A", ("tc-1", arguments), ("tc-2", '{"query": "suporte"}')))
    response = api.post(URL, content=body, headers=signed(body)[1])
    assert response.status_code == 200
    first, second = response.json()["results"]
    assert first == {
        "toolCallId": "tc-1",
        "name": "search_knowledge_base",
        "error": "the query is empty",
    }
    assert "suporte" in second["result"]


def test_depth_within_the_bound_is_fine(api, sql, voice):
    body = _nested(20)
    assert api.post(URL, content=body, headers=signed(body)[1]).status_code == 200


# --- any mutation of a real report: a 200 or a 400, never anything else ------------------------

_EDGES = [None, True, "", "\u0000", "a\u0000b", 1e308, -1e308, 2**64, [], {}]
_LEAVES = st.one_of(
    st.sampled_from(_EDGES),
    st.sampled_from(["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-08-01T12:00:00Z"]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _put(payload: Any, path: tuple[Any, ...], value: Any) -> None:
    """Set the value at `path`, if an earlier mutation left the path in place."""
    node = payload
    try:
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value
    except (KeyError, IndexError, TypeError):
        pass


REPORT = end_of_call_report("call-A")
PATHS = _paths(REPORT)


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.tuples(st.sampled_from(PATHS), _LEAVES), min_size=1, max_size=3))
def test_mutated_reports_are_200_or_400_never_500(api, sql, voice, mutations):
    payload = json.loads(json.dumps(REPORT))
    for path, value in mutations:
        _put(payload, path, value)
    body = json.dumps(payload).encode()
    response = api.post(URL, content=body, headers=signed(body)[1])
    # NUL is refused by the one rule every route has (422); anything else malformed is 400
    refused = 422 if b"\\u0000" in body else 400
    assert response.status_code in (200, refused), (mutations, response.text)
    if response.status_code == refused:
        _unchanged(sql, voice)
    sql.execute(
        "update public.training_sessions set status = 'active', transcript = '[]',"
        " call_report_at = null, cost = null, duration_seconds = null, recording_url = null,"
        " ended_reason = null, ended_at = null where id = %s",
        (voice,),
    )
    sql.execute("delete from public.usage")
    sql.execute("delete from net.http_request_queue")
