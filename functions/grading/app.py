"""The grading function's FastAPI app."""

from __future__ import annotations

from dojo.http import create_app
from grading import hook
from grading.routes import leaderboard, scorecards

app = create_app("grading", title="Grading: feedback, progress and team analytics")
app.include_router(scorecards.router)
app.include_router(leaderboard.router)
app.include_router(hook.router)
