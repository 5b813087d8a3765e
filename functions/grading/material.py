"""The knowledge-base material a call is coached with: the company's chunks about what the
customer raised in it, retrieved before grading so better lines can cite real facts.

The customer's challenges (their longest turns after the opening, and the persona's objections)
and the usual next steps (trial, demonstration, implementation) are the queries. Queries are
embedded with no connection open (an outside call), then searched in one short transaction.
Missing material never fails a grading: the scorecard then has fewer grounded lines.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from dojo.db import Connection, service_transaction
from dojo.observability import logger
from dojo.retrieval import Hit, query_vector
from dojo.settings import get_settings
from grading import transcript
from grading.store import coach as store

MATERIAL_CHUNKS = 8
PER_QUERY = 3
_QUERY_CHARS = 300
_CHALLENGES = 3
_NEXT_STEPS = {
    "pt-BR": "teste grátis demonstração implantação prazo próximo passo",
    "en-US": "free trial demonstration implementation timeline next step",
}


def queries(turns: list[transcript.Turn], persona: dict[str, Any], locale: str) -> list[str]:
    """What to look up for a call: the customer's challenges, then the usual next steps."""
    customer = [t for t in turns if t.speaker == "persona"]
    challenges = sorted(customer[1:] or customer, key=lambda t: (-t.words, t.index))[:_CHALLENGES]
    texts = [t.text for t in sorted(challenges, key=lambda t: t.index)]
    objections = persona.get("objections") or []
    texts += [str(o.get("text") or "") for o in objections[:2] if isinstance(o, dict)]
    texts.append(_NEXT_STEPS.get(locale, _NEXT_STEPS["en-US"]))
    cleaned = [" ".join(t.split())[:_QUERY_CHARS] for t in texts]
    return list(dict.fromkeys(t for t in cleaned if t))


def vectors(texts: Sequence[str]) -> list[tuple[float, ...]]:
    """The queries' embeddings (an outside call: made with no connection open)."""
    model = get_settings().active_embedding_model
    return [query_vector(text, model) for text in texts]


def search(
    conn: Connection,
    company_id: uuid.UUID,
    texts: Sequence[str],
    embedded: Sequence[tuple[float, ...]],
    per_query: int = PER_QUERY,
    limit: int = MATERIAL_CHUNKS,
) -> list[Hit]:
    """The best chunks of every query, taken in turns (each query's best first), once each."""
    results = [
        store.knowledge(conn, company_id, text, per_query, vector)
        for text, vector in zip(texts, embedded, strict=True)
    ]
    picked: dict[int, Hit] = {}
    for rank in range(per_query):
        for hits in results:
            if rank < len(hits) and len(picked) < limit:
                picked.setdefault(hits[rank].chunk_id, hits[rank])
    return list(picked.values())


def for_session(session_id: uuid.UUID, company_id: uuid.UUID | None) -> list[Hit]:
    """The material to grade a session with (empty when there is none or it cannot be had)."""
    try:
        with service_transaction() as conn:
            source = store.material_source(conn, session_id, company_id)
        if source is None:
            return []
        turns = transcript.parse(source["transcript"])
        texts = queries(turns, source["persona_snapshot"] or {}, source["locale"])
        embedded = vectors(texts)
        with service_transaction() as conn:
            return search(conn, source["company_id"], texts, embedded)
    except Exception as exc:  # better lines are an extra: grading goes on without material
        logger.warning(
            "no material for coaching", extra={"session_id": str(session_id), "error": str(exc)}
        )
        return []
