"""Lambda entry point of the personas function."""

from __future__ import annotations

from dojo.lambda_entry import make_handler
from personas.app import app

lambda_handler = make_handler(app)
