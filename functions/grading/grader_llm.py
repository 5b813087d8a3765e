"""The model grader: one structured-output call per sample, temperature 0, evidence verified.

The model scores each rubric category 0–100 with a justification and evidence quotes; it never
computes the overall score (code does: the rubric's weighted mean) nor the metrics (code does,
and hands them to the model as context). The response schema is built from the frozen rubric, so
a missing or extra category is a schema violation, retried once by the provider and otherwise a
clean failure. Quotes the salesperson did not say are removed and counted.

Consistency: with `grading_samples` = N > 1 the call is made N times and each category takes the
median score, which bounds the damage a single outlier answer can do (see bench/ and the tests
for how stability was measured with recorded responses).
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

from dojo.retrieval import Hit
from dojo.settings import get_settings
from dojo.usage import Usage
from grading.evidence import Verifier
from grading.rubric import Rubric
from grading.scorecard import Item, Scorecard
from grading.transcript import Turn, render

OPERATION = "grading"
_BASE_SEED = 1207


class Evidence(BaseModel):
    """A quote of the salesperson and the index of the turn it comes from."""

    model_config = ConfigDict(extra="forbid")

    turn: int
    quote: str


class CategoryJudgement(BaseModel):
    """The model's score for one category, why, and the quotes that show it."""

    model_config = ConfigDict(extra="forbid")

    score: int
    justification: str
    evidence: list[Evidence]

    @field_validator("score")
    @classmethod
    def _in_range(cls, value: int) -> int:
        if not 0 <= value <= 100:
            raise ValueError("score must be between 0 and 100")
        return value


class Point(BaseModel):
    """A strength or an area of improvement, anchored on a salesperson quote."""

    model_config = ConfigDict(extra="forbid")

    category: str
    text: str
    turn: int
    quote: str


class BetterLineOut(BaseModel):
    """What the salesperson could have said instead, and the knowledge-base chunks it uses."""

    model_config = ConfigDict(extra="forbid")

    text: str
    chunk_ids: list[int]


class Improvement(Point):
    """An area of improvement with a better alternative to the quoted line (null: none fits)."""

    better_line: BetterLineOut | None = Field(
        default=None,
        description="a better alternative to the quoted line; facts only from the knowledge base "
        "excerpts, citing their chunk ids",
    )


class Recommendation(Point):
    """What to do next time, with a better phrasing the salesperson could have used."""

    example: str = Field(description="a better phrasing the salesperson could have said")


@lru_cache(maxsize=8)
def judgement_model(version: str, keys: tuple[str, ...]) -> type[BaseModel]:
    """The response schema for a rubric: one required property per category key."""
    fields: dict[str, Any] = dict.fromkeys(keys, (CategoryJudgement, ...))
    categories: Any = create_model(  # one object property per category, all required
        f"Categories_{version.replace('-', '_').replace('.', '_')}",
        __config__=ConfigDict(extra="forbid"),
        **fields,
    )
    model: type[BaseModel] = create_model(
        "GradingJudgement",
        __config__=ConfigDict(extra="forbid"),
        categories=(categories, ...),
        strengths=(list[Point], ...),
        improvements=(list[Improvement], ...),
        recommendations=(list[Recommendation], ...),
    )
    return model


_LANGUAGE = {"pt-BR": "Brazilian Portuguese (pt-BR)", "en-US": "English"}


def _rubric_text(rubric: Rubric, locale: str) -> str:
    lines = []
    for category in rubric.categories:
        lines.append(f"## {category.key} — {category.title(locale)} (weight {category.weight})")
        lines.extend(f"- {criterion}" for criterion in category.criteria_in(locale))
        for band in sorted(category.score_bands, key=lambda b: -b.min):
            lines.append(f"  score {band.min}+: {band.text(locale)}")
    return "\n".join(lines)


def _metrics_text(metrics: dict[str, Any]) -> str:
    keys = (
        "talk_ratio",
        "questions_per_10_min",
        "longest_monologue_seconds",
        "patience_seconds",
        "fillers_per_100_words",
        "words_per_minute",
        "interruptions",
    )
    summary = {k: metrics[k].get("value") for k in keys if k in metrics}
    summary["questions"] = {
        k: metrics.get("questions", {}).get(k) for k in ("total", "open", "closed")
    }
    return json.dumps(summary, ensure_ascii=False)


def knowledge_text(material: Sequence[Hit]) -> str:
    """The company's material as numbered excerpts a model can cite by chunk id."""
    if not material:
        return "(none)"
    return "\n".join(f"[chunk {h.chunk_id}] {' '.join(h.content.split())}" for h in material)


