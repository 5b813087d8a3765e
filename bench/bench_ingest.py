"""Ingestion throughput with the offline embedder: a 100-page PDF, then the same file again.

    .venv/bin/python bench/bench_ingest.py [--pages 100]

An embedded Postgres of its own (under /tmp) is migrated; the PDF is stored the way an upload
stores it (file + `storage.objects` row, so the trigger fires) and processed by the pipeline
(claim, extract, chunk, embed, replace chunks). Reports pages per second, embeddings requests per
1,000 chunks (target <= 10: one request per 100 chunks) and, for the same bytes uploaded again,
the requests made (target 0). Baseline in the same run: text extraction alone, as a ratio.
Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "functions"), str(ROOT)]
os.environ.setdefault("DOJO_ENVIRONMENT", "test")
os.environ["DOJO_EMBEDDINGS_PROVIDER"] = "offline"

from dojo.db import service_transaction  # noqa: E402
from dojo.providers.storage import get_storage  # noqa: E402
from dojo_local import accounts, pg, runtime  # noqa: E402
from onboarding import ingest  # noqa: E402
from onboarding.documents import object_path  # noqa: E402
from onboarding.extract import extract  # noqa: E402

TOPICS = [
    "O plano Profissional custa R$ 349 por mês e inclui até 1.000 notas fiscais.",
    "A implantação leva dez dias úteis, com treinamento da equipe no último dia.",
    "O suporte responde em até quatro horas úteis por chat e telefone.",
    "A integração com Bling, Tiny e Omie é nativa e não tem custo adicional.",
    "O cancelamento dos planos mensais não tem multa, com aviso de 30 dias.",
    "Em contingência, as notas são transmitidas assim que a SEFAZ volta.",
]


def make_pdf(pages: int) -> bytes:
    """A `pages`-page PDF of distinct sales text (about 1,800 characters per page)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for page in range(pages):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 14)
        pdf.multi_cell(
            0, 8, f"Seção {page + 1}: condições comerciais", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font("Helvetica", size=10)
        for paragraph in range(4):
            text = " ".join(
                f"{TOPICS[(page + paragraph + i) % len(TOPICS)]} Cliente {page}-{paragraph}-{i}."
                for i in range(5)
            )
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    return bytes(pdf.output())


def upload(company: uuid.UUID, data: bytes) -> uuid.UUID:
    """Store the file as an upload does: document row, then the object (the trigger fires)."""
    document = uuid.uuid4()
    path = object_path(company, document, "kit.pdf")
    with service_transaction() as conn:
        conn.execute(
            "insert into public.documents (id, company_id, storage_path, filename, bytes)"
            " values (%s, %s, %s, 'kit.pdf', %s)",
            (document, company, path, len(data)),
        )
    get_storage().put(path, data, "application/pdf")
    return document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=100)
    args = parser.parse_args()
    base = Path("/tmp/dojo-bench-ingest")
    pg.destroy(base)
    base.mkdir(parents=True, exist_ok=True)
    try:
        env = runtime.prepare("http://127.0.0.1:9", base=base)
        import psycopg

        with psycopg.connect(env.database_url, autocommit=True) as conn:
            company = accounts.ensure_company(conn, "Bench Ingest")
        data = make_pdf(args.pages)

        started = time.perf_counter()
        extracted = extract(data, "kit.pdf")
        extract_seconds = time.perf_counter() - started

        first = upload(company, data)
        started = time.perf_counter()
        result = ingest.process(first, company)
        first_seconds = time.perf_counter() - started
        assert result.outcome == "ready", result

        again = upload(company, data)
        started = time.perf_counter()
        repeat = ingest.process(again, company)
        repeat_seconds = time.perf_counter() - started
        assert repeat.outcome == "ready", repeat

        output = {
            "benchmark": "ingest",
            "pages": extracted.pages,
            "bytes": len(data),
            "chunks": result.chunks,
            "first_upload": {
                "seconds": round(first_seconds, 3),
                "pages_per_second": round(args.pages / first_seconds, 1),
                "embedding_requests": result.requests,
                "embedding_requests_per_1000_chunks": round(
                    result.requests * 1000 / max(1, result.chunks), 2
                ),
                "embedded": result.embedded,
            },
            "same_file_again": {
                "seconds": round(repeat_seconds, 3),
                "embedding_requests": repeat.requests,
                "embedded": repeat.embedded,
                "reused": repeat.reused,
            },
            "baseline_extract_only_seconds": round(extract_seconds, 3),
            "pipeline_over_extract": round(first_seconds / extract_seconds, 2),
            "targets": {"embedding_requests_per_1000_chunks": 10, "same_file_again_requests": 0},
        }
        output["passed"] = (
            output["first_upload"]["embedding_requests_per_1000_chunks"] <= 10
            and repeat.requests == 0
        )
        print(json.dumps(output, indent=2))
    finally:
        pg.destroy(base)


if __name__ == "__main__":
    main()
