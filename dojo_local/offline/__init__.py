"""Offline providers and local stand-ins: registered by the local runtime, never deployed.

`install()` registers each under its capability (see `dojo.providers.registry`), so the
functions find them exactly as they find the production providers, through the settings.
"""

from __future__ import annotations

import sys


def _functions_importable() -> None:
    """The flows' capabilities live in their packages under functions/ (as in a Lambda zip)."""
    from dojo_local.paths import FUNCTIONS

    if str(FUNCTIONS) not in sys.path:
        sys.path.insert(0, str(FUNCTIONS))


def install() -> None:
    """Register every offline provider and local stand-in (idempotent)."""
    _functions_importable()
    from dojo.providers.embeddings import EMBEDDER
    from dojo.providers.storage import RECORDINGS, STORAGE
    from dojo.settings import get_settings
    from dojo_local.offline.coach import OfflineCoach
    from dojo_local.offline.embeddings import OfflineEmbedder
    from dojo_local.offline.grading import OfflineGrader
    from dojo_local.offline.invites import LocalInvites
    from dojo_local.offline.personas import OfflinePersonaGenerator
    from dojo_local.offline.roleplay import OfflineRoleplay
    from dojo_local.offline.storage import LocalStorage
    from grading.coach import COACH
    from grading.grader import GRADER
    from onboarding.auth_admin import AUTH_ADMIN
    from personas.generate import GENERATOR as PERSONA_GENERATOR
    from sessions.roleplay import ROLEPLAY

    EMBEDDER.register("offline", OfflineEmbedder)
    STORAGE.register("local", LocalStorage)
    RECORDINGS.register("local", lambda: LocalStorage(bucket=get_settings().recordings_bucket))
    AUTH_ADMIN.register("local", LocalInvites)
    GRADER.register("offline", OfflineGrader)
    COACH.register("offline", OfflineCoach)
    PERSONA_GENERATOR.register("offline", OfflinePersonaGenerator)
    ROLEPLAY.register("offline", OfflineRoleplay)
