"""The sessions function's FastAPI app."""

from __future__ import annotations

from dojo.http import create_app

app = create_app("sessions", title="Training sessions: voice and text roleplay")
