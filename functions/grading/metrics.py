"""Conversation metrics computed by code from the transcript's timings and words.

A language model cannot count or measure time reliably (Docebo's own guidance, coaching.md §4 #3),
so talk ratio, questions, monologues, patience, fillers, pace and interruptions are computed here,
deterministically, and each is shown beside a reference band from a published benchmark with its
source (`grading.bands`); questions and fillers are classified in `grading.speech`.

Choices worth knowing:
- Talk ratio uses speaking time in voice mode and words in text mode (typing time is not talk).
- Patience (pause before the salesperson answers the customer) only exists in voice mode.
- Per-minute rates only mean something in voice mode (text chat runs at typing speed).
"""

from __future__ import annotations

import itertools
import statistics
from typing import Any

from grading.bands import BANDS, Band
from grading.speech import classify_questions, fillers
from grading.transcript import Turn

_OVERLAP_TOLERANCE = 0.1  # seconds: transcription timestamps are rounded
_MIN_RATE_SECONDS = 1.0  # a rate over less than a second of speech is noise, not pace


def _sides(turns: list[Turn]) -> tuple[list[Turn], list[Turn]]:
    return (
        [t for t in turns if t.speaker == "salesperson"],
        [t for t in turns if t.speaker == "persona"],
    )


def talk_ratio(turns: list[Turn], mode: str) -> tuple[float | None, str]:
    """The salesperson's share of the talking in [0, 1] and its basis ("time" or "words")."""
    rep, customer = _sides(turns)
    if mode == "voice":
        rep_time = sum(t.duration for t in rep)
        total_time = rep_time + sum(t.duration for t in customer)
        if total_time > 0:
            return rep_time / total_time, "time"
    rep_words = sum(t.words for t in rep)
    total_words = rep_words + sum(t.words for t in customer)
    if total_words == 0:
        return None, "words"
    return rep_words / total_words, "words"


def _runs(turns: list[Turn], speaker: str) -> list[list[Turn]]:
    """Consecutive turns of one speaker with no turn of the other in between."""
    runs: list[list[Turn]] = []
    current: list[Turn] = []
    for turn in turns:
        if turn.speaker == speaker:
            current.append(turn)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def longest_run(turns: list[Turn], speaker: str) -> tuple[float, int]:
    """The longest uninterrupted stretch of `speaker`: (seconds, words)."""
    best_seconds, best_words = 0.0, 0
    for run in _runs(turns, speaker):
        seconds = max(0.0, run[-1].end - run[0].start)
        best_seconds = max(best_seconds, seconds)
        best_words = max(best_words, sum(t.words for t in run))
    return best_seconds, best_words


def patience(turns: list[Turn]) -> float | None:
    """Mean pause (s) between the customer finishing and the salesperson starting (0 if over)."""
    # turns starting in the same millisecond keep their transcript order (float noise in the
    # timestamps must not swap who spoke first)
    ordered = sorted(turns, key=lambda t: (round(t.start, 3), t.index))
    pauses = [
        max(0.0, cur.start - prev.end)
        for prev, cur in itertools.pairwise(ordered)
        if prev.speaker == "persona" and cur.speaker == "salesperson"
    ]
    return statistics.fmean(pauses) if pauses else None


def interruptions(turns: list[Turn]) -> tuple[int, int, float]:
    """(salesperson interruptions, customer interruptions, seconds both spoke at once)."""
    ordered = sorted(turns, key=lambda t: (t.start, t.index))
    by_rep = by_customer = 0
    for i, turn in enumerate(ordered):
        talking = [
            o
            for o in ordered[:i]
            if o.speaker != turn.speaker
            and o.start <= turn.start
            and o.end - turn.start > _OVERLAP_TOLERANCE
        ]
        if talking:
            if turn.speaker == "salesperson":
                by_rep += 1
            else:
                by_customer += 1
    rep, customer = _sides(turns)
    overlap = 0.0
    for a in rep:
        for b in customer:
            overlap += max(0.0, min(a.end, b.end) - max(a.start, b.start))
    return by_rep, by_customer, overlap


def words_per_minute(turns: list[Turn]) -> float | None:
    """The salesperson's pace over their own speaking time (None without timings)."""
    rep, _ = _sides(turns)
    seconds = sum(t.duration for t in rep)
    if seconds < _MIN_RATE_SECONDS:
        return None
    return sum(t.words for t in rep) / (seconds / 60.0)


