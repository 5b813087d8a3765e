"""The webhooks function's FastAPI app."""

from __future__ import annotations

from dojo.http import create_app

app = create_app("webhooks", title="Webhooks: Vapi server messages")
