"""Offline providers and local stand-ins: registered by the local runtime, never deployed.

`install()` registers each under its capability (see `dojo.providers.registry`), so the
functions find them exactly as they find the production providers, through the settings.
"""

from __future__ import annotations


def install() -> None:
    """Register every offline provider and local stand-in (idempotent)."""
    from dojo.providers.embeddings import EMBEDDER
    from dojo_local.offline.embeddings import OfflineEmbedder

    EMBEDDER.register("offline", OfflineEmbedder)
