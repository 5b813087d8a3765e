"""The deterministic offline embedder: no key, the same vectors on every machine.

It hashes character n-grams (3-5) of the accent-folded, lower-cased words into the configured
number of dimensions and L2-normalises the result. Similar wording gives similar vectors; it is
not a semantic model, and everything it produces is labelled with its own model name.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence

from dojo.providers.embeddings import BATCH_SIZE, Embedded, fold
from dojo.settings import get_settings
from dojo.usage import Usage

_WORD = re.compile(r"\w+", re.UNICODE)


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


class OfflineEmbedder:
    """Hashed n-gram vectors, computed in batches of the same size OpenAI would be sent."""

    def embed(self, texts: Sequence[str], operation: str) -> Embedded:
        """Vectors for `texts`; `requests` counts the batches a real provider would have cost."""
        settings = get_settings()
        model = settings.active_embedding_model
        vectors = [offline_vector(t, settings.embedding_dimensions) for t in texts]
        usage = Usage("embeddings", "offline", model, operation, inputs=len(texts))
        return Embedded(vectors, model, usage, requests=-(-len(texts) // BATCH_SIZE))
