"""What every grader returns: one shape for the model grader and the offline grader."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from dojo.usage import Usage

Item = dict[str, Any]  # {"category", "text", "quote", "turn", optional "try"}

INSUFFICIENT = {
    "pt-BR": "Conversa insuficiente para avaliar: são necessárias falas do vendedor e do cliente.",
    "en-US": "Not enough conversation to grade: both the salesperson and the customer must speak.",
}


@dataclass
class Scorecard:
    """A graded (or ungradable) session, ready to be stored as one `feedback` row."""

    status: Literal["graded", "insufficient"]
    grader: str
    rubric_version: str
    metrics: dict[str, Any]
    overall: float | None = None
    scores: dict[str, Any] = field(default_factory=dict)
    strengths: list[Item] = field(default_factory=list)
    improvements: list[Item] = field(default_factory=list)
    recommendations: list[Item] = field(default_factory=list)
    removed_quotes: int = 0
    usage: list[Usage] = field(default_factory=list)
    # what the views say about the grader, stored with the feedback (see `grading.grader`)
    grader_offline: bool = False
    grader_label: dict[str, str] = field(default_factory=dict)
