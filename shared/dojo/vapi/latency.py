"""How quickly the persona answered on a call, from the report's message timings (§2.3).

A call's spoken messages (user = salesperson, bot = persona) are placed on one clock: epoch ms
from `time`/`endTime` when the message has them, else `secondsFromStart` (+ `duration`, which is
milliseconds in real payloads). Consecutive messages of one speaker are one turn (Vapi splits a
long answer into several). Then, for each change of speaker:

- persona after salesperson: the persona's response delay is its start minus the salesperson's
  end; a start before that end is the persona interrupting (not a delay);
- salesperson after persona: a start before the persona's end is the salesperson interrupting.

Percentiles interpolate linearly between ranks (numpy's default), so p50 of [100, 300] is 200.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

from dojo.vapi.messages import ArtifactMessage

SLOW_MS = 1500  # a response slower than this feels like dead air on a call


@dataclass(frozen=True)
class _Span:
    persona: bool
    start_ms: float
    end_ms: float


@dataclass(frozen=True)
class CallLatency:
    """A call's response delays (ms, in call order) and interruptions."""

    delays_ms: tuple[int, ...]
    persona_interruptions: int
    salesperson_interruptions: int

    def percentile(self, q: float) -> int | None:
        """The q-th percentile (0–100) of the delays, linearly interpolated; None without any."""
        if not self.delays_ms:
            return None
        ordered = sorted(self.delays_ms)
        rank = (len(ordered) - 1) * q / 100
        low, high = math.floor(rank), math.ceil(rank)
        value = ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
        return round(value)

    def as_json(self) -> dict[str, Any]:
        """What the session stores (`training_sessions.latency`)."""
        delays = self.delays_ms
        slow = sum(1 for d in delays if d > SLOW_MS)
        return {
            "p50_ms": self.percentile(50),
            "p95_ms": self.percentile(95),
            "max_ms": max(delays) if delays else None,
            "over_1500ms_share": round(slow / len(delays), 3) if delays else None,
            "responses": len(delays),
            "persona_interruptions": self.persona_interruptions,
            "salesperson_interruptions": self.salesperson_interruptions,
            "delays_ms": list(delays),
        }


def _span(item: ArtifactMessage, origin_ms: float | None) -> _Span | None:
    if item.role not in ("user", "bot", "assistant") or not (item.message or "").strip():
        return None
    persona = item.role != "user"
    if item.time is not None and item.end_time is not None and item.end_time >= item.time:
        return _Span(persona, item.time, item.end_time)
    if item.seconds_from_start is None:
        return None
    start = item.seconds_from_start * 1000 + (origin_ms or 0.0)
    return _Span(persona, start, start + max(0.0, item.duration or 0.0))


def _turns(messages: list[ArtifactMessage]) -> list[_Span]:
    """The spoken turns in order, a speaker's consecutive messages merged into one."""
    timed = [m for m in messages if m.time is not None and m.seconds_from_start is not None]
    # epoch ms of the call's second 0, so untimed messages land on the same clock
    origin = timed[0].time - timed[0].seconds_from_start * 1000 if timed else None  # type: ignore[operator]
    spans = sorted(
        (s for s in (_span(m, origin) for m in messages) if s is not None),
        key=lambda s: s.start_ms,
    )
    merged: list[_Span] = []
    for span in spans:
        if merged and merged[-1].persona == span.persona:
            last = merged[-1]
            merged[-1] = _Span(span.persona, last.start_ms, max(last.end_ms, span.end_ms))
        else:
            merged.append(span)
    return merged


def measure(messages: list[ArtifactMessage]) -> CallLatency:
    """The call's response delays and interruptions (see the module's description)."""
    delays: list[int] = []
    persona_cuts = salesperson_cuts = 0
    turns = _turns(messages)
    for before, after in itertools.pairwise(turns):
        gap = after.start_ms - before.end_ms
        if after.persona and gap < 0:
            persona_cuts += 1
        elif after.persona:
            delays.append(round(gap))
        elif gap < 0:
            salesperson_cuts += 1
    return CallLatency(tuple(delays), persona_cuts, salesperson_cuts)
