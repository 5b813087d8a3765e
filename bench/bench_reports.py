"""What the PDF reports cost: a 10-minute call's scorecard PDF against the same scorecard as JSON,
and a 20-person team's quarter report PDF against the same analytics as JSON. Prints JSON.

    .venv/bin/python bench/bench_reports.py [--reps 15] [--save DIR]

Each PDF route is timed against its JSON sibling in the same run, alternating request by request,
so drift on a shared machine hits both alike: the ratio is the figure, not the milliseconds. The
process's CPU time per request is reported beside the wall time (steadier on a busy machine). Both
go through the real gateway in process (TestClient) to an embedded Postgres with the data made by
the code that makes it in production: the call is graded by the grading sweeper (offline grader);
the team's history is seeded (`dojo_local.history.seed_team`: 20 salespeople x 30 sessions over
90 days). The first request of each route is left out (fpdf2's import and the font's parsing).
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
from pathlib import Path
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "functions"), str(ROOT)]
os.environ.setdefault("DOJO_ENVIRONMENT", "test")
os.environ.setdefault("DOJO_LOG_LEVEL", "WARNING")  # one JSON document on stdout

from dojo_local import accounts, history, pg, runtime  # noqa: E402
from dojo_local.server import BackgroundServer, free_port  # noqa: E402

REP = [
    "Bom dia, Carlos! Aqui é a Ana, da Nuvem Fiscal. Tudo bem com você? Obrigada por me atender.",
    "Antes de falar do nosso sistema, me conta como vocês emitem as notas fiscais hoje, por favor?",
    "Entendo. E quando a Rose sai de férias, o que acontece com a emissão e com o faturamento?",
    "Faz sentido a preocupação com o preço. Quanto custa para vocês um caminhão parado por um dia?",
    "Então, resumindo: umas quinhentas notas por mês, dependência de uma pessoa e atrasos. Certo?",
    "Que tal uma demonstração de vinte minutos na quinta-feira às dez horas, com você e o Paulo?",
]
CUSTOMER = [
    "Tudo bem. Pode falar, mas tenho pouco tempo hoje, estamos no fechamento do mês aqui na firma.",
    "Hoje a gente usa um programa instalado no computador do escritório, comprado faz oito anos.",
    "Vira uma confusão, ninguém sabe onde fica cada coisa e as notas atrasam, o cliente reclama.",
    "Já tivemos caminhão parado por nota errada, isso custa caro, mas o orçamento está apertado.",
    "É isso mesmo. E o contador vive pedindo os arquivos XML, que a gente manda por e-mail.",
    "Pode ser, mas preciso ver o preço por escrito e entender como fica a migração dos dados.",
]


def ten_minute_call() -> list[dict[str, Any]]:
    """A voice transcript of ten minutes: alternating turns at 150 words a minute."""
    turns, clock, i = [], 0.0, 0
    while clock < 600:
        speaker = "persona" if i % 2 == 0 else "salesperson"
        text = (CUSTOMER if speaker == "persona" else REP)[(i // 2) % 6]
        words = len(text.split())
        turns.append(
            {
                "speaker": speaker,
                "text": text,
                "start": round(clock, 2),
                "end": round(clock + words / 2.5, 2),
                "words": words,
            }
        )
        clock += words / 2.5 + (1.1 if speaker == "persona" else 0.7)
        i += 1
    return turns


def _seed(url: str, issuer: str) -> dict[str, Any]:
    """The graded call (through the grading sweeper) and the 20-person team's quarter."""
    from grading import sweeper

    with psycopg.connect(url, autocommit=True) as conn:
        team = history.seed_team(conn, "Bench", people=20, sessions=30, days=90)
        seller = team["people"][0]
        conn.execute(
            "update public.profiles set full_name = 'Ana Beatriz Conceição' where id = %s",
            (seller,),
        )
        session = conn.execute(
            "insert into public.training_sessions (company_id, user_id, mode, status,"
            " persona_snapshot, rubric_version, transcript, started_at, ended_at,"
            " duration_seconds) values (%s, %s, 'voice', 'ended', %s, '2026-11-v1', %s,"
            " now() - interval '10 minutes', now(), 600) returning id",
            (
                team["company_id"],
                seller,
                Jsonb({"name": "Carlos Menezes", "role": "Sócio-diretor"}),
                Jsonb(ten_minute_call()),
            ),
        ).fetchone()[0]  # type: ignore[index]
    outcome = sweeper.sweep()
    tokens = {
        who: accounts.issue_token(url, email, issuer, ttl=7200)
        for who, email in (("seller", "rep0@bench.test"), ("manager", "gestor@bench.test"))
    }
    return {"session": session, "tokens": tokens, "graded": outcome}


