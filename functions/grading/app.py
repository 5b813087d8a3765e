"""The grading function's FastAPI app."""

from __future__ import annotations

from dojo.http import create_app

app = create_app("grading", title="Grading: feedback, progress and team analytics")
