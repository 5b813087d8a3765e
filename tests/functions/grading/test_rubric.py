"""The rubric is data: versioned, complete in both languages, weights summing to one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from grading import rubric

ROOT = Path(__file__).resolve().parents[3]


def test_shipped_rubric_is_complete_in_both_languages() -> None:
    assert "2026-11-v1" in rubric.available()
    frozen = rubric.load("2026-11-v1")
    assert frozen.keys == ["rapport", "discovery", "objection_handling", "closing"]
    assert sum(c.weight for c in frozen.categories) == pytest.approx(1.0)
    for category in frozen.categories:
        assert category.criteria_in("pt-BR") and category.criteria_in("en-US")
        assert len(category.criteria_in("pt-BR")) == len(category.criteria_in("en-US"))
        assert {b.min for b in category.score_bands} == {0, 50, 70, 85}
        assert all(b.text("pt-BR") and b.text("en-US") for b in category.score_bands)
    assert frozen.category("discovery").title("pt-BR") == "Descoberta"


def test_overall_is_the_weighted_mean_computed_by_code() -> None:
    frozen = rubric.load("2026-11-v1")
    scores = {"rapport": 100, "discovery": 50, "objection_handling": 0, "closing": 75}
    assert frozen.overall(scores) == pytest.approx(0.2 * 100 + 0.3 * 50 + 0.3 * 0 + 0.2 * 75)
    with pytest.raises(ValueError, match="missing"):
        frozen.overall({"rapport": 1})
    assert frozen.band_label(85, "pt-BR") == "Excelente"
    assert frozen.band_label(69.99, "en-US") == "Developing"


@pytest.mark.parametrize("version", ["1999-01-v9", "../../etc/passwd", ""])
def test_unknown_versions_are_refused(version: str) -> None:
    with pytest.raises(rubric.UnknownRubric):
        rubric.load(version)


def test_cold_start_does_not_import_the_model_sdk() -> None:
    code = (
        "import sys; import grading.handler; "
        "heavy = [m for m in ('openai', 'pypdf', 'docx', 'supabase') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": f"{ROOT / 'functions'}:{ROOT / 'shared'}", "PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.strip() == ""
