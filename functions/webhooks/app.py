"""The webhooks function's FastAPI app."""

from __future__ import annotations

from dojo.http import create_app
from webhooks import routes

app = create_app("webhooks", title="Webhooks: Vapi server messages")
app.include_router(routes.router)
