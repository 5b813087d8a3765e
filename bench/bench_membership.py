"""What reading present membership costs per request, against the claims-only path. Prints JSON.

    .venv/bin/python bench/bench_membership.py [--blocks 20] [--per-block 25]

Authorization reads the caller's row in `public.profiles` on every request: once in the API's
role check (`dojo.auth.with_present_membership`, one short transaction) and in RLS through the
`private.company_id()` / `private.user_role()` helpers (one indexed read per statement). The
baseline is the path before the change, in the same process and database: the API takes company
and role from the token's claims and the two helpers read `auth.jwt()`. Both are switched by this
script only (a monkeypatch and `create or replace` of the two helpers on its own throwaway
database); nothing in the deployed code can select the claims-only path.

The modes alternate in blocks (each block warmed up after the switch) so drift on a shared
machine hits both alike. Requests go through the real gateway in process (TestClient) to an
embedded Postgres; the JWKS is served once by a local gateway on loopback and then cached.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "functions"), str(ROOT)]
os.environ.setdefault("DOJO_ENVIRONMENT", "test")
os.environ.setdefault("DOJO_LOG_LEVEL", "WARNING")  # one JSON document on stdout

from dojo import auth  # noqa: E402
from dojo_local import accounts, pg, runtime  # noqa: E402
from dojo_local.server import BackgroundServer, free_port  # noqa: E402

# The two helpers as they were before the change: company and role from the token's claims.
CLAIMS_HELPERS = """
create or replace function private.company_id() returns uuid
language sql stable security invoker set search_path = '' as $$
  select nullif((select auth.jwt()) ->> 'company_id', '')::uuid
$$;
create or replace function private.user_role() returns text
language sql stable security invoker set search_path = '' as $$
  select nullif((select auth.jwt()) ->> 'user_role', '')
$$;
"""
ROUTES = {
    "GET /api/v1/personas (salesperson)": ("/api/v1/personas", "seller"),
    "GET /api/v1/auth/me (salesperson)": ("/api/v1/auth/me", "seller"),
    "GET /api/v1/auth/members (manager)": ("/api/v1/auth/members", "manager"),
}


def _claims_only(principal: auth.Principal) -> auth.Principal:
    """The API path before the change: the token's claims decide company and role."""
    role = principal.claims.get("user_role")
    return principal.model_copy(
        update={"company_id": principal.token_company_id, "role": role or None}
    )


def _present_helpers(url: str) -> str:
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "select pg_get_functiondef(p.oid) from pg_proc p join pg_namespace n"
            " on n.oid = p.pronamespace where n.nspname = 'private'"
            " and p.proname in ('company_id', 'user_role')"
        ).fetchall()
    return ";\n".join(r[0] for r in rows) + ";"


def _seed(url: str, issuer: str) -> dict[str, str]:
    with psycopg.connect(url, autocommit=True) as conn:
        seller = accounts.ensure_user(
            conn, "seller@bench.test", company="Bench", role="salesperson"
        )
        accounts.ensure_user(conn, "manager@bench.test", company="Bench", role="manager")
        company = conn.execute("select company_id from profiles where id = %s", (seller,))
        company_id = company.fetchone()[0]  # type: ignore[index]
        for i in range(8):
            conn.execute(
                "insert into personas (company_id, name, role, difficulty, status)"
                " values (%s, %s, 'CFO', 'medium', %s)",
                (company_id, f"Persona {i}", "active" if i < 6 else "archived"),
            )
    return {
        who: accounts.issue_token(url, f"{who}@bench.test", issuer, ttl=7200)
        for who in ("seller", "manager")
    }


def _switch(url: str, mode: str, present_sql: str, monkey: dict[str, Callable[..., Any]]) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(present_sql if mode == "present" else CLAIMS_HELPERS)
    auth.with_present_membership = monkey[mode]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def _stats(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "median_ms": round(statistics.median(values), 3),
        "p95_ms": round(_percentile(values, 95), 3),
    }


def measure(url: str, tokens: dict[str, str], blocks: int, per_block: int) -> dict[str, Any]:
    """Alternate the two modes block by block; milliseconds per request, per route and mode."""
    from fastapi.testclient import TestClient

    from dojo_local.gateway import build_gateway

    present_sql = _present_helpers(url)
    monkey = {"present": auth.with_present_membership, "claims": _claims_only}
    times: dict[str, dict[str, list[float]]] = {r: {"present": [], "claims": []} for r in ROUTES}
    errors = 0
    try:
        with TestClient(build_gateway()) as client:
            for block in range(blocks):
                for mode in ("present", "claims") if block % 2 == 0 else ("claims", "present"):
                    _switch(url, mode, present_sql, monkey)
                    for name, (path, who) in ROUTES.items():
                        headers = {"authorization": f"Bearer {tokens[who]}"}
                        for i in range(per_block + 5):  # 5 warm-up requests after the switch
                            started = time.perf_counter()
                            response = client.get(path, headers=headers)
                            elapsed = (time.perf_counter() - started) * 1000
                            errors += response.status_code != 200
                            if i >= 5:
                                times[name][mode].append(elapsed)
    finally:
        _switch(url, "present", present_sql, monkey)
    out: dict[str, Any] = {}
    for name, by_mode in times.items():
        present, claims = _stats(by_mode["present"]), _stats(by_mode["claims"])
        out[name] = {
            "membership_read": present,
            "claims_only": claims,
            "median_ratio": round(present["median_ms"] / claims["median_ms"], 3),
            "p95_ratio": round(present["p95_ms"] / claims["p95_ms"], 3),
        }
    out["errors"] = errors
    return out


def main() -> None:
    """Prepare a throwaway database and a loopback JWKS, measure, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--blocks", type=int, default=20)
    parser.add_argument("--per-block", type=int, default=25)
    parser.add_argument(
        "--base", type=Path, default=Path(f"/tmp/dojo-bench-membership-{uuid.uuid4().hex[:6]}")
    )
    args = parser.parse_args()
    args.base.mkdir(parents=True, exist_ok=True)
    os.environ["DOJO_DATA_DIR"] = str(args.base)
    port = free_port()
    server = None
    try:
        env = runtime.prepare(f"http://127.0.0.1:{port}", base=args.base)
        server = BackgroundServer(port=port).start()  # serves the JWKS the tokens are checked with
        tokens = _seed(env.database_url, env.issuer)
        with contextlib.redirect_stdout(io.StringIO()):  # the apps' metric lines go to stdout
            routes = measure(env.database_url, tokens, args.blocks, args.per_block)
        print(
            json.dumps(
                {
                    "benchmark": "auth.membership_read",
                    "blocks": args.blocks,
                    "requests_per_block_per_mode": args.per_block,
                    "routes": routes,
                },
                indent=2,
            )
        )
    finally:
        if server is not None:
            server.stop()
        pg.destroy(args.base)


if __name__ == "__main__":
    main()
