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


@dataclass(frozen=True)
class Query:
    """A search text with its embedding, made before any transaction opens."""

    text: str
    vector: tuple[float, ...]


@lru_cache(maxsize=2048)
def query_vector(query: str, model: str) -> tuple[float, ...]:
    """The query's embedding, cached: callers repeat the same questions."""
    del model  # part of the cache key: a model switch must not reuse old vectors
    return tuple(embed([query], operation="query").vectors[0])


def embed_query(text: str) -> Query:
    """`text` with its embedding by the active model (an outside call: hold no connection)."""
    text = text.strip()
    return Query(text, query_vector(text, get_settings().active_embedding_model) if text else ())


def _literal(vector: tuple[float, ...]) -> str:
    return "[" + ",".join(f"{v:.7g}" for v in vector) + "]"


def search(
    conn: Connection,
    company_id: uuid.UUID,
    query: str,
    k: int = 5,
    *,
    vector: tuple[float, ...],
) -> list[Hit]:
    """The `k` best chunks of `company_id` for `query`, best first.

    `vector` is the query's embedding (`query_vector`, `embed_query`), made before the
    transaction opened: embedding is an outside call, and no connection waits on one.
    """
    query = query.strip()
    if not query:
        return []
    model = get_settings().active_embedding_model
    embedded = _literal(vector)
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