def duration(turns: list[Turn]) -> float:
    """Seconds from the first turn's start to the last turn's end."""
    if not turns:
        return 0.0
    return max(0.0, max(t.end for t in turns) - min(t.start for t in turns))


# --- the metrics record stored with the feedback ----------------------------------------------


def _status(value: float | None, band: Band) -> str:
    if value is None:
        return "n/a"
    if band.low is not None and value < band.low:
        return "below"
    if band.high is not None and value > band.high:
        return "above"
    return "within"


def _metric(key: str, value: float | None, unit: str, **extra: Any) -> dict[str, Any]:
    band = BANDS.get(key)
    rounded = None if value is None else round(value, 3)
    record: dict[str, Any] = {"value": rounded, "unit": unit, **extra}
    if band is not None:
        record["band"] = {
            "low": band.low,
            "high": band.high,
            "target": band.target,
            "source": band.source,
            "confidence": band.confidence,
            "note": band.note,
        }
        record["status"] = _status(value, band)
    return record


def _questions(rep: list[Turn]) -> dict[str, Any]:
    """The salesperson's questions: counts by kind and the first examples."""
    asked = [(t.index, q, kind) for t in rep for q, kind in classify_questions(t.text)]
    opened = sum(1 for _, _, kind in asked if kind == "open")
    return {
        "total": len(asked),
        "open": opened,
        "closed": len(asked) - opened,
        "examples": [{"turn": i, "text": q, "kind": kind} for i, q, kind in asked[:20]],
    }


def _fillers(rep: list[Turn], rep_words: int, locale: str) -> dict[str, Any]:
    """The filler rate per 100 salesperson words, with the most frequent fillers."""
    found = [f for t in rep for f in fillers(t.text, locale)]
    rate = len(found) / rep_words * 100 if rep_words else None
    top = sorted({f: found.count(f) for f in found}.items(), key=lambda kv: -kv[1])
    return _metric(
        "fillers_per_100_words",
        rate,
        "per 100 words",
        count=len(found),
        top=[{"word": w, "count": c} for w, c in top[:5]],
    )


def compute(turns: list[Turn], mode: str, locale: str = "pt-BR") -> dict[str, Any]:
    """Every conversation metric of a transcript, each with its reference band and status."""
    voice = mode == "voice"
    rep, customer = _sides(turns)
    rep_words = sum(t.words for t in rep)
    seconds = duration(turns)
    ratio, basis = talk_ratio(turns, mode)

    questions = _questions(rep)
    minutes = seconds / 60.0
    per_10 = questions["total"] / minutes * 10 if seconds >= _MIN_RATE_SECONDS else None
    mono_s, mono_w = longest_run(turns, "salesperson")
    cust_s, cust_w = longest_run(turns, "persona")
    by_rep, by_customer, overlap = interruptions(turns) if voice else (0, 0, 0.0)

    return {
        "mode": mode,
        "duration_seconds": round(seconds, 1),
        "turns": {"salesperson": len(rep), "customer": len(customer)},
        "words": {"salesperson": rep_words, "customer": sum(t.words for t in customer)},
        "talk_ratio": _metric("talk_ratio", ratio, "ratio", basis=basis),
        "questions": questions,
        # text chat runs at typing speed, so a per-minute rate only means something in voice
        "questions_per_10_min": _metric(
            "questions_per_10_min", per_10 if voice else None, "questions/10 min"
        ),
        "longest_monologue_seconds": _metric(
            "longest_monologue_seconds", mono_s if voice else None, "s", words=mono_w
        ),
        "longest_customer_turn_seconds": _metric(
            "longest_customer_turn_seconds", cust_s if voice else None, "s", words=cust_w
        ),
        "patience_seconds": _metric("patience_seconds", patience(turns) if voice else None, "s"),
        "fillers_per_100_words": _fillers(rep, rep_words, locale),
        "words_per_minute": _metric(
            "words_per_minute", words_per_minute(turns) if voice else None, "wpm"
        ),
        "interruptions": _metric(
            "interruptions",
            float(by_rep) if voice else None,
            "count",
            by_customer=by_customer,
            overlap_seconds=round(overlap, 2),
            overlap_pct=round(overlap / seconds * 100, 2) if voice and seconds > 0 else None,
        ),
    }
