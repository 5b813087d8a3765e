"""Offline providers and local stand-ins: registered by the local runtime, never deployed.

`install()` registers each under its capability (see `dojo.providers.registry`), so the
functions find them exactly as they find the production providers, through the settings.
"""

from __future__ import annotations


def install() -> None:
    """Register every offline provider and local stand-in (idempotent)."""
    from dojo.providers.embeddings import EMBEDDER
    from dojo.providers.storage import STORAGE
    from dojo_local.offline.embeddings import OfflineEmbedder
    from dojo_local.offline.invites import LocalInvites
    from dojo_local.offline.storage import LocalStorage

    _functions_importable()
    from onboarding.auth_admin import AUTH_ADMIN

    EMBEDDER.register("offline", OfflineEmbedder)
    STORAGE.register("local", LocalStorage)
    AUTH_ADMIN.register("local", LocalInvites)


def _functions_importable() -> None:
    """The flows declare some capabilities (e.g. onboarding's AUTH_ADMIN): import them as the
    local gateway imports the apps, from the functions folder."""
    import sys

    from dojo_local.paths import FUNCTIONS

    if str(FUNCTIONS) not in sys.path:
        sys.path.insert(0, str(FUNCTIONS))
