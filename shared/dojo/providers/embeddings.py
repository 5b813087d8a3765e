"""Text embeddings: OpenAI (batched, retried) or a deterministic offline embedder.

The offline embedder hashes character n-grams (3-5) of the accent-folded, lower-cased words into
1536 dimensions and L2-normalises the result, so the whole pipeline and retrieval work with no key
and give the same vectors on every machine. Similar wording gives similar vectors; it is not a
semantic model, and everything it produces is labelled with its own model name.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from dojo.errors import ServiceUnavailable, UpstreamError
from dojo.settings import get_settings
from dojo.usage import Usage

BATCH_SIZE = 100  # inputs per embeddings request (the API accepts up to 2048)
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Embedded:
    """Vectors for a list of texts, the model that made them and what it used."""

    vectors: list[list[float]]
    model: str
    usage: Usage
    requests: int


def fold(text: str) -> str:
    """Lower-case and strip accents ("Preço" -> "preco"): Brazilian text is typed both ways."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def offline_vector(text: str, dimensions: int = 1536) -> list[float]:
    """The deterministic hashed character n-gram vector of `text` (unit length, or zero)."""
    vector = [0.0] * dimensions
    for word in _WORD.findall(fold(text)):
        padded = f" {word} "
        grams = [padded[i : i + n] for n in (3, 4, 5) for i in range(len(padded) - n + 1)]
        for gram in grams or [padded]:
            digest = hashlib.blake2b(gram.encode(), digest_size=8).digest()
            index = int.from_bytes(digest[:4], "little") % dimensions
            sign = 1.0 if digest[4] & 1 else -1.0
            vector[index] += sign
    norm = math.sqrt(sum(v * v for v in vector))
    return [v / norm for v in vector] if norm else vector


def _openai_batch(
    texts: Sequence[str], model: str, dimensions: int
) -> tuple[list[list[float]], int]:
    import openai

    from dojo.providers.llm import client

    try:
        response = client().embeddings.create(model=model, input=list(texts), dimensions=dimensions)
    except openai.RateLimitError as exc:
        raise ServiceUnavailable("the embeddings service is rate limited") from exc
    except (openai.APITimeoutError, openai.APIConnectionError) as exc:
        raise ServiceUnavailable("the embeddings service did not answer in time") from exc
    except openai.APIStatusError as exc:
        raise UpstreamError(f"the embeddings service answered {exc.status_code}") from exc
    ordered = sorted(response.data, key=lambda d: d.index)
    if len(ordered) != len(texts):
        raise UpstreamError("the embeddings service returned the wrong number of vectors")
    return [list(d.embedding) for d in ordered], int(response.usage.prompt_tokens)


def embed(texts: Sequence[str], operation: str = "embed") -> Embedded:
    """Embed `texts` with the configured provider: one request per `BATCH_SIZE` texts."""
    settings = get_settings()
    model = settings.active_embedding_model
    dims = settings.embedding_dimensions
    started = time.monotonic()
    if settings.embeddings_provider == "offline":
        vectors = [offline_vector(t, dims) for t in texts]
        usage = Usage("embeddings", "offline", model, operation, inputs=len(texts))
        return Embedded(vectors, model, usage, requests=0)
    vectors = []
    tokens = 0
    requests = 0
    for start in range(0, len(texts), BATCH_SIZE):
        batch_vectors, batch_tokens = _openai_batch(texts[start : start + BATCH_SIZE], model, dims)
        vectors.extend(batch_vectors)
        tokens += batch_tokens
        requests += 1
    usage = Usage(
        "embeddings",
        "openai",
        model,
        operation,
        input_tokens=tokens,
        inputs=len(texts),
        seconds=round(time.monotonic() - started, 3),
    )
    return Embedded(vectors, model, usage, requests)
