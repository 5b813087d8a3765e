"""Offline providers and local stand-ins: registered by the local runtime, never deployed.

`install()` registers each under its capability (see `dojo.providers.registry`), so the
functions find them exactly as they find the production providers, through the settings.
"""

from __future__ import annotations

import sys


def install() -> None:
    """Register every offline provider and local stand-in (idempotent)."""
    from dojo_local.paths import FUNCTIONS

    # capabilities a function declares live in its folder (as in the Lambda, where it is the root)
    if str(FUNCTIONS) not in sys.path:
        sys.path.insert(0, str(FUNCTIONS))

    from dojo.providers.embeddings import EMBEDDER
    from dojo_local.offline.embeddings import OfflineEmbedder
    from dojo_local.offline.grading import OfflineGrader
    from grading.grader import GRADER

    EMBEDDER.register("offline", OfflineEmbedder)
    GRADER.register("offline", OfflineGrader)
