"""Text embeddings: OpenAI (batched, retried) or a deterministic offline embedder.

OpenAI's `/embeddings` is called over plain httpx (the REST shape is one POST), with our own
retry policy (tenacity: exponential backoff with jitter on 429, 5xx, timeouts and connection
errors), so the policy is in one place and the calls are testable with respx.

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
from functools import lru_cache
from typing import TYPE_CHECKING

from dojo.errors import ServiceUnavailable, UpstreamError
from dojo.settings import get_settings
from dojo.usage import Usage

if TYPE_CHECKING:  # httpx loads on the first OpenAI call, not at cold start
    import httpx

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


class _Transient(Exception):
    """A failure worth retrying: rate limit, 5xx, timeout, connection error."""


@lru_cache(maxsize=4)
def _http(base_url: str, timeout: float) -> httpx.Client:
    """One pooled client per endpoint, reused across invocations of a warm function."""
    import httpx

    return httpx.Client(base_url=base_url.rstrip("/") + "/", timeout=timeout)


def _openai_batch(
    texts: Sequence[str], model: str, dimensions: int
) -> tuple[list[list[float]], int]:
    """One `POST /embeddings` (OpenAI's REST shape; any compatible base URL works)."""
    settings = get_settings()
    key = settings.openai_api_key.get_secret_value()
    if not key:
        raise ServiceUnavailable("embeddings are not configured (DOJO_OPENAI_API_KEY)")
    body: dict[str, object] = {"model": model, "input": list(texts), "encoding_format": "float"}
    if model.startswith("text-embedding-3"):
        body["dimensions"] = dimensions
    import httpx

    client = _http(settings.openai_base_url, settings.openai_timeout_seconds)
    try:
        response = client.post("embeddings", json=body, headers={"authorization": f"Bearer {key}"})
    except httpx.TimeoutException as exc:
        raise _Transient("the embeddings service did not answer in time") from exc
    except httpx.TransportError as exc:
        raise _Transient("the embeddings service could not be reached") from exc
    if response.status_code == 429:
        raise _Transient("the embeddings service is rate limited")
    if response.status_code >= 500:
        raise _Transient(f"the embeddings service answered {response.status_code}")
    if response.status_code >= 400:
        raise UpstreamError(f"the embeddings service answered {response.status_code}")
    try:
        payload = response.json()
        ordered = sorted(payload["data"], key=lambda d: d["index"])
        vectors = [[float(v) for v in d["embedding"]] for d in ordered]
        tokens = int((payload.get("usage") or {}).get("prompt_tokens") or 0)
    except (ValueError, KeyError, TypeError) as exc:
        raise UpstreamError("the embeddings service answered something unreadable") from exc
    if len(vectors) != len(texts) or any(len(v) != dimensions for v in vectors):
        raise UpstreamError("the embeddings service returned the wrong number of vectors")
    return vectors, tokens


def _with_retries(
    texts: Sequence[str], model: str, dimensions: int, attempts: int
) -> tuple[list[list[float]], int, int]:
    """One batch, retried on transient failures; returns vectors, tokens and requests made."""
    from tenacity import (
        RetryError,
        Retrying,
        retry_if_exception_type,
        stop_after_attempt,
        wait_random_exponential,
    )

    settings = get_settings()
    made = 0
    retrying = Retrying(
        stop=stop_after_attempt(attempts),
        wait=wait_random_exponential(
            multiplier=settings.openai_retry_wait_seconds,
            max=settings.openai_retry_wait_max_seconds,
        ),
        retry=retry_if_exception_type(_Transient),
    )
    try:
        for attempt in retrying:
            with attempt:
                made += 1
                vectors, tokens = _openai_batch(texts, model, dimensions)
                return vectors, tokens, made
    except RetryError as exc:
        cause = exc.last_attempt.exception()
        message = str(cause) if cause else "the embeddings service is unavailable"
        raise ServiceUnavailable(f"{message}; try again shortly") from cause
    raise ServiceUnavailable("the embeddings service is unavailable")  # pragma: no cover


def embed(texts: Sequence[str], operation: str = "embed") -> Embedded:
    """Embed `texts` with the configured provider: one request per `BATCH_SIZE` texts.

    OpenAI batches are retried with exponential backoff and jitter on 429, 5xx, timeouts and
    connection errors (`openai_max_retries` retries); what still fails raises ServiceUnavailable,
    which callers treat as "try again later". `requests` counts embedding calls made (offline:
    batches computed), which is what the no-second-bill guarantees are measured in.
    """
    settings = get_settings()
    model = settings.active_embedding_model
    dims = settings.embedding_dimensions
    started = time.monotonic()
    batches = [texts[i : i + BATCH_SIZE] for i in range(0, len(texts), BATCH_SIZE)]
    if settings.embeddings_provider == "offline":
        vectors = [offline_vector(t, dims) for t in texts]
        usage = Usage("embeddings", "offline", model, operation, inputs=len(texts))
        return Embedded(vectors, model, usage, requests=len(batches))
    vectors = []
    tokens = 0
    requests = 0
    for batch in batches:
        batch_vectors, batch_tokens, made = _with_retries(
            batch, model, dims, settings.openai_max_retries + 1
        )
        vectors.extend(batch_vectors)
        tokens += batch_tokens
        requests += made
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
