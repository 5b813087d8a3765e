"""The sessions function's FastAPI app."""

from __future__ import annotations

from dojo.http import create_app
from sessions.routes import assignments, certifications, sessions

app = create_app("sessions", title="Training sessions: voice and text roleplay, the programme")
app.include_router(sessions.router)
app.include_router(assignments.router)
app.include_router(certifications.router)
