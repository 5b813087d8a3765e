"""The offline grader: deterministic rules over the metrics and pt-BR cues, no model involved.

Registered as the "offline" grader (`grading.grader.GRADER`) by the local runtime; it produces the
same scorecard shape as the model grader, labelled offline. It rewards what a sales coach listens
for (see `grading_rules`) and penalises rudeness and laziness on every category, so a bad call
cannot hide behind one good habit. Every strength, improvement and recommendation quotes a
sentence the salesperson actually said, with its turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dojo.retrieval import Hit
from dojo.usage import Usage
from dojo_local.offline.grading_cues import first_sentence
from dojo_local.offline.grading_rules import RULES, TRY, Call, Finding, Judged, Point
from dojo_local.offline.grading_text import LABEL, TEXT
from grading.rubric import Rubric
from grading.scorecard import Item, Scorecard
from grading.transcript import Turn

GRADER = "offline-rules-v1"

Ranked = list[tuple[float, Item]]


def _observed(text: dict[str, str], points: list[Point]) -> str:
    """The observed facts in words (the justification when no finding speaks for itself)."""
    sentences = []
    for key, values in points:
        shown = {
            name: (text["yes"] if value else text["no"]) if isinstance(value, bool) else value
            for name, value in values.items()
        }
        sentences.append(text[key].format(**shown))
    return " ".join(sentences)


def _judge(call: Call, rubric: Rubric) -> dict[str, Judged]:
    """Every category by its rule, then conduct: rudeness and laziness pull each one down."""
    rude = call.rude()
    lazy = call.lazy()
    results: dict[str, Judged] = {}
    for key in rubric.keys:
        judged = RULES[key](call)
        judged.score -= 15 * min(4, len(rude))
        if lazy:
            judged.score = min(judged.score - 10, 40.0)
        judged.score = round(max(0.0, min(100.0, judged.score)))
        results[key] = judged
    for finding in rude[:1]:
        results["rapport"].findings.insert(0, finding)
    if lazy:
        worst = min(call.rep, key=lambda t: t.words)
        results["rapport"].findings.insert(
            0, Finding(False, "lazy", worst.index, first_sentence(worst), 2.0)
        )
    return results


def _scores_and_points(
    results: dict[str, Judged], text: dict[str, str], pct: int, name: str
) -> tuple[dict[str, Any], Ranked, Ranked]:
    """Per-category scores with justification and evidence; strengths and improvements ranked."""
    scores: dict[str, Any] = {}
    strengths: Ranked = []
    improvements: Ranked = []
    for key, judged in results.items():
        # one sentence can show two things (a greeting with the name): quoted once
        quoted = dict.fromkeys((f.turn, f.quote) for f in judged.findings)
        evidence = [{"turn": turn, "quote": quote} for turn, quote in list(quoted)[:3]]
        said = list(dict.fromkeys(text[f.key].format(pct=pct, name=name) for f in judged.findings))
        scores[key] = {
            "score": judged.score,
            "justification": " ".join(said) or _observed(text, judged.points),
            "evidence": evidence,
        }
        for f in judged.findings:
            item = {
                "category": key,
                "text": text[f.key].format(pct=pct, name=name),
                "quote": f.quote,
                "turn": f.turn,
            }
            if f.positive and judged.score >= 50:
                strengths.append((judged.score * f.weight, item))
            else:
                improvements.append(((100 - judged.score) * f.weight, item))
    return scores, _distinct(strengths), _distinct(improvements)


def _distinct(ranked: Ranked) -> Ranked:
    """Best first, each quote once: the same sentence is not two strengths (or improvements)."""
    seen: set[tuple[int, str]] = set()
    out: Ranked = []
    for weight, item in sorted(ranked, key=lambda p: -p[0]):
        key = (int(item["turn"]), str(item["quote"]))
        if key not in seen:
            seen.add(key)
            out.append((weight, item))
    return out


def _recommendations(
    results: dict[str, Judged], call: Call, text: dict[str, str], name: str
) -> list[Item]:
    """Advice for the two weakest categories, each anchored on a salesperson quote."""
    recommendations: list[Item] = []
    for key in sorted(results, key=lambda k: results[k].score)[:2]:
        # anchor the advice on what went wrong, else on anything said in that category
        ranked = sorted(results[key].findings, key=lambda f: f.positive)
        last = call.rep[-1]
        anchor = ranked[0] if ranked else Finding(False, "", last.index, first_sentence(last))
        recommendations.append(
            {
                "category": key,
                "text": text[f"rec_{key.split('_')[0]}"],
                "quote": anchor.quote,
                "turn": anchor.turn,
                "try": text[TRY[key]].format(name=name),
            }
        )
    return recommendations


def grade(
    turns: list[Turn],
    metrics: dict[str, Any],
    rubric: Rubric,
    persona: dict[str, Any],
    locale: str,
) -> Scorecard:
    """Score a transcript with the rules; same shape as the model grader, labelled offline."""
    text = TEXT["pt-BR" if locale == "pt-BR" else "en-US"]
    call = Call(turns, metrics, persona)
    results = _judge(call, rubric)
    ratio = metrics["talk_ratio"]["value"]
    pct = round(ratio * 100) if ratio is not None else 0
    name = call.display_name or text["someone"]
    scores, strengths, improvements = _scores_and_points(results, text, pct, name)
    return Scorecard(
        status="graded",
        grader=GRADER,
        rubric_version=rubric.version,
        metrics=metrics,
        overall=rubric.overall({k: v["score"] for k, v in scores.items()}),
        scores=scores,
        strengths=[i for _, i in strengths[:3]],
        improvements=[i for _, i in improvements[:3]],
        recommendations=_recommendations(results, call, text, name),
        usage=[Usage(kind="llm", provider="offline", model=GRADER, operation="grading", inputs=1)],
    )


class OfflineGrader:
    """The "offline" grader (see `grading.grader`): instant, so a regrade finishes inline."""

    name = GRADER
    offline = True
    inline = True

    @property
    def label(self) -> dict[str, str]:
        """ "Offline rule-based grading (no language model)", per locale."""
        return dict(LABEL)

    def grade(
        self,
        turns: list[Turn],
        metrics: dict[str, Any],
        rubric: Rubric,
        persona: dict[str, Any],
        locale: str,
        material: Sequence[Hit] = (),
    ) -> Scorecard:
        """Score a transcript with the rules (see `grade`); the material is the offline coach's
        (`dojo_local.offline.coach` writes the better lines from it)."""
        del material
        return grade(turns, metrics, rubric, persona, locale)
