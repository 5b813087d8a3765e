"""Persona generation context: how much of a company's material the sample covers. Prints JSON.

    .venv/bin/python bench/bench_persona_context.py [--chunks 4000] [--picks 24] [--runs 10]

One company in an embedded Postgres of its own (under /tmp): 8 documents of very uneven size (one
holds 60% of the chunks), each about its own band of 40 topics, vectors clustered like real
embeddings (topic + noise). The sample of `public.diverse_chunks` (farthest-point, balanced
across documents) is compared, in the same run, with two baselines of the same size: the first
rows of the table and a uniform random sample. Reported: documents and topics covered, and the
mean distance from each picked chunk to its nearest other pick (higher = less redundancy); plus
p50/p95 of the SQL sampler at the size `personas.sampling` asks for (60 picks), as a ratio to
one exact nearest-neighbour scan of the same company in the same run (the machine is shared).
Targets: all 8 documents covered; topics covered >= 1.3x the random baseline; the sampler's p50
<= 20x the exact scan's.
"""

from __future__ import annotations

import argparse
import json
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
sys.path[:0] = [str(ROOT)]

from dojo_local import migrate, pg  # noqa: E402

DIM = 1536
MODEL = "offline-ngram-1536"
TOPICS = 40
SHARES = (0.60, 0.14, 0.08, 0.06, 0.05, 0.035, 0.025, 0.01)
TOPICS_PER_DOC = 8
# 60 picks over a 1,500-chunk pool is ~90k distances against the scan's 4k: allowed 20x
MAX_SCAN_RATIO = 20.0


def _field(data: bytes) -> bytes:
    return struct.pack(">i", len(data)) + data


