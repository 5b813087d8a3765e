"""The onboarding function's FastAPI app."""

from __future__ import annotations

from dojo.http import create_app
from onboarding import hook
from onboarding.routes import auth, documents, notifications, usage

app = create_app(
    "onboarding", title="Onboarding: companies, members, documents and the knowledge base"
)
app.include_router(auth.router)
app.include_router(documents.router)
app.include_router(hook.router)
app.include_router(usage.router)
app.include_router(notifications.router)
