"""Hybrid retrieval over a company's knowledge base (vector + Portuguese full text, RRF).

The same code serves the manager's search box, the Vapi tool and persona generation. In a tenant
transaction RLS confines it too; service callers pass the company explicitly, always.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dojo.db import Connection
from dojo.providers.embeddings import embed
from dojo.settings import get_settings


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk."""

    chunk_id: int
    document_id: uuid.UUID
    chunk_index: int
    content: str
    metadata: dict[str, Any]
    score: float
    similarity: float | None


@lru_cache(maxsize=2048)
def query_vector(query: str, model: str) -> tuple[float, ...]:
    """The query's embedding, cached: callers repeat the same questions."""
    del model  # part of the cache key: a model switch must not reuse old vectors
    return tuple(embed([query], operation="query").vectors[0])


def _literal(vector: tuple[float, ...]) -> str:
    return "[" + ",".join(f"{v:.7g}" for v in vector) + "]"


def search(
    conn: Connection,
    company_id: uuid.UUID,
    query: str,
    k: int = 5,
    *,
    vector: tuple[float, ...] | None = None,
) -> list[Hit]:
    """The `k` best chunks of `company_id` for `query`, best first.

    Pass `vector` (from `query_vector`) to embed before the transaction opens, so no connection
    waits on the embeddings provider; without it the query is embedded here.
    """
    query = query.strip()
    if not query:
        return []
    model = get_settings().active_embedding_model
    embedded = _literal(vector if vector is not None else query_vector(query, model))
    rows = conn.execute(
        "select id, document_id, chunk_index, content, metadata, score, similarity"
        " from public.hybrid_search(%s, %s::extensions.vector, %s, %s, %s)",
        (query, embedded, k, company_id, model),
    ).fetchall()
    return [
        Hit(
            chunk_id=r["id"],
            document_id=r["document_id"],
            chunk_index=r["chunk_index"],
            content=r["content"],
            metadata=r["metadata"] or {},
            score=float(r["score"]),
            similarity=None if r["similarity"] is None else float(r["similarity"]),
        )
        for r in rows
    ]
