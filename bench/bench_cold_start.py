"""Cold start per function: a fresh interpreter importing the handler from its unpacked zip and the
unpacked layer (on sys.path in Lambda's order) and answering one `/health` event, against a fresh
interpreter running a bare `import fastapi` from the same two, alternating, in the same run.
Prints JSON; the target is a ratio <= 1.8. Each run's CPU time (user + sys, from the kernel) is
reported beside its wall time: on a shared machine the CPU ratio is the steadier figure.

    .venv/bin/python bench/bench_cold_start.py [--reps 15] [--out bench/results/cold_start.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dojo_local import artifacts, package  # noqa: E402
from dojo_local.paths import FLOWS  # noqa: E402

TARGET = 1.8

# Both sides run `python -I -S` with only the unpacked function and layer on sys.path.
PRELUDE = "import sys; sys.path[:0] = sys.argv[1].split(':')\n"
BASELINE = PRELUDE + "import fastapi\n"
HANDLER = (
    PRELUDE
    + r"""
import json, types
flow = sys.argv[2]
handler = __import__(f"{flow}.handler", fromlist=["lambda_handler"])
context = types.SimpleNamespace(
    function_name=flow, memory_limit_in_mb=1024, aws_request_id="bench",
    invoked_function_arn=f"arn:aws:lambda:us-east-1:123456789012:function:{flow}",
)
event = {
    "version": "2.0", "routeKey": "GET /health", "rawPath": "/health", "rawQueryString": "",
    "headers": {"host": "api.example.com"}, "isBase64Encoded": False,
    "requestContext": {"http": {"method": "GET", "path": "/health", "protocol": "HTTP/1.1",
                                "sourceIp": "203.0.113.1", "userAgent": "bench"},
                       "requestId": "bench", "routeKey": "GET /health", "stage": "$default"},
}
response = handler.lambda_handler(event, context)
assert response["statusCode"] == 200, response
"""
)


def _run(code: str, *args: str, env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + sys, the kernel's accounting) of one fresh process."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-I", "-S", "-c", code, *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"the probe failed ({child.returncode}): {args}")
    return wall, usage.ru_utime + usage.ru_stime


def measure(path: str, flow: str, reps: int) -> dict[str, float]:
    """Medians of `reps` alternating runs of the handler and the bare fastapi import."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "POWERTOOLS_SERVICE_NAME": flow,
        "DOJO_ENVIRONMENT": "production",
        "AWS_LAMBDA_FUNCTION_NAME": flow,
    }
    _run(HANDLER, path, flow, env=env)  # warm the OS file cache, as both sides get
    _run(BASELINE, path, env=env)
    handler: list[tuple[float, float]] = []
    baseline: list[tuple[float, float]] = []
    for _ in range(reps):
        baseline.append(_run(BASELINE, path, env=env))
        handler.append(_run(HANDLER, path, flow, env=env))
    hw, bw = (statistics.median(w for w, _ in runs) for runs in (handler, baseline))
    hc, bc = (statistics.median(c for _, c in runs) for runs in (handler, baseline))
    # pair by pair, so a drift of the machine's speed cancels out
    pairs = statistics.median(h[1] / b[1] for h, b in zip(handler, baseline, strict=True))
    return {
        "handler_wall_s": round(hw, 4),
        "fastapi_wall_s": round(bw, 4),
        "ratio_wall": round(hw / bw, 3),
        "handler_cpu_s": round(hc, 4),
        "fastapi_cpu_s": round(bc, 4),
        "ratio_cpu": round(hc / bc, 3),
        "ratio_cpu_paired": round(pairs, 3),
    }


def main() -> None:
    """Build the packages, unpack them, measure each function, print (and write) JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--flow", action="append", choices=FLOWS)
    args = parser.parse_args()
    flows = args.flow or list(FLOWS)
    with tempfile.TemporaryDirectory() as tmp:
        build = Path(tmp) / "build"
        built = {p.name: p for p in package.build_all(build, flows)}
        layer = built[artifacts.LAYER]
        with zipfile.ZipFile(layer.path) as archive:
            archive.extractall(Path(tmp) / "opt")
        results = {}
        for flow in flows:
            root = Path(tmp) / flow
            with zipfile.ZipFile(built[flow].path) as archive:
                archive.extractall(root)
            path = f"{root}:{Path(tmp) / 'opt' / artifacts.LAYER_ROOT}"
            results[flow] = {
                **measure(path, flow, args.reps),
                "zipped_mib": round(built[flow].zipped_bytes / 2**20, 2),
                "unzipped_mib": round(built[flow].unzipped_bytes / 2**20, 2),
                "layer_zipped_mib": round(layer.zipped_bytes / 2**20, 2),
                "layer_unzipped_mib": round(layer.unzipped_bytes / 2**20, 2),
            }
    report = {
        "benchmark": "cold_start",
        "python": sys.version.split()[0],
        "reps": args.reps,
        "target_ratio": TARGET,
        "functions": results,
        "all_within_target_cpu": all(r["ratio_cpu"] <= TARGET for r in results.values()),
        "all_within_target_wall": all(r["ratio_wall"] <= TARGET for r in results.values()),
    }
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
