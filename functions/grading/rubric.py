"""The grading rubric: versioned data files (`rubrics/<version>.json`), frozen per session.

A session records the rubric version at start; grading always loads that version, so changing
the rubric never changes how an old call is scored. The overall score is computed here, by code,
as the weighted mean of the category scores — never by the model.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, model_validator

from dojo.errors import AppError

RUBRICS = Path(__file__).resolve().parent / "rubrics"
_VERSION = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

Localized = dict[str, str]


class UnknownRubric(AppError):
    """The session names a rubric version this deployment does not have."""

    status_code = 409
    code = "unknown_rubric"


class ScoreBand(BaseModel):
    """What a score from `min` upwards looks like (pt-BR and English)."""

    min: int = Field(ge=0, le=100)
    pt_br: str = Field(alias="pt-BR")
    en_us: str = Field(alias="en-US")

    def text(self, locale: str) -> str:
        """The description in the locale (English unless pt-BR)."""
        return self.pt_br if locale == "pt-BR" else self.en_us


class Label(BaseModel):
    """A named band of the overall score."""

    min: int = Field(ge=0, le=100)
    label: Localized


class Category(BaseModel):
    """One rubric category with its weight, criteria and score bands."""

    key: str
    weight: float = Field(gt=0, le=1)
    name: Localized
    criteria: dict[str, list[str]]
    score_bands: list[ScoreBand]

    def title(self, locale: str) -> str:
        """The category's name in the locale."""
        return self.name.get(locale) or self.name["en-US"]

    def criteria_in(self, locale: str) -> list[str]:
        """The criteria in the locale."""
        return self.criteria.get(locale) or self.criteria["en-US"]


class Rubric(BaseModel):
    """A complete, versioned rubric."""

    version: str
    description: Localized
    bands: list[Label]
    categories: list[Category]

    @model_validator(mode="after")
    def _weights_sum_to_one(self) -> Rubric:
        total = sum(c.weight for c in self.categories)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"category weights sum to {total}, not 1")
        if len({c.key for c in self.categories}) != len(self.categories):
            raise ValueError("category keys repeat")
        return self

    @property
    def keys(self) -> list[str]:
        """Category keys in rubric order."""
        return [c.key for c in self.categories]

    def category(self, key: str) -> Category:
        """The category with this key."""
        for category in self.categories:
            if category.key == key:
                return category
        raise KeyError(key)

    def overall(self, scores: dict[str, float]) -> float:
        """The weighted mean of the category scores, rounded to 2 decimals (every key needed)."""
        missing = [k for k in self.keys if k not in scores]
        if missing:
            raise ValueError(f"missing category scores: {', '.join(missing)}")
        value = sum(c.weight * float(scores[c.key]) for c in self.categories)
        return round(min(100.0, max(0.0, value)), 2)

    def band_label(self, score: float, locale: str) -> str:
        """The overall band's label for a score (e.g. "Bom")."""
        for band in sorted(self.bands, key=lambda b: b.min, reverse=True):
            if score >= band.min:
                return band.label.get(locale) or band.label["en-US"]
        return ""


@lru_cache(maxsize=8)
def load(version: str) -> Rubric:
    """The rubric of a version; `UnknownRubric` when no such file exists."""
    if not _VERSION.match(version):
        raise UnknownRubric(f"unknown rubric version {version!r}")
    path = RUBRICS / f"{version}.json"
    if not path.is_file():
        raise UnknownRubric(f"unknown rubric version {version!r}")
    rubric = Rubric.model_validate_json(path.read_text(encoding="utf-8"))
    if rubric.version != version:
        raise UnknownRubric(f"rubric file {path.name} declares version {rubric.version!r}")
    return rubric


def available() -> list[str]:
    """Every rubric version shipped with this function."""
    return sorted(p.stem for p in RUBRICS.glob("*.json"))