def load(url: str, total: int, seed: int) -> dict[str, Any]:
    """One company, 8 documents; returns the company id and, per chunk id, (document, topic)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(TOPICS, DIM)).astype(np.float32)
    labels: dict[int, tuple[int, int]] = {}
    vectors: dict[int, np.ndarray] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        company = conn.execute(
            "insert into public.companies (name) values ('bench personas') returning id"
        ).fetchone()[0]  # type: ignore[index]
        for d, share in enumerate(SHARES):
            doc = uuid.uuid4()
            conn.execute(
                "insert into public.documents (id, company_id, storage_path, filename, status)"
                " values (%s, %s, %s, %s, 'ready')",
                (doc, company, f"{company}/{doc}/doc{d}.pdf", f"doc{d}.pdf"),
            )
            count = max(5, int(total * share))
            # each document covers its own band of topics (neighbouring documents overlap)
            band = [(d * 5 + t) % TOPICS for t in range(TOPICS_PER_DOC)]
            topics = rng.choice(band, size=count)
            noise = rng.normal(scale=0.6, size=(count, DIM)).astype(np.float32)
            chunk_vectors = centres[topics] + noise
            chunk_vectors /= np.linalg.norm(chunk_vectors, axis=1, keepdims=True)
            with (
                conn.cursor() as cur,
                cur.copy(
                    "copy public.knowledge_base (company_id, document_id, chunk_index, content,"
                    " content_hash, embedding, embedding_model) from stdin (format binary)"
                ) as copy,
            ):
                copy.write(b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0))
                for i, vector in enumerate(chunk_vectors):
                    copy.write(
                        struct.pack(">h", 7)
                        + _field(company.bytes)
                        + _field(doc.bytes)
                        + _field(struct.pack(">i", i))
                        + _field(f"doc {d} chunk {i} topic {topics[i]}".encode())
                        + _field(f"{d}-{i}".encode())
                        + _field(struct.pack(">hh", DIM, 0) + vector.astype(">f4").tobytes())
                        + _field(MODEL.encode())
                    )
                copy.write(struct.pack(">h", -1))
            rows = conn.execute(
                "select id, chunk_index from public.knowledge_base where document_id = %s",
                (doc,),
            ).fetchall()
            for chunk_id, index in rows:
                labels[chunk_id] = (d, int(topics[index]))
                vectors[chunk_id] = chunk_vectors[index]
        conn.execute("vacuum analyze public.knowledge_base")
    return {"company": company, "labels": labels, "vectors": vectors}


def coverage(ids: list[int], data: dict[str, Any]) -> dict[str, float]:
    """Documents and topics a selection covers, and how far apart its picks are."""
    labels, vectors = data["labels"], data["vectors"]
    picked = np.stack([vectors[i] for i in ids])
    similarity = picked @ picked.T
    np.fill_diagonal(similarity, -np.inf)
    nearest = 1 - similarity.max(axis=1)
    return {
        "documents": len({labels[i][0] for i in ids}),
        "topics": len({labels[i][1] for i in ids}),
        "mean_nearest_distance": round(float(nearest.mean()), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunks", type=int, default=4000)
    parser.add_argument("--picks", type=int, default=24)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    base = Path("/tmp/dojo-bench-persona-context")
    pg.destroy(base)
    base.mkdir(parents=True, exist_ok=True)
    url = pg.start(base)
    try:
        migrate.migrate(url)
        data = load(url, args.chunks, args.seed)
        company = data["company"]
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("set role service_role")
            diverse = [
                r[0]
                for r in conn.execute(
                    "select id from public.diverse_chunks(%s, %s, %s)",
                    (company, MODEL, args.picks),
                )
            ]
            first = [
                r[0]
                for r in conn.execute(
                    "select id from public.knowledge_base where company_id = %s order by id"
                    " limit %s",
                    (company, args.picks),
                )
            ]
            rng = np.random.default_rng(args.seed)
            every = sorted(data["labels"])
            random_runs = [
                coverage([int(i) for i in rng.choice(every, args.picks, replace=False)], data)
                for _ in range(20)
            ]
            timings, scans = [], []
            probe = "[" + ",".join(f"{v:.7g}" for v in data["vectors"][every[0]]) + "]"
            for _ in range(args.runs):
                started = time.perf_counter()
                conn.execute(
                    "select id from public.diverse_chunks(%s, %s, 60)", (company, MODEL)
                ).fetchall()
                timings.append((time.perf_counter() - started) * 1000)
                # baseline: one exact nearest-neighbour scan over the same company's chunks
                started = time.perf_counter()
                conn.execute(
                    "select id from (select id, embedding <=> %s::extensions.vector as d"
                    " from public.knowledge_base where company_id = %s offset 0) c"
                    " order by d limit 10",
                    (probe, company),
                ).fetchall()
                scans.append((time.perf_counter() - started) * 1000)
        random_cov = {
            key: round(statistics.mean(run[key] for run in random_runs), 2)
            for key in ("documents", "topics", "mean_nearest_distance")
        }
        ordered = sorted(timings)
        diverse_cov = coverage(diverse, data)
        result = {
            "benchmark": "persona_context",
            "chunks": len(data["labels"]),
            "documents": len(SHARES),
            "topics": TOPICS,
            "picks": args.picks,
            "diverse_chunks": diverse_cov,
            "baseline_first_rows": coverage(first, data),
            "baseline_random_mean_of_20": random_cov,
            "topics_over_random": round(diverse_cov["topics"] / random_cov["topics"], 2),
            "sampler_60_picks": {
                "p50_ms": round(statistics.median(ordered), 1),
                "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1),
            },
            "exact_scan_p50_ms": round(statistics.median(scans), 1),
            "sampler_over_exact_scan_p50": round(
                statistics.median(ordered) / max(statistics.median(scans), 0.01), 1
            ),
            "targets": {
                "documents": len(SHARES),
                "topics_over_random": 1.3,
                "sampler_over_exact_scan_p50": MAX_SCAN_RATIO,
            },
        }
        result["passed"] = (
            diverse_cov["documents"] == len(SHARES)
            and result["topics_over_random"] >= 1.3
            and result["sampler_over_exact_scan_p50"] <= MAX_SCAN_RATIO
        )
        print(json.dumps(result, indent=2))
    finally:
        pg.destroy(base)


if __name__ == "__main__":
    main()
