"""Grader stability with mocked judge answers: one sample vs the median of 3 and 5. Prints JSON.

    .venv/bin/python bench/bench_grading_consistency.py [--regrades 400] [--seed 7]

The model is replaced at the provider boundary (`dojo.providers.llm.structured`) by a simulated
judge answering for each of the nine scripted fixture calls from its recorded answer: every
category moves by Gaussian noise (sigma 6 points) and, one answer in ten, by a 25-point jump (the
"category flip" users complain about, coaching.md §4 #2). Everything after the provider is real:
schema validation, median per category, quote verification and the overall computed by code.
Each transcript is re-graded `--regrades` times per setting; one sample is the baseline in the
same run. Bar (coaching.md §5): sigma <= 5 points on the overall; band flips are re-grades whose
overall lands in another rubric band ("Bom", "Em desenvolvimento", ...) than the noise-free one.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "functions"), str(ROOT / "shared"), str(ROOT)]

from dojo.providers import llm  # noqa: E402
from dojo.usage import Usage  # noqa: E402
from grading import grader_llm, metrics, rubric, transcript  # noqa: E402

FIXTURES = ROOT / "tests" / "functions" / "grading" / "fixtures"


def main() -> None:
    """Run the measurement and print the JSON result."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--regrades", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rnd = random.Random(args.seed)

    frozen = rubric.load("2026-11-v1")
    current: dict[str, Any] = {}

    def fake_structured(_messages: Any, schema: Any, **_kwargs: Any) -> Any:
        answer = json.loads(json.dumps(current["recorded"]))
        for judged in answer["categories"].values():
            jump = rnd.choice((-25, 25)) if rnd.random() < 0.1 else 0
            judged["score"] = max(0, min(100, round(judged["score"] + rnd.gauss(0, 6) + jump)))
        usage = Usage(kind="llm", provider="mock", model="mock", operation="grading")
        return llm.Structured(value=schema.model_validate(answer), usage=usage, attempts=1)

    llm.structured = fake_structured  # type: ignore[assignment]
    per_setting: dict[int, dict[str, list[float]]] = {
        n: {"sigma": [], "abs_error": [], "flips": []} for n in (1, 3, 5)
    }
    for path in sorted((FIXTURES / "calls").glob("*.json")):
        call = json.loads(path.read_text(encoding="utf-8"))
        recorded = json.loads((FIXTURES / "recorded" / path.name).read_text(encoding="utf-8"))
        current["recorded"] = recorded
        turns = transcript.parse([{"speaker": s, "text": t} for s, t in call["turns"]])
        computed = metrics.compute(turns, "text")
        truth = frozen.overall({k: v["score"] for k, v in recorded["categories"].items()})
        band = frozen.band_label(truth, "en-US")
        for samples, sink in per_setting.items():
            values = [
                float(
                    grader_llm.grade(
                        turns, computed, frozen, call["persona"], "en-US", samples
                    ).overall
                    or 0
                )
                for _ in range(args.regrades)
            ]
            sink["sigma"].append(statistics.pstdev(values))
            sink["abs_error"].append(statistics.fmean(abs(v - truth) for v in values))
            sink["flips"].append(
                100 * sum(1 for v in values if frozen.band_label(v, "en-US") != band) / len(values)
            )
    results = {
        f"samples_{n}": {
            "sigma_overall_mean": round(statistics.fmean(m["sigma"]), 2),
            "sigma_overall_max": round(max(m["sigma"]), 2),
            "mean_abs_error": round(statistics.fmean(m["abs_error"]), 2),
            "band_flips_pct": round(statistics.fmean(m["flips"]), 2),
        }
        for n, m in per_setting.items()
    }
    base = results["samples_1"]["sigma_overall_mean"]
    print(
        json.dumps(
            {
                "bench": "grading_consistency",
                "calls": len(per_setting[1]["sigma"]),
                "regrades_per_call": args.regrades,
                "noise": {"sigma": 6, "flip_probability": 0.1, "flip_points": 25},
                "results": results,
                "sigma_ratio_vs_single": {
                    k: round(v["sigma_overall_mean"] / base, 3) for k, v in results.items()
                },
                "bar_sigma_le_5": {k: v["sigma_overall_max"] <= 5 for k, v in results.items()},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
