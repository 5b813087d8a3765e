"""The onboarding function's FastAPI app."""

from __future__ import annotations

from dojo.http import create_app
from dojo.settings import get_settings
from onboarding import auth_api, documents_api, hook, storage, usage_api

app = create_app(
    "onboarding",
    title="Onboarding: companies, members, documents and the knowledge base",
    # the local stand-in for Storage's signed upload URL: Storage's limit, not Lambda's
    body_limits={f"{storage.LOCAL_UPLOAD_PATH}/": lambda: get_settings().max_upload_bytes},
)
app.include_router(auth_api.router)
app.include_router(documents_api.router)
app.include_router(hook.router)
app.include_router(usage_api.router)
