"""The sessions function's FastAPI app."""

from __future__ import annotations

from dojo.http import create_app
from sessions import routes

app = create_app("sessions", title="Training sessions: voice and text roleplay")
app.include_router(routes.router)
