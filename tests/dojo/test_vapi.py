"""`dojo.vapi`: typed assistant, tolerant message parsing, request authentication."""

from __future__ import annotations

import json
import time

import pytest
from pydantic import SecretStr, ValidationError

from dojo.errors import BadRequest, Unauthorized, UpstreamError
from dojo.settings import Settings
from dojo.vapi.assistant import (
    Assistant,
    Model,
    Server,
    SystemMessage,
    Transcriber,
    Voice,
    server_for,
)
from dojo.vapi.auth import authenticate_headers, sign, verify_request
from dojo.vapi.messages import ToolCallsMessage
from dojo.vapi.parsing import parse_server_message, report_from_call
from dojo.vapi.replies import single_line
from dojo.vapi.transcript import normalise_transcript

SECRET = "s3cret"


def _assistant(**extra):
    return Assistant(
        name="Carla",
        first_message="Alô?",
        model=Model(messages=[SystemMessage(content="Você é Carla.")]),
        voice=Voice(voice_id="v1", model="eleven_multilingual_v2"),
        transcriber=Transcriber(),
        server=Server(url="https://hooks.test/api/v1/webhooks/vapi", credential_id="c1"),
        **extra,
    )


def test_assistant_wire_shape_is_camel_case_without_nulls():
    wire = _assistant().wire()
    assert wire["firstMessage"] == "Alô?" and wire["maxDurationSeconds"] == 600
    assert wire["artifactPlan"] == {"recordingEnabled": True}
    assert wire["analysisPlan"] == {
        "summaryPlan": {"enabled": False},
        "successEvaluationPlan": {"enabled": False},
    }
    assert wire["server"] == {
        "url": "https://hooks.test/api/v1/webhooks/vapi",
        "timeoutSeconds": 20,
        "credentialId": "c1",
    }
    assert "endCallMessage" not in wire


@pytest.mark.parametrize(
    "bad",
    [{"firstMesage": "typo"}, {"serverUrl": "https://old.test"}, {"max_duration_seconds": 5}],
)
def test_a_misspelled_or_removed_field_never_reaches_vapi(bad):
    with pytest.raises(ValidationError):
        _assistant(**bad)


def test_voice_model_must_speak_portuguese():
    with pytest.raises(ValidationError):
        Voice(voice_id="v1", model="eleven_turbo_v2")  # type: ignore[arg-type]


def test_server_for_needs_a_credential_or_bearer_secret():
    hmac_settings = Settings(vapi_auth_mode="hmac", vapi_webhook_secret=SecretStr(SECRET))
    with pytest.raises(Exception, match="not configured"):
        server_for(hmac_settings, "https://x.test")
    bearer = Settings(vapi_auth_mode="bearer", vapi_webhook_secret=SecretStr(SECRET))
    assert server_for(bearer, "https://x.test").headers == {"authorization": f"Bearer {SECRET}"}
    custom = Settings(
        vapi_auth_mode="bearer",
        vapi_webhook_secret=SecretStr(SECRET),
        vapi_bearer_header="X-Vapi-Secret",
    )
    assert server_for(custom, "https://x.test").headers == {"X-Vapi-Secret": SECRET}


def _hmac_settings() -> Settings:
    return Settings(vapi_auth_mode="hmac", vapi_webhook_secret=SecretStr(SECRET))


@pytest.mark.parametrize("unit", [1, 1000])
def test_hmac_accepts_seconds_and_milliseconds(unit):
    body = b'{"message": {"type": "status-update"}}'
    stamp = str(int(time.time() * unit))
    headers = {"x-timestamp": stamp, "x-signature": sign(body, SECRET, stamp)}
    verify_request(headers, body, _hmac_settings())


def test_hmac_rejects_stale_future_bad_and_missing():
    body = b"{}"
    now = time.time()
    settings = _hmac_settings()
    for moment in (now - 301, now + 301):
        stamp = str(int(moment))
        with pytest.raises(Unauthorized):
            verify_request(
                {"x-timestamp": stamp, "x-signature": sign(body, SECRET, stamp)}, body, settings
            )
    stamp = str(int(now))
    with pytest.raises(Unauthorized):
        verify_request({"x-timestamp": stamp, "x-signature": "ab" * 32}, body, settings)
    with pytest.raises(Unauthorized):
        verify_request({"x-timestamp": "yesterday", "x-signature": "ab"}, body, settings)
    with pytest.raises(Unauthorized):
        verify_request({}, body, settings)


@pytest.mark.parametrize(
    "stamp",
    ["nan", "NaN", "inf", "-inf", "-5", "1e3", "1_754_436_160", " 0x10", "9" * 20, "0", "+17"],
)
def test_hmac_timestamps_must_be_plain_finite_numbers(stamp):
    """A matching HMAC over a non-number (nan never compares as stale) is still refused."""
    body = b'{"message": {"type": "status-update"}}'
    headers = {"x-timestamp": stamp, "x-signature": sign(body, SECRET, stamp)}
    with pytest.raises(Unauthorized):
        verify_request(headers, body, _hmac_settings())


