"""The onboarding function's FastAPI app."""

from __future__ import annotations

from dojo.http import create_app
from onboarding import auth_api, documents_api, hook, usage_api

app = create_app(
    "onboarding", title="Onboarding: companies, members, documents and the knowledge base"
)
app.include_router(auth_api.router)
app.include_router(documents_api.router)
app.include_router(hook.router)
app.include_router(usage_api.router)
