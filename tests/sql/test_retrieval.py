"""Hybrid retrieval in SQL: per-tenant recall, one company only, active model only, unaccent."""

from __future__ import annotations

import uuid
from typing import Any

import numpy as np
import pytest

from dojo import retrieval
from dojo.db import service_transaction, tenant_transaction
from dojo.settings import get_settings
from dojo_local.offline.embeddings import offline_vector

DIM = 1536


def _company(sql: Any, name: str) -> tuple[uuid.UUID, uuid.UUID]:
    company = sql.execute(
        "insert into public.companies (name) values (%s) returning id", (name,)
    ).fetchone()["id"]
    doc = uuid.uuid4()
    sql.execute(
        "insert into public.documents (id, company_id, storage_path, filename, status)"
        " values (%s, %s, %s, 'kit.pdf', 'ready')",
        (doc, company, f"{company}/{doc}/kit.pdf"),
    )
    return company, doc


def _load(
    sql: Any, company: uuid.UUID, doc: uuid.UUID, rows: list[tuple[str, list[float]]], model: str
) -> None:
    with sql.cursor().copy(
        "copy public.knowledge_base (company_id, document_id, chunk_index, content, metadata,"
        " content_hash, embedding, embedding_model) from stdin"
    ) as copy:
        for i, (content, vector) in enumerate(rows):
            literal = "[" + ",".join(f"{v:.6g}" for v in vector) + "]"
            copy.write_row((company, doc, i, content, '{"page": 1}', f"h{i}", literal, model))


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


@pytest.fixture
def tenants(sql):
    """A big company (3,000 chunks) and a small one (15) whose vectors sit in the same region."""
    rng = np.random.default_rng(7)
    model = get_settings().active_embedding_model
    centre = rng.normal(size=DIM)
    big, big_doc = _company(sql, "Grande")
    small, small_doc = _company(sql, "Pequena")
    big_vectors = _unit(centre + rng.normal(scale=1.0, size=(3000, DIM)))
    small_vectors = _unit(centre + rng.normal(scale=1.0, size=(15, DIM)))
    _load(sql, big, big_doc, [(f"grande {i}", list(v)) for i, v in enumerate(big_vectors)], model)
    _load(
        sql,
        small,
        small_doc,
        [(f"pequena {i}", list(v)) for i, v in enumerate(small_vectors)],
        model,
    )
    sql.execute("analyze public.knowledge_base")
    return {"big": big, "small": small, "centre": _unit(centre[None, :])[0], "model": model}


def _match(
    company: uuid.UUID, vector: np.ndarray, k: int, model: str, exact_below: int, force_index: bool
) -> list[dict[str, Any]]:
    literal = "[" + ",".join(f"{v:.6g}" for v in vector) + "]"
    with service_transaction() as conn:
        if force_index:
            conn.execute("set local enable_seqscan = off")
        return conn.execute(
            "select id, similarity from public.match_documents(%s::extensions.vector, -1, %s,"
            " %s, %s, %s)",
            (literal, k, company, model, exact_below),
        ).fetchall()


@pytest.mark.parametrize("exact_below", [20000, 0], ids=["exact-for-small", "index-iterative"])
def test_small_company_gets_its_full_top_k(tenants, exact_below) -> None:
    rows = _match(
        tenants["small"],
        tenants["centre"],
        10,
        tenants["model"],
        exact_below,
        force_index=exact_below == 0,
    )
    assert len(rows) == 10
    exact = _match(tenants["small"], tenants["centre"], 10, tenants["model"], 10**9, False)
    assert {r["id"] for r in rows} == {r["id"] for r in exact}


def test_search_is_confined_to_one_company_and_the_active_model(sql, make_user) -> None:
    user = make_user("Nuvem", "salesperson")
    other, other_doc = _company(sql, "Concorrente")
    doc = uuid.uuid4()
    sql.execute(
        "insert into public.documents (id, company_id, storage_path, filename, status)"
        " values (%s, %s, %s, 'kit.pdf', 'ready')",
        (doc, user.company_id, f"{user.company_id}/{doc}/kit.pdf"),
    )
    model = get_settings().active_embedding_model
    text = "O preço do plano Profissional é R$ 349 por mês."
    _load(sql, user.company_id, doc, [(text, offline_vector(text))], model)
    _load(sql, other, other_doc, [("Preço secreto do concorrente", offline_vector(text))], model)
    with service_transaction() as conn:
        conn.execute(
            "insert into public.knowledge_base (company_id, document_id, chunk_index, content,"
            " content_hash, embedding, embedding_model) select company_id, document_id, 99,"
            " content, content_hash, embedding, 'old-model' from public.knowledge_base"
            " where company_id = %s",
            (user.company_id,),
        )

    claims = {
        "sub": str(user.id),
        "role": "authenticated",
        "company_id": str(user.company_id),
        "user_role": "salesperson",
    }
    plain = retrieval.embed_query("preco do plano")  # no accent typed
    price = retrieval.embed_query("preço")
    with tenant_transaction(claims) as conn:
        hits = retrieval.search(conn, user.company_id, plain.text, 5, vector=plain.vector)
        assert [h.content for h in hits] == [text]
        assert hits[0].metadata == {"page": 1}
        # RLS: asking for another company's rows from a user transaction yields nothing
        assert retrieval.search(conn, other, price.text, 5, vector=price.vector) == []
    with service_transaction() as conn:
        found = retrieval.search(conn, other, price.text, 5, vector=price.vector)
        assert [h.content for h in found] == ["Preço secreto do concorrente"]
