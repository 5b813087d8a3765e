"""The context a generation sees: a diverse sample of the company's chunks within a token budget.

Farthest-point sampling over the chunk embeddings, balanced across documents, runs in SQL
(`public.diverse_chunks`, called through `personas.store`); a manager's focus first retrieves the
chunks it matches, which seed the sample. Chunks are then taken in that order while they fit the
budget (tokens ≈ chars / 4). Every chunk is shown with its id so the model can cite it, and only
these ids may be cited.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from dojo import retrieval
from dojo.db import Connection
from dojo.settings import get_settings
from personas.store import personas as store

CHARS_PER_TOKEN = 4
MAX_CHUNK_CHARS = 1600  # a single oversized chunk must not eat the budget of the others
FOCUS_SEEDS = 3


@dataclass(frozen=True)
class Chunk:
    """One chunk in the generation context."""

    id: int
    document_id: uuid.UUID
    filename: str
    chunk_index: int
    content: str
    page: int | None


@dataclass(frozen=True)
class Context:
    """The sampled chunks and what they cost."""

    chunks: list[Chunk]
    tokens: int

    @property
    def ids(self) -> set[int]:
        """The chunk ids the model may cite."""
        return {c.id for c in self.chunks}

    @property
    def documents(self) -> int:
        """How many documents the sample spans."""
        return len({c.document_id for c in self.chunks})

    def render(self) -> str:
        """The chunks as the model reads them: an id header, the source, the text."""
        parts = []
        for c in self.chunks:
            page = f", p. {c.page}" if c.page is not None else ""
            parts.append(f"[chunk {c.id}] ({c.filename}{page})\n{c.content}")
        return "\n\n".join(parts)


def estimate_tokens(text: str) -> int:
    """A cheap token estimate (chars / 4), good enough for a budget."""
    return -(-len(text) // CHARS_PER_TOKEN)


def _chunk(row: dict[str, Any]) -> Chunk:
    content = " ".join(str(row["content"]).split())
    if len(content) > MAX_CHUNK_CHARS:
        content = content[:MAX_CHUNK_CHARS].rsplit(" ", 1)[0] + " …"
    page = (row.get("metadata") or {}).get("page")
    return Chunk(
        id=int(row["id"]),
        document_id=row["document_id"],
        filename=str(row["filename"]),
        chunk_index=int(row["chunk_index"]),
        content=content,
        page=page if isinstance(page, int) else None,
    )


def sample(
    conn: Connection,
    company_id: uuid.UUID,
    *,
    budget_tokens: int | None = None,
    focus: retrieval.Query | None = None,
) -> Context:
    """A diverse sample of the company's ready chunks that fits `budget_tokens`; a `focus`
    (embedded before the transaction, `retrieval.embed_query`) seeds it."""
    settings = get_settings()
    budget = budget_tokens or settings.personas_context_tokens
    model = settings.active_embedding_model
    seeds: list[int] = []
    if focus and focus.text:
        hits = retrieval.search(conn, company_id, focus.text, k=FOCUS_SEEDS, vector=focus.vector)
        seeds = [h.chunk_id for h in hits]
    # ask for more than the budget can hold: oversized chunks are skipped, smaller ones fill in
    wanted = max(8, budget * CHARS_PER_TOKEN // 400)
    rows = store.diverse_chunks(conn, company_id, model, wanted, seeds)
    chosen: list[Chunk] = []
    used = 0
    for row in rows:
        chunk = _chunk(row)
        cost = estimate_tokens(chunk.content) + 12  # the id/source header
        if used + cost > budget:
            continue
        chosen.append(chunk)
        used += cost
    return Context(chunks=chosen, tokens=used)


def has_material(conn: Connection, company_id: uuid.UUID) -> bool:
    """True when the company has at least one ready document with chunks of the active model."""
    return store.has_material(conn, company_id, get_settings().active_embedding_model)
