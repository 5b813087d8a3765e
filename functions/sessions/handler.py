"""Lambda entry point of the sessions function."""

from __future__ import annotations

from dojo.lambda_entry import make_handler
from sessions.app import app

lambda_handler = make_handler(app)
