"""The grader capability: what scores a transcript against a rubric, whichever provider serves it.

The model grader (`grading.grader_llm`, provider "openai") ships with the function; the offline
rules grader registers from the local runtime (`dojo_local.offline.install()`). Both return the
same `Scorecard`; what the views say about the grader (its name, whether it used a language
model, a label for people) comes from the grader and is stored with the feedback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from dojo.providers.registry import Capability
from dojo.retrieval import Hit
from grading.rubric import Rubric
from grading.scorecard import Scorecard
from grading.transcript import Turn

if TYPE_CHECKING:
    from grading.grader_llm import ModelGrader


class Grader(Protocol):
    """Scores a parsed transcript with its computed metrics against a frozen rubric."""

    @property
    def name(self) -> str:
        """What is stored as the feedback's grader (e.g. "openai:gpt-4o")."""

    @property
    def offline(self) -> bool:
        """True when no language model is involved (the views say so)."""

    @property
    def label(self) -> dict[str, str]:
        """What people read about the grader, per locale (empty: the name says it all)."""

    @property
    def inline(self) -> bool:
        """True when grading is fast enough to finish a regrade before the API answers."""

    def grade(
        self,
        turns: list[Turn],
        metrics: dict[str, Any],
        rubric: Rubric,
        persona: dict[str, Any],
        locale: str,
        material: Sequence[Hit] = (),
    ) -> Scorecard:
        """The scorecard of a conversation with enough on both sides to be graded; `material`
        (the company's chunks retrieved for the call) grounds the improvements' better lines."""


def _model_grader() -> ModelGrader:
    # imported on first use: the model grader's schema machinery is not needed at cold start
    from grading.grader_llm import ModelGrader

    return ModelGrader()


GRADER: Capability[Grader] = Capability("grading.grader", kind="llm")
GRADER.register("openai", _model_grader)
