"""Where things are: the repository and the local data directory."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FUNCTIONS = REPO / "functions"
MIGRATIONS = REPO / "supabase" / "migrations"
LOCAL_SQL = REPO / "supabase" / "local"
TEMPLATE = REPO / "template.yaml"
WEB_OUT = REPO / "web" / "out"
FLOWS = ("onboarding", "personas", "sessions", "webhooks", "grading")


def data_dir() -> Path:
    """The local data directory (`DOJO_DATA_DIR`, default `.dojo/`), created when missing."""
    path = Path(os.environ.get("DOJO_DATA_DIR", ".dojo")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
