"""The grading function's FastAPI app."""

from __future__ import annotations

from dojo.http import create_app
from grading import api, hook

app = create_app("grading", title="Grading: feedback, progress and team analytics")
app.include_router(api.router)
app.include_router(hook.router)
