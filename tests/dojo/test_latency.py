"""Latency from a report's message timings: delays, percentiles, interruptions."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from dojo.vapi.latency import CallLatency, measure
from dojo.vapi.messages import ArtifactMessage
from dojo.vapi.parsing import parse_server_message

FIXTURE = Path(__file__).parents[1] / "functions/webhooks/fixtures/end_of_call_report_recorded.json"


def _said(role: str, start: float, end: float, text: str = "oi") -> ArtifactMessage:
    t0 = 1_786_000_000_000
    return ArtifactMessage(
        role=role,
        message=text,
        time=t0 + start * 1000,
        end_time=t0 + end * 1000,
        seconds_from_start=start,
    )


def test_the_recorded_report_figures():
    report = parse_server_message(FIXTURE.read_bytes())
    latency = measure(report.transcript_messages).as_json()  # type: ignore[union-attr]
    # delays in call order: 820 (greeting), 2050 (after a knowledge-base lookup), 750, 1150,
    # 1600 (the salesperson's two messages are one turn), 680, 750
    assert latency["delays_ms"] == [820, 2050, 750, 1150, 1600, 680, 750]
    assert latency["p50_ms"] == 820
    assert latency["p95_ms"] == 1915  # 1600 + 0.7 x (2050 - 1600)
    assert latency["max_ms"] == 2050
    assert latency["over_1500ms_share"] == 0.286  # 2 of 7
    assert latency["persona_interruptions"] == 1  # Marina cut in 300 ms before Rafael ended
    assert latency["salesperson_interruptions"] == 1  # and Rafael 300 ms before she did


def test_untimed_messages_use_seconds_from_start_and_duration_in_ms():
    messages = [
        ArtifactMessage(role="user", message="Bom dia", seconds_from_start=1.0, duration=2000),
        ArtifactMessage(role="bot", message="Olá", seconds_from_start=3.4, duration=500),
    ]
    assert measure(messages).delays_ms == (400,)


def test_no_persona_response_means_no_figures():
    latency = measure([_said("bot", 0, 2), _said("system", 0, 0)]).as_json()
    assert latency["p50_ms"] is None and latency["over_1500ms_share"] is None
    assert latency["responses"] == 0


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=40))
def test_percentiles_are_ordered_and_within_the_delays(delays):
    latency = CallLatency(tuple(delays), 0, 0)
    p50, p95 = latency.percentile(50), latency.percentile(95)
    assert p50 is not None and p95 is not None
    assert min(delays) <= p50 <= p95 <= max(delays)