def _stats(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "median_ms": round(statistics.median(values), 2),
        "max_ms": round(max(values), 2),
    }


def measure(
    pairs: dict[str, tuple[str, str, str]], tokens: dict[str, str], reps: int, save: Path | None
) -> Any:
    """Each pair's JSON baseline and PDF, alternating; milliseconds, sizes, pages and ratios."""
    from fastapi.testclient import TestClient
    from pypdf import PdfReader

    from dojo_local.gateway import build_gateway

    out: dict[str, Any] = {}
    with TestClient(build_gateway()) as client:
        for name, (baseline, report, who) in pairs.items():
            headers = {"authorization": f"Bearer {tokens[who]}"}
            times: dict[str, list[float]] = {"json": [], "pdf": []}
            cpu: dict[str, list[float]] = {"json": [], "pdf": []}
            first_pdf_ms, body = 0.0, b""
            for rep in range(reps + 1):
                for kind, path in (("json", baseline), ("pdf", report)):
                    started, cpu_started = time.perf_counter(), time.process_time()
                    response = client.get(path, headers=headers)
                    elapsed = (time.perf_counter() - started) * 1000
                    cpu_ms = (time.process_time() - cpu_started) * 1000
                    assert response.status_code == 200, response.text
                    if rep == 0:  # the first request pays fpdf2's import and the font's parsing
                        first_pdf_ms = elapsed if kind == "pdf" else first_pdf_ms
                        continue
                    times[kind].append(elapsed)
                    cpu[kind].append(cpu_ms)
                    body = response.content if kind == "pdf" else body
            if save is not None:  # to look at the pages
                (save / f"{name.split(',')[0].replace(' ', '-')}.pdf").write_bytes(body)
            json_stats, pdf_stats = _stats(times["json"]), _stats(times["pdf"])
            json_cpu, pdf_cpu = statistics.median(cpu["json"]), statistics.median(cpu["pdf"])
            out[name] = {
                "json_baseline": json_stats,
                "pdf": pdf_stats,
                "median_ratio_pdf_vs_json": round(
                    pdf_stats["median_ms"] / json_stats["median_ms"], 2
                ),
                # CPU time of this process (server and client share it): steadier under load
                "median_cpu_ms": {"json": round(json_cpu, 1), "pdf": round(pdf_cpu, 1)},
                "median_cpu_ratio_pdf_vs_json": round(pdf_cpu / json_cpu, 2),
                "first_pdf_request_ms": round(first_pdf_ms, 2),
                "pdf_bytes": len(body),
                "pdf_pages": len(PdfReader(io.BytesIO(body)).pages),
            }
    return out


def main() -> None:
    """Prepare a throwaway database and a loopback JWKS, measure, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--save", type=Path, default=None, help="write the PDFs in this folder")
    parser.add_argument(
        "--base", type=Path, default=Path(f"/tmp/dojo-bench-reports-{uuid.uuid4().hex[:6]}")
    )
    args = parser.parse_args()
    args.base.mkdir(parents=True, exist_ok=True)
    os.environ["DOJO_DATA_DIR"] = str(args.base)
    port = free_port()
    server = None
    try:
        env = runtime.prepare(f"http://127.0.0.1:{port}", base=args.base)
        server = BackgroundServer(port=port).start()  # serves the JWKS the tokens are checked with
        with contextlib.redirect_stdout(io.StringIO()):  # the apps' log lines go to stdout
            seeded = _seed(env.database_url, env.issuer)
            session = seeded["session"]
            pairs = {
                "session scorecard, 10-minute voice call": (
                    f"/api/v1/feedback/sessions/{session}",
                    f"/api/v1/feedback/sessions/{session}/report.pdf",
                    "seller",
                ),
                "team report, 20 people, 90 days (600 sessions)": (
                    "/api/v1/feedback/analytics?period=90d",
                    "/api/v1/feedback/team/report.pdf?period=90d",
                    "manager",
                ),
            }
            results = measure(pairs, seeded["tokens"], args.reps, args.save)
        print(
            json.dumps(
                {
                    "benchmark": "grading.reports_pdf",
                    "reps": args.reps,
                    "graded": seeded["graded"],
                    "reports": results,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    finally:
        if server is not None:
            server.stop()
        pg.destroy(args.base)


if __name__ == "__main__":
    main()
