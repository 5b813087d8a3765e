"""The analytics dashboard on a 20-person team with ~30 graded sessions each (600 sessions over 90
days), against the existing team view (`GET /api/v1/feedback/team`) on the same data, alternating,
in the same run, through the real gateway as the same manager. Prints JSON: medians and the ratio
analytics / team for `period=90d` (the whole history) and `period=30d`; also the CSV export.

    .venv/bin/python bench/bench_analytics.py [--reps 15] [--out bench/results/analytics.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

os.environ.setdefault("DOJO_ENVIRONMENT", "test")


def _timed(client: Any, path: str, headers: dict[str, str], params: dict[str, str]) -> float:
    start = time.perf_counter()
    response = client.get(path, headers=headers, params=params)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code} {response.text[:300]}")
    return elapsed


def main() -> None:
    """Seed the team, then time the routes alternately and print the medians and ratios."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="dojo-bench-analytics-"))
    os.environ["DOJO_DATA_DIR"] = str(base)
    import psycopg
    from fastapi.testclient import TestClient

    from dojo_local import accounts, history, offline, pg, runtime
    from dojo_local.gateway import build_gateway
    from dojo_local.server import BackgroundServer, free_port

    offline.install()
    port = free_port()
    env = runtime.prepare(f"http://127.0.0.1:{port}", base=base)
    server = BackgroundServer(port=port).start()  # serves the JWKS the gateway verifies against
    try:
        with psycopg.connect(env.database_url, autocommit=True) as conn:
            team = history.seed_team(
                conn, "Bench Vendas", people=args.people, sessions=args.sessions, days=90
            )
        token = accounts.issue_token(env.database_url, "gestor@benchvendas.test", env.issuer)
        headers = {"authorization": f"Bearer {token}"}
        cases = {
            "team_all": ("/api/v1/feedback/team", {}),
            "team_30d": ("/api/v1/feedback/team", {"days": "30"}),
            "analytics_90d": ("/api/v1/feedback/analytics", {"period": "90d"}),
            "analytics_30d": ("/api/v1/feedback/analytics", {"period": "30d"}),
            "team_csv_90d": ("/api/v1/feedback/team.csv", {"period": "90d"}),
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        with TestClient(build_gateway(), raise_server_exceptions=False) as client:
            for path, params in cases.values():  # warm up: imports, JWKS, plans
                _timed(client, path, headers, params)
            for _ in range(args.reps):
                for name, (path, params) in cases.items():
                    times[name].append(_timed(client, path, headers, params))
        medians = {name: round(statistics.median(v) * 1000, 1) for name, v in times.items()}
        result = {
            "people": args.people,
            "sessions_per_person": args.sessions,
            "graded_sessions": args.people * args.sessions,
            "reps": args.reps,
            "median_ms": medians,
            "ratio_analytics_90d_vs_team_all": round(
                medians["analytics_90d"] / medians["team_all"], 2
            ),
            "ratio_analytics_30d_vs_team_30d": round(
                medians["analytics_30d"] / medians["team_30d"], 2
            ),
            "ratio_team_csv_90d_vs_team_all": round(
                medians["team_csv_90d"] / medians["team_all"], 2
            ),
            "company_id": str(team["company_id"]),
        }
    finally:
        server.stop()
        pg.destroy(base)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
