"""Text embeddings through the configured provider; OpenAI (batched, retried) ships here.

OpenAI's `/embeddings` is called over plain httpx (the REST shape is one POST), with our own
retry policy (tenacity: exponential backoff with jitter on 429, 5xx, timeouts and connection
errors), so the policy is in one place and the calls are testable with respx. The local
runtime registers a deterministic offline embedder (`dojo_local.offline.embeddings`).
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from dojo.errors import ServiceUnavailable, UpstreamError
from dojo.providers.registry import Capability
from dojo.settings import get_settings
from dojo.usage import Usage

if TYPE_CHECKING:  # httpx loads on the first OpenAI call, not at cold start
    import httpx

BATCH_SIZE = 100  # inputs per embeddings request (the API accepts up to 2048)


class Embedder(Protocol):
    """What embeds texts: vectors of `settings.embedding_dimensions` in input order."""

    def embed(self, texts: Sequence[str], operation: str) -> Embedded:
        """Embed `texts`; raises ServiceUnavailable when the provider cannot right now."""


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


class OpenAIEmbedder:
    """OpenAI's `/embeddings`, one request per `BATCH_SIZE` texts, retried with backoff."""

    def embed(self, texts: Sequence[str], operation: str) -> Embedded:
        """Embed `texts`; transient failures are retried, what still fails is ServiceUnavailable."""
        settings = get_settings()
        model = settings.active_embedding_model
        dims = settings.embedding_dimensions
        started = time.monotonic()
        vectors: list[list[float]] = []
        tokens = 0
        requests = 0
        for i in range(0, len(texts), BATCH_SIZE):
            batch_vectors, batch_tokens, made = _with_retries(
                texts[i : i + BATCH_SIZE], model, dims, settings.openai_max_retries + 1
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


EMBEDDER: Capability[Embedder] = Capability("embeddings", kind="embeddings")
EMBEDDER.register("openai", OpenAIEmbedder)


def embed(texts: Sequence[str], operation: str = "embed") -> Embedded:
    """Embed `texts` with the configured provider (one request per `BATCH_SIZE` texts).

    What still fails after the provider's retries raises ServiceUnavailable, which callers treat
    as "try again later". `requests` counts embedding calls made (offline: batches computed),
    which is what the no-second-bill guarantees are measured in.
    """
    return EMBEDDER.get().embed(texts, operation)
