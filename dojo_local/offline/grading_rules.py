"""The offline grader's rules: one function per rubric category, scoring what was heard.

Each rule starts from a base score, adds what a sales coach rewards (greeting and introduction,
the customer's name, open questions, acknowledging an objection before answering it with facts,
a concrete dated next step) and keeps the salesperson sentences that show it as findings: the
evidence, strengths and improvements of the scorecard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dojo_local.offline.grading_cues import (
    ACK,
    COMMIT,
    CONFIRM,
    DISMISS,
    EMPATHY,
    GREETING,
    INTRO,
    NEXT_STEP,
    OBJECTION,
    OVERCLAIM,
    PUSHY,
    RUDE,
    SUMMARY,
    TOPICS,
    VALUE,
    WEAK_NEXT,
    WHEN,
    cue,
    first_sentence,
    fold,
    longest_sentence,
    sentence_with,
    subject,
)
from grading.transcript import Turn

LAZY_WORDS_PER_TURN = 6.0


@dataclass
class Finding:
    """A salesperson sentence that shows something good (`positive`) or to improve."""

    positive: bool
    key: str
    turn: int
    quote: str
    weight: float = 1.0


Point = tuple[str, dict[str, Any]]  # a TEXT key and its values: what was observed, as a fact


@dataclass
class Judged:
    """One category as the rules judged it: score, observed facts and findings."""

    score: float
    points: list[Point] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


class Call:
    """The transcript with the views the rules need."""

    def __init__(self, turns: list[Turn], metrics: dict[str, Any], persona: dict[str, Any]):
        self.turns = turns
        self.rep = [t for t in turns if t.speaker == "salesperson"]
        self.metrics = metrics
        name = str(persona.get("name") or "").strip()
        self.first_name = fold(name.split()[0]) if name else ""
        self.display_name = name.split()[0] if name else ""

    def find(self, pattern: re.Pattern[str], turns: list[Turn] | None = None) -> list[Finding]:
        """Every salesperson sentence matching a cue, as findings (positive by default)."""
        found = []
        for turn in turns if turns is not None else self.rep:
            sentence = sentence_with(turn, pattern)
            if sentence is not None:
                found.append(Finding(True, "", turn.index, sentence))
        return found

    def rude(self) -> list[Finding]:
        """The salesperson's rude or dismissive sentences."""
        return [
            Finding(False, "rude", f.turn, f.quote, 2.0)
            for f in self.find(RUDE) + self.find(DISMISS)
        ]

    def lazy(self) -> bool:
        """True when the salesperson barely engaged (very short turns on average)."""
        words = [t.words for t in self.rep]
        return not words or sum(words) / len(words) < LAZY_WORDS_PER_TURN


def _rapport(call: Call) -> Judged:
    cat = Judged(30.0)
    opening = call.rep[:2]
    greet = call.find(GREETING, opening)
    intro = call.find(INTRO, opening)
    if greet:
        cat.score += 15
        cat.findings.append(Finding(True, "greeting", greet[0].turn, greet[0].quote))
    else:
        cat.findings.append(
            Finding(False, "no_greeting", call.rep[0].index, first_sentence(call.rep[0]))
        )
    if intro:
        cat.score += 10
    name_cue = cue(re.escape(call.first_name)) if call.first_name else None
    named = call.find(name_cue) if name_cue else []
    if named:
        cat.score += 15
        cat.findings.append(Finding(True, "name", named[0].turn, named[0].quote, 0.8))
    elif call.first_name:
        cat.findings.append(
            Finding(False, "no_name", call.rep[0].index, first_sentence(call.rep[0]), 0.5)
        )
    empathic = call.find(EMPATHY)
    cat.score += 5 * min(4, len(empathic))
    if empathic:
        cat.findings.append(Finding(True, "empathy", empathic[0].turn, empathic[0].quote, 0.7))
    if not call.rude():
        cat.score += 10
    cat.points = [
        ("just_rapport", {"greeting": bool(greet), "intro": bool(intro), "name": bool(named)})
    ]
    return cat


def _discovery(call: Call) -> Judged:
    cat = Judged(25.0)
    questions = call.metrics["questions"]
    opened, closed = int(questions["open"]), int(questions["closed"])
    cat.score += 12 * min(5, opened) + 4 * min(4, closed)
    asked = list(questions["examples"])
    topics = {m.group(0) for q in asked for m in TOPICS.finditer(fold(q["text"]))}
    cat.score += 4 * min(3, len(topics))
    open_examples = [q for q in asked if q["kind"] == "open"]
    if open_examples:
        cat.findings.append(
            Finding(True, "open", open_examples[0]["turn"], open_examples[0]["text"], 1.2)
        )
    if opened < 2:
        target = call.rep[min(1, len(call.rep) - 1)]
        cat.findings.append(Finding(False, "few_open", target.index, first_sentence(target), 1.2))
    ratio = call.metrics["talk_ratio"]["value"]
    longest = max(call.rep, key=lambda t: t.words)
    if ratio is not None and ratio > 0.50:
        # above the published band: always worth saying, only costs points past 65%
        cat.score -= 10 if ratio > 0.65 else 0
        weight = 1.0 if ratio > 0.65 else 0.3
        cat.findings.append(
            Finding(False, "talk_high", longest.index, longest_sentence(longest), weight)
        )
    if ratio is not None and 0.30 <= ratio <= 0.55:
        cat.score += 10
    if int(call.metrics["longest_monologue_seconds"].get("words") or 0) > 150:
        cat.score -= 15
        cat.findings.append(
            Finding(False, "monologue", longest.index, longest_sentence(longest), 1.1)
        )
    cat.points = [("just_discovery", {"open": opened, "closed": closed})]
    if ratio is not None:
        cat.points.append(("just_talk", {"pct": round(ratio * 100)}))
    return cat


