"""Server-side latency of Vapi `tool-calls` at 100,000 chunks (offline embedder). Prints JSON.

    .venv/bin/python bench/bench_webhooks.py [--chunks 100000] [--requests 300] [--keep]

An embedded Postgres of its own (under /tmp, reused with --keep) is loaded with COPY (binary) —
one big company holding `--chunks` chunks and a small baseline company of 1,000 — then signed
`tool-calls` messages go through the real webhooks app in process (HMAC check, parsing, session
lookup, hybrid retrieval, reply). Questions repeat, as in real calls, so most query embeddings come
from the cache; first-seen questions are reported apart. The baseline company in the same run gives
a machine-independent ratio. Budget: p95 <= 150 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import statistics
import struct
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "functions"), str(ROOT)]
os.environ.setdefault("DOJO_ENVIRONMENT", "test")
os.environ.setdefault("DOJO_LOG_LEVEL", "WARNING")  # one JSON document on stdout, no request logs

from dojo.settings import get_settings  # noqa: E402
from dojo_local import accounts, pg, runtime  # noqa: E402
from dojo_local.offline.embeddings import offline_vector  # noqa: E402

SECRET = "bench-webhook-secret"
BUDGET_MS = 150.0

PRODUCTS = [
    "Nuvem Fiscal",
    "Plano Essencial",
    "Plano Profissional",
    "Plano Enterprise",
    "API Fiscal",
    "módulo de estoque",
    "aplicativo móvel",
    "portal do contador",
    "robô de conciliação",
    "painel gerencial",
    "serviço de onboarding",
    "certificado digital A1",
]
TOPICS = [
    "emite notas fiscais eletrônicas automaticamente",
    "faz a conciliação bancária com os principais bancos",
    "tem suporte por chat de segunda a sexta das 8h às 18h",
    "garante SLA de 99,5% de disponibilidade mensal",
    "exige fidelidade mínima de 12 meses com multa de 30% no cancelamento",
    "inclui migração do cadastro de clientes em até 30 dias",
    "integra com Omie, Bling e Conta Azul por API aberta",
    "tem reajuste anual pelo IPCA no aniversário do contrato",
    "oferece desconto de 15% no pagamento anual antecipado",
    "cobra R$ 59,00 por usuário adicional ao mês",
    "apura impostos do Simples Nacional e do Lucro Presumido",
    "treina a equipe por videoconferência na implantação",
    "envia alertas de vencimento de guias por e-mail",
    "importa extratos OFX e CNAB de qualquer banco",
    "calcula o DIFAL nas vendas interestaduais",
    "gera o SPED Fiscal e a EFD-Contribuições",
    "controla permissões por perfil de usuário",
    "mantém backup diário criptografado por cinco anos",
    "atende a LGPD com registro de consentimento",
    "emite boletos registrados com baixa automática",
    "tem contingência offline quando a SEFAZ cai",
    "consulta CNPJ e inscrição estadual na Receita",
    "mostra o fluxo de caixa projetado de noventa dias",
    "permite cancelar a nota em até 24 horas",
]
SEGMENTS = [
    "varejo",
    "escritórios contábeis",
    "indústria",
    "serviços",
    "e-commerce",
    "saúde",
    "agronegócio",
    "construção civil",
    "educação",
    "logística",
    "restaurantes",
    "franquias",
]
QUESTIONS = [
    "quanto custa o plano profissional?",
    "tem multa se cancelar o contrato?",
    "qual o horário do suporte?",
    "integra com o Bling?",
    "quanto tempo leva a migração dos dados?",
    "qual a disponibilidade garantida?",
    "tem desconto no pagamento anual?",
    "como funciona o reajuste do contrato?",
    "quanto custa um usuário adicional?",
    "vocês apuram impostos do lucro presumido?",
    "tem treinamento para a equipe?",
    "emite nota fiscal de serviço?",
]


def _sentence(rng: random.Random) -> str:
    return (
        f"O {rng.choice(PRODUCTS)} {rng.choice(TOPICS)} para clientes de"
        f" {rng.choice(SEGMENTS)} (referência {rng.randint(1, 99999)})."
    )


def _copy_header() -> bytes:
    return b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)


def _field(data: bytes) -> bytes:
    return struct.pack(">i", len(data)) + data


def load(url: str, company: uuid.UUID, chunks: int, seed: int) -> float:
    """COPY `chunks` chunks (100 documents) for a company; returns seconds taken."""
    started = time.perf_counter()
    rng = random.Random(seed)
    model = get_settings().active_embedding_model
    pool = [_sentence(rng) for _ in range(400)]
    vectors = np.array([offline_vector(s) for s in pool], dtype=np.float32)
    per_doc = max(1, chunks // 100)
    with psycopg.connect(url, autocommit=True) as conn:
        docs = []
        for d in range(-(-chunks // per_doc)):
            row = conn.execute(
                "insert into public.documents (company_id, storage_path, filename, status)"
                " values (%s, %s, %s, 'ready') returning id",
                (company, f"{company}/{uuid.uuid4()}/doc-{d}.pdf", f"doc-{d}.pdf"),
            ).fetchone()
            assert row is not None
            docs.append(row[0])
        copy_sql = (
            "copy public.knowledge_base (company_id, document_id, chunk_index, content,"
            " content_hash, embedding, embedding_model) from stdin (format binary)"
        )
        with conn.cursor() as cur, cur.copy(copy_sql) as copy:
            copy.write(_copy_header())
            for i in range(chunks):
                picks = rng.sample(range(len(pool)), 3)
                content = " ".join(pool[p] for p in picks)
                vector = vectors[picks].sum(axis=0)
                vector /= np.linalg.norm(vector)
                embedding = struct.pack(">hh", len(vector), 0) + vector.astype(">f4").tobytes()
                copy.write(
                    struct.pack(">h", 7)
                    + _field(company.bytes)
                    + _field(docs[i // per_doc].bytes)
                    + _field(struct.pack(">i", i % per_doc))
                    + _field(content.encode())
                    + _field(f"{seed}-{i}".encode())
                    + _field(embedding)
                    + _field(model.encode())
                )
            copy.write(struct.pack(">h", -1))
        conn.execute("analyze public.knowledge_base")
    return time.perf_counter() - started


def prepare(base: Path, chunks: int) -> tuple[Any, dict[str, str], float]:
    """The database loaded (reused when already loaded) and the calls bound to sessions."""
    env = runtime.prepare("http://127.0.0.1:9", base=base)
    url = env.database_url
    calls = {"big": "bench-call-big", "small": "bench-call-small"}
    load_seconds = 0.0
    loaded = False
    with psycopg.connect(url, autocommit=True) as conn:
        for name, size in (("big", chunks), ("small", 1000)):
            email = f"{name}@bench.test"
            user = accounts.ensure_user(conn, email, company=f"Bench {name}", role="salesperson")
            company = conn.execute(
                "select company_id from public.profiles where id = %s", (user,)
            ).fetchone()
            assert company is not None
            have = conn.execute(
                "select count(*) from public.knowledge_base where company_id = %s", (company[0],)
            ).fetchone()
            if have is None or have[0] != size:
                conn.execute("delete from public.documents where company_id = %s", (company[0],))
                # bulk load without the vector index, then build it once (as a backfill would)
                conn.execute("drop index if exists public.knowledge_base_embedding_idx")
                load_seconds += load(url, company[0], size, seed=len(name))
                loaded = True
            conn.execute(
                "insert into public.training_sessions (company_id, user_id, mode, status,"
                " vapi_call_id, rubric_version) values (%s, %s, 'voice', 'active', %s, 'bench')"
                " on conflict (vapi_call_id) do nothing",
                (company[0], user, calls[name]),
            )
        if loaded:
            started = time.perf_counter()
            conn.execute("set maintenance_work_mem = '1GB'")
            conn.execute(
                "create index if not exists knowledge_base_embedding_idx on"
                " public.knowledge_base using hnsw (embedding extensions.vector_cosine_ops)"
            )
            load_seconds += time.perf_counter() - started
    return env, calls, load_seconds


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return round(ordered[index], 2)


def _stats(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": _percentile(values, 50),
        "p95_ms": _percentile(values, 95),
        "p99_ms": _percentile(values, 99),
        "max_ms": round(max(values), 2),
        "mean_ms": round(statistics.fmean(values), 2),
    }


def measure(call_id: str, requests: int, seed: int) -> dict[str, Any]:
    """Send signed tool-calls messages through the webhooks app; server-side milliseconds."""
    from fastapi.testclient import TestClient

    from dojo.retrieval import query_vector
    from dojo.vapi.auth import sign
    from webhooks.app import app

    query_vector.cache_clear()
    rng = random.Random(seed)
    first: list[float] = []
    repeated: list[float] = []
    seen: set[str] = set()
    errors = 0
    with TestClient(app) as client:
        for i in range(requests):
            question = rng.choice(QUESTIONS)
            payload = {
                "message": {
                    "type": "tool-calls",
                    "call": {"id": call_id},
                    "toolCallList": [
                        {
                            "id": f"tc-{i}",
                            "type": "function",
                            "function": {
                                "name": "search_knowledge_base",
                                "arguments": json.dumps({"query": question}),
                            },
                        }
                    ],
                }
            }
            body = json.dumps(payload).encode()
            stamp = str(int(time.time() * 1000))
            headers = {"x-timestamp": stamp, "x-signature": sign(body, SECRET, stamp)}
            started = time.perf_counter()
            response = client.post("/api/v1/webhooks/vapi", content=body, headers=headers)
            elapsed = (time.perf_counter() - started) * 1000
            result = response.json()["results"][0]
            if response.status_code != 200 or "error" in result:
                errors += 1
            (repeated if question in seen else first).append(elapsed)
            seen.add(question)
    return {
        "all": _stats(first + repeated),
        "repeated_questions": _stats(repeated) if repeated else None,
        "first_seen_questions": _stats(first),
        "errors": errors,
    }


def main() -> None:
    """Load, warm up, measure the big and the baseline company, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--base", type=Path, default=Path("/tmp/dojo-bench-webhooks"))
    parser.add_argument("--keep", action="store_true", help="keep the loaded database")
    args = parser.parse_args()
    args.base.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "DOJO_VAPI_WEBHOOK_SECRET": SECRET,
            "DOJO_VAPI_AUTH_MODE": "hmac",
            "DOJO_EMBEDDINGS_PROVIDER": "offline",
        }
    )
    try:
        _env, calls, load_seconds = prepare(args.base, args.chunks)
        get_settings.cache_clear()
        # the app's EMF metric lines go to stdout: keep it for the one JSON result
        with contextlib.redirect_stdout(io.StringIO()):
            measure(calls["big"], 20, seed=99)  # warm-up: pool, caches, index pages
            big = measure(calls["big"], args.requests, seed=1)
            small = measure(calls["small"], args.requests, seed=1)
        p95 = big["all"]["p95_ms"]
        print(
            json.dumps(
                {
                    "benchmark": "webhooks.tool_calls",
                    "chunks": args.chunks,
                    "requests": args.requests,
                    "embedder": get_settings().active_embedding_model,
                    "load_seconds": round(load_seconds, 1),
                    "big_company": big,
                    "baseline_1000_chunks": small,
                    "p95_ratio_to_baseline": round(p95 / small["all"]["p95_ms"], 2),
                    "budget_p95_ms": BUDGET_MS,
                    "within_budget": p95 <= BUDGET_MS,
                },
                indent=2,
            )
        )
    finally:
        if not args.keep:
            pg.destroy(args.base)


if __name__ == "__main__":
    main()
