"""The sessions function's FastAPI app."""

from __future__ import annotations

from dojo.http import create_app
from sessions.routes import sessions

app = create_app("sessions", title="Training sessions: voice and text roleplay")
app.include_router(sessions.router)
