"""The personas function's FastAPI app."""

from __future__ import annotations

from dojo.http import create_app
from personas import hook, routes

app = create_app("personas", title="Personas: generation and management of AI customers")
app.include_router(routes.router)
app.include_router(hook.router)