def test_headers_are_checked_before_the_body():
    settings = _hmac_settings()
    stamp = str(int(time.time()))
    claim = authenticate_headers({"x-timestamp": stamp, "x-signature": "AB" * 32}, settings)
    assert claim is not None and claim.stamp == stamp and SECRET not in repr(claim)
    with pytest.raises(Unauthorized):
        claim.verify(b"{}")
    signed = {"x-timestamp": stamp, "x-signature": sign(b"{}", SECRET, stamp)}
    claim = authenticate_headers(signed, settings)
    assert claim is not None
    claim.verify(b"{}")
    with pytest.raises(Unauthorized):
        claim.verify(b"{} ")
    bearer = Settings(vapi_auth_mode="bearer", vapi_webhook_secret=SecretStr(SECRET))
    assert authenticate_headers({"authorization": f"Bearer {SECRET}"}, bearer) is None
    with pytest.raises(Unauthorized):
        authenticate_headers({"authorization": "Bearer nope"}, bearer)


def test_no_secret_configured_fails_closed():
    body = b"{}"
    stamp = str(int(time.time()))
    with pytest.raises(Unauthorized):
        verify_request(
            {"x-timestamp": stamp, "x-signature": sign(body, "", stamp)}, body, Settings()
        )


def test_tool_call_arguments_are_read_wherever_they_are():
    message = parse_server_message(
        json.dumps(
            {
                "message": {
                    "type": "tool-calls",
                    "call": {"id": "c"},
                    "toolCallList": [
                        {"id": "1", "function": {"name": "a", "arguments": '{"query": "x"}'}},
                        {"id": "2", "function": {"name": "a", "arguments": {"query": "y"}}},
                        {"id": "3", "name": "a", "parameters": {"query": "z"}},
                        {"id": "4", "function": {"name": "a", "arguments": "not json"}},
                    ],
                }
            }
        ).encode()
    )
    assert isinstance(message, ToolCallsMessage)
    assert [c.args() for c in message.calls()] == [
        {"query": "x"},
        {"query": "y"},
        {"query": "z"},
        {},
    ]
    assert [c.tool_name for c in message.calls()] == ["a"] * 4


@pytest.mark.parametrize(
    "body", [b"", b"[1]", b'{"message": "x"}', b'{"message": {"type": 3}}', b'{"msg": {}}']
)
def test_malformed_envelopes(body):
    with pytest.raises(BadRequest):
        parse_server_message(body)


def _deep(depth: int) -> bytes:
    return b'{"message": {"type": "x", "v": ' + b"[" * depth + b"]" * depth + b"}}"


@pytest.mark.parametrize(
    "body",
    [
        _deep(100_000),  # past the C decoder's recursion limit
        _deep(63),  # 65 levels with the envelope: past ours
        b'{"message": {"type": "status-update", "status": "ended", "call": {"id": "a\\u0000"}}}',
        b'{"message": {"type": "x", "call": {"id": "a"}, "k\\u0000": 1}}',
        b'{"message": {"type": "x", "text": "\\udc00 alone"}}',
        b'{"message": {"type": "end-of-call-report", "call": {"id": "a"}, "cost": NaN}}',
        b'{"message": {"type": "end-of-call-report", "call": {"id": "a"}, "cost": 1e400}}',
        b'{"message": {"type": "end-of-call-report", "call": {"id": "a", "cost": -1}}}',
    ],
)
def test_unstorable_or_too_deep_input_is_a_bad_request(body):
    with pytest.raises(BadRequest):
        parse_server_message(body)


def test_paired_surrogates_and_moderate_depth_are_fine():
    message = parse_server_message(_deep(40).replace(b'"x"', b'"x \\ud83d\\ude00"'))
    assert message.type == "x \U0001f600"


def test_an_unreadable_call_from_vapi_is_an_upstream_error():
    with pytest.raises(UpstreamError):
        report_from_call({"id": "c\u0000", "status": "ended"})
    assert report_from_call({"id": "c", "status": "ended", "cost": 0.5}).total_cost == 0.5


def test_unknown_types_parse():
    message = parse_server_message(b'{"message": {"type": "hang", "call": {"id": "c"}}}')
    assert message.type == "hang"


def test_transcript_normalisation_uses_end_time_minus_time():
    report = parse_server_message(
        json.dumps(
            {
                "message": {
                    "type": "end-of-call-report",
                    "call": {"id": "c"},
                    "messages": [  # the legacy top-level list, used when the artifact has none
                        {
                            "role": "assistant",
                            "message": " Oi ",
                            "time": 0,
                            "endTime": 2000,
                            "secondsFromStart": 0.5,
                            "duration": 2,
                        },
                        {"role": "user", "message": "", "secondsFromStart": 3},
                        {"role": "user", "message": "Olá,  tudo bem?", "secondsFromStart": 3},
                    ],
                }
            }
        ).encode()
    )
    turns = normalise_transcript(report.transcript_messages)  # type: ignore[union-attr]
    assert [(t.speaker, t.text, t.start, t.end, t.words) for t in turns] == [
        ("persona", "Oi", 0.5, 2.5, 1),
        ("salesperson", "Olá, tudo bem?", 3.0, 3.0, 3),
    ]


def test_single_line_results():
    assert single_line("a\nb\r\n  c", 100) == "a b c"
    assert len(single_line("x" * 50, 10)) == 10


def test_retries_stop_at_the_deadline(mock_http):
    import httpx

    from dojo.errors import UpstreamError
    from dojo.vapi.client import VapiClient

    settings = Settings(
        vapi_private_key=SecretStr("k"),
        vapi_max_retries=6,
        vapi_retry_wait_seconds=0.05,
        vapi_deadline_seconds=0.1,
    )
    route = mock_http.get("https://api.vapi.ai/call/c1").mock(return_value=httpx.Response(500))
    client = VapiClient(settings)
    with pytest.raises(UpstreamError):
        client.get_call("c1")
    assert 2 <= route.call_count < 7
