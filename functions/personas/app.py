"""The personas function's FastAPI app."""

from __future__ import annotations

from dojo.http import create_app

app = create_app("personas", title="Personas: generation and management of AI customers")
