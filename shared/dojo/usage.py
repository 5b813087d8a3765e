"""What each outside call used and cost, recorded per company (the customer's bill)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from dojo.db import Connection
from dojo.observability import tokens

# USD per 1M tokens (input, output), published list prices; unknown models record no cost.
_TOKEN_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "text-embedding-3-small": (0.02, 0.0),
    "text-embedding-3-large": (0.13, 0.0),
}

Kind = Literal["llm", "embeddings", "vapi"]


@dataclass(frozen=True)
class Usage:
    """One outside call's consumption."""

    kind: Kind
    provider: str
    model: str | None
    operation: str
    input_tokens: int = 0
    output_tokens: int = 0
    inputs: int = 0
    seconds: float = 0.0
    cost_usd: float | None = None

    def priced(self) -> float | None:
        """The cost: as reported, else from the token price list, else unknown (None)."""
        if self.cost_usd is not None:
            return self.cost_usd
        if self.provider == "offline":
            return 0.0
        prices = _TOKEN_PRICES.get(self.model or "")
        if prices is None:
            return None
        return (self.input_tokens * prices[0] + self.output_tokens * prices[1]) / 1_000_000


def record(
    conn: Connection, company_id: uuid.UUID, usage: Usage, ref_id: uuid.UUID | None = None
) -> None:
    """Record one call's usage for a company (works in tenant and service transactions).

    The tokens also go out as metrics (`InputTokens` / `OutputTokens` by kind), counted when the
    call was made: they were spent even if the surrounding transaction rolls back.
    """
    tokens(usage.input_tokens, usage.output_tokens, dimensions={"kind": usage.kind})
    conn.execute(
        "select private.record_usage(%s, %s, %s, %s, %s, %s::integer, %s::integer,"
        " %s::integer, %s::numeric, %s::numeric, %s)",
        (
            company_id,
            usage.kind,
            usage.provider,
            usage.model,
            usage.operation,
            usage.input_tokens,
            usage.output_tokens,
            usage.inputs,
            usage.seconds,
            usage.priced(),
            ref_id,
        ),
    )