def _threads(call: Call) -> list[tuple[Turn, list[Turn]]]:
    """Each objection the persona raised, with the salesperson's reply to it (up to two turns).

    A concern the persona voices in answer to the salesperson's question about the objection is
    the same objection explained, not a new one: the reply runs on across it.
    """
    threads: list[tuple[Turn, list[Turn]]] = []
    current: tuple[Turn, list[Turn]] | None = None
    for turn in call.turns:
        if turn.speaker == "salesperson":
            if current is not None and len(current[1]) < 2:
                current[1].append(turn)
            continue
        if not OBJECTION.search(fold(turn.text)):
            continue
        reply = current[1] if current is not None else []
        if current is not None and len(reply) == 1 and "?" in reply[-1].text:
            continue  # the persona explains the concern the salesperson asked about
        current = (turn, [])
        threads.append(current)
    return threads


def _reply_score(call: Call, objection: Turn, reply: list[Turn]) -> tuple[float, list[Finding]]:
    """How the reply handled the objection (acknowledge, explore, answer it, check), and the
    sentence that shows it."""
    if not reply:
        return 10.0, []
    text = " ".join(fold(t.text) for t in reply)
    acked = call.find(ACK, reply)
    dismissed = call.find(DISMISS, reply)
    addresses = bool(subject(objection.text) & subject(" ".join(t.text for t in reply)))
    score = 20.0
    score += 25 if acked else 0
    score += 20 if any("?" in t.text for t in reply) else 0
    score += 25 if VALUE.search(text) or addresses else 0
    score += 10 if CONFIRM.search(text) else 0
    score -= 40 if dismissed else 0
    score -= 10 if OVERCLAIM.search(text) else 0
    score = max(0.0, min(100.0, score))
    if dismissed:
        return score, [
            Finding(False, "objection_dismiss", dismissed[0].turn, dismissed[0].quote, 1.5)
        ]
    if score >= 70 and acked:
        return score, [Finding(True, "objection_good", acked[0].turn, acked[0].quote, 1.2)]
    if not acked:
        first = reply[0]
        return score, [Finding(False, "objection_bad", first.index, first_sentence(first), 1.2)]
    return score, []


def _objections(call: Call) -> Judged:
    threads = _threads(call)
    if not threads:
        return Judged(60.0, [("no_objection", {})], [])
    cat = Judged(0.0)
    results: list[float] = []
    for objection, reply in threads:
        score, findings = _reply_score(call, objection, reply)
        results.append(score)
        cat.findings += findings
    cat.score = sum(results) / len(results)
    scores = ", ".join(f"{r:.0f}" for r in results)
    cat.points = [("just_objections", {"count": len(threads), "scores": scores})]
    return cat


def _closing(call: Call) -> Judged:
    cat = Judged(15.0)
    tail = call.rep[-3:]
    strong = call.find(NEXT_STEP, tail)
    weak = call.find(WEAK_NEXT, tail)
    when = call.find(WHEN, tail)
    summary = call.find(SUMMARY, tail)
    commit = call.find(COMMIT, tail)
    if strong:
        cat.score += 30
    elif weak:
        cat.score += 10
    cat.score += 20 if when and (strong or weak) else 0
    cat.score += 15 if summary else 0
    cat.score += 15 if commit else 0
    cat.score -= 20 if call.find(PUSHY) else 0
    last = call.rep[-1]
    if strong and when:
        cat.findings.append(Finding(True, "next_step", when[0].turn, when[0].quote, 1.2))
    elif strong or weak:
        hit = (strong or weak)[0]
        cat.findings.append(Finding(False, "vague_step", hit.turn, hit.quote, 1.1))
    else:
        cat.findings.append(Finding(False, "no_step", last.index, first_sentence(last), 1.3))
    if summary:
        cat.findings.append(Finding(True, "summary", summary[0].turn, summary[0].quote, 0.9))
    cat.points = [
        (
            "just_closing",
            {"next_step": bool(strong), "dated": bool(when), "summary": bool(summary)},
        )
    ]
    return cat


RULES = {
    "rapport": _rapport,
    "discovery": _discovery,
    "objection_handling": _objections,
    "closing": _closing,
}
TRY = {
    "rapport": "try_rapport",
    "discovery": "try_open",
    "objection_handling": "try_ack",
    "closing": "try_close",
}
