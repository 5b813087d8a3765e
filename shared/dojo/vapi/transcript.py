"""The transcript we store (voice and text sessions share it), and what a call's report saves."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from dojo.vapi.latency import measure
from dojo.vapi.messages import ArtifactMessage, EndOfCallReport

_WORD = re.compile(r"[\wÀ-ÿ]+(?:[-'][\wÀ-ÿ]+)*", re.UNICODE)


def word_count(text: str) -> int:
    """Words in a text (letters and digits, accents included)."""
    return len(_WORD.findall(text))


class TranscriptTurn(BaseModel):
    """One stored turn of `training_sessions.transcript` (seconds from the session start)."""

    speaker: Literal["salesperson", "persona"]
    text: str
    start: float
    end: float
    words: int


def normalise_transcript(messages: list[ArtifactMessage]) -> list[TranscriptTurn]:
    """Vapi's messages as our turns: user = salesperson, bot = persona; system and tools dropped.

    End times come from `endTime - time` (epoch ms): `duration`'s unit disagrees between the spec
    and real payloads (§2.3).
    """
    turns: list[TranscriptTurn] = []
    for item in messages:
        speaker: Literal["salesperson", "persona"]
        if item.role == "user":
            speaker = "salesperson"
        elif item.role in ("bot", "assistant"):
            speaker = "persona"
        else:
            continue
        text = " ".join((item.message or "").split())
        if not text:
            continue
        start = max(0.0, item.seconds_from_start or 0.0)
        spoken = 0.0
        if item.time is not None and item.end_time is not None:
            spoken = max(0.0, (item.end_time - item.time) / 1000.0)
        turns.append(
            TranscriptTurn(
                speaker=speaker,
                text=text,
                start=round(start, 3),
                end=round(start + spoken, 3),
                words=word_count(text),
            )
        )
    turns.sort(key=lambda t: t.start)
    return turns


@dataclass(frozen=True)
class CallReportRecord:
    """What an end-of-call report saves on its session, in the shape the stores write it."""

    call_id: str
    transcript: list[TranscriptTurn]
    recording_url: str | None
    # where the recording can be fetched right now (the report's presigned URL when it has one)
    recording_download_url: str | None
    ended_reason: str | None
    cost: float | None
    duration_seconds: float | None
    started_at: datetime | None
    ended_at: datetime | None
    latency: dict[str, Any]

    @classmethod
    def of(cls, report: EndOfCallReport) -> CallReportRecord:
        """The record of a report: its conversation as turns, its best recording, cost, times."""
        return cls(
            call_id=report.call.id,
            transcript=normalise_transcript(report.transcript_messages),
            recording_url=report.recording,
            recording_download_url=report.artifact.presigned_mono_url or report.recording,
            ended_reason=report.reason,
            cost=report.total_cost,
            duration_seconds=None if report.duration is None else round(report.duration, 2),
            started_at=report.started_at,
            ended_at=report.ended_at,
            latency=measure(report.transcript_messages).as_json(),
        )
