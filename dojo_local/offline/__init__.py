"""Offline providers and local stand-ins: registered by the local runtime, never deployed.

`install()` registers each under its capability (see `dojo.providers.registry`), so the
functions find them exactly as they find the production providers, through the settings.
"""

from __future__ import annotations

import sys


def _functions_importable() -> None:
    """Make the function folders importable: capabilities are declared in `functions/<flow>`."""
    from dojo_local.paths import FUNCTIONS

    if str(FUNCTIONS) not in sys.path:
        sys.path.insert(0, str(FUNCTIONS))


def install() -> None:
    """Register every offline provider and local stand-in (idempotent)."""
    from dojo.providers.embeddings import EMBEDDER
    from dojo_local.offline.embeddings import OfflineEmbedder

    EMBEDDER.register("offline", OfflineEmbedder)

    _functions_importable()
    from dojo_local.offline.roleplay import OfflineRoleplay
    from sessions.roleplay import ROLEPLAY

    ROLEPLAY.register("offline", OfflineRoleplay)