def messages(
    turns: list[Turn],
    metrics: dict[str, Any],
    rubric: Rubric,
    persona: dict[str, Any],
    locale: str,
    material: Sequence[Hit] = (),
) -> list[dict[str, Any]]:
    """The prompt: rubric, persona, computed metrics, the company's material and the numbered
    transcript."""
    language = _LANGUAGE.get(locale, "English")
    system = (
        "You are a demanding, fair B2B sales coach grading a practice call between a "
        "salesperson and an AI customer persona. Score each rubric category from 0 to 100 "
        "using its score bands; do not be lenient: a rude, lazy or careless call scores low "
        "even if the salesperson was polite once. Judge only what the salesperson said.\n"
        "Evidence rules: every evidence item, strength, improvement and recommendation must "
        "quote the salesperson's own words verbatim (a short exact excerpt, no paraphrase) and "
        "give the number in brackets of the turn it comes from. Never quote the customer. "
        "Anything not found verbatim in that salesperson's turn is discarded.\n"
        "The conversation metrics were computed by code; use them, do not recount.\n"
        "For each improvement, write `better_line`: what the salesperson could have said "
        "instead of the quoted line, ready to say, meeting the category's criteria. State facts "
        "(prices, plans, terms, deadlines) only from the knowledge base excerpts and list the "
        "chunk ids you used in `chunk_ids` (empty when the line needs no fact); never invent "
        "a fact.\n"
        f"Give 2-3 strengths, 2-3 improvements and 2 recommendations. Write every text field "
        f"in {language}. Use the category keys exactly as given.\n\n"
        f"# Rubric {rubric.version}\n{_rubric_text(rubric, locale)}"
    )
    persona_view = {
        k: persona.get(k)
        for k in ("name", "role", "company_profile", "objections", "hidden_facts", "difficulty")
        if persona.get(k)
    }
    user = (
        f"# Customer persona\n{json.dumps(persona_view, ensure_ascii=False, default=str)}\n\n"
        f"# Metrics (computed)\n{_metrics_text(metrics)}\n\n"
        f"# Knowledge base excerpts (the seller's material)\n{knowledge_text(material)}\n\n"
        f"# Transcript\n{render(turns, locale)}"
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def _closest(samples: list[dict[str, Any]], key: str, target: float) -> dict[str, Any]:
    return min(samples, key=lambda s: abs(s["categories"][key]["score"] - target))


def combine(samples: list[dict[str, Any]], rubric: Rubric) -> dict[str, Any]:
    """Median per category across samples; texts from the sample nearest each median."""
    categories: dict[str, Any] = {}
    for key in rubric.keys:
        median = float(statistics.median(s["categories"][key]["score"] for s in samples))
        nearest = _closest(samples, key, median)["categories"][key]
        categories[key] = {**nearest, "score": median}
    medians = {k: v["score"] for k, v in categories.items()}
    overall = rubric.overall(medians)
    nearest_sample = min(
        samples,
        key=lambda s: abs(
            rubric.overall({k: s["categories"][k]["score"] for k in rubric.keys}) - overall
        ),
    )
    return {
        "categories": categories,
        "strengths": nearest_sample["strengths"],
        "improvements": nearest_sample["improvements"],
        "recommendations": nearest_sample["recommendations"],
    }


def _items(verifier: Verifier, items: list[dict[str, Any]], rubric: Rubric) -> list[Item]:
    known = [i for i in items if i.get("category") in rubric.keys]
    kept = verifier.keep_items(known)
    for item in kept:
        if "example" in item:
            item["try"] = item.pop("example")
    return kept


def model_name() -> str:
    """The configured judge model (`grading_model`, else the general `llm_model`)."""
    settings = get_settings()
    return settings.grading_model or settings.llm_model


def grade(
    turns: list[Turn],
    metrics: dict[str, Any],
    rubric: Rubric,
    persona: dict[str, Any],
    locale: str,
    samples: int | None = None,
    material: Sequence[Hit] = (),
) -> Scorecard:
    """Grade with the configured model: N samples, median per category, evidence verified."""
    from dojo.providers import llm

    model = model_name()
    count = samples or get_settings().grading_samples
    schema = judgement_model(rubric.version, tuple(rubric.keys))
    prompt = messages(turns, metrics, rubric, persona, locale, material)
    answers: list[dict[str, Any]] = []
    usage: list[Usage] = []
    for i in range(count):
        result = llm.structured(
            prompt,
            schema,
            operation=OPERATION,
            model=model,
            temperature=0,
            seed=_BASE_SEED + i,
        )
        answers.append(result.value.model_dump())
        usage.append(result.usage)
    combined = combine(answers, rubric)

    verifier = Verifier(turns)
    scores: dict[str, Any] = {}
    for key in rubric.keys:
        judged = combined["categories"][key]
        evidence = [
            {"turn": q.turn, "quote": q.quote}
            for e in judged["evidence"]
            if (q := verifier.verify(e["turn"], e["quote"])) is not None
        ]
        scores[key] = {
            "score": judged["score"],
            "justification": judged["justification"],
            "evidence": evidence,
        }
        if count > 1:
            spread = [a["categories"][key]["score"] for a in answers]
            scores[key]["samples"] = spread
    return Scorecard(
        status="graded",
        grader=f"openai:{model}" + (f" x{count} median" if count > 1 else ""),
        rubric_version=rubric.version,
        metrics=metrics,
        overall=rubric.overall({k: v["score"] for k, v in scores.items()}),
        scores=scores,
        strengths=_items(verifier, combined["strengths"], rubric),
        improvements=_items(verifier, combined["improvements"], rubric),
        recommendations=_items(verifier, combined["recommendations"], rubric),
        removed_quotes=verifier.removed,
        usage=usage,
    )


class ModelGrader:
    """The "openai" grader (see `grading.grader`): slow enough that a regrade runs in the hook."""

    offline = False
    inline = False  # N model calls can pass the API's 30 s limit

    @property
    def name(self) -> str:
        """`openai:<model>`, as stored for an insufficient conversation (no call made)."""
        return f"openai:{model_name()}"

    @property
    def label(self) -> dict[str, str]:
        """None: the model's name says it all."""
        return {}

    def grade(
        self,
        turns: list[Turn],
        metrics: dict[str, Any],
        rubric: Rubric,
        persona: dict[str, Any],
        locale: str,
        material: Sequence[Hit] = (),
    ) -> Scorecard:
        """Grade with `grading_samples` model calls (see the module doc)."""
        return grade(turns, metrics, rubric, persona, locale, material=material)
