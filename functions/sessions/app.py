"""The sessions function's FastAPI app."""

from __future__ import annotations

from dojo.http import create_app
from sessions.routes import assignments, certifications, operations, sessions

app = create_app("sessions", title="Training sessions: voice and text roleplay, the programme")
# before the sessions router, whose `/{session_id}` would otherwise claim the path
app.include_router(operations.router)
app.include_router(sessions.router)
app.include_router(assignments.router)
app.include_router(certifications.router)
